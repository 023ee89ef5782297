/**
 * Where a repository keeps its ADRs: the configured folder, else the one
 * adr-tools recorded in `.adr-dir`, else the first of the usual places
 * (adr-tools, log4brains, MADR and the layouts large organisations use) that
 * holds at least one ADR file directly (not in a subfolder, as the loader
 * reads it), else a folder of numbered markdown files that read as ADRs,
 * the repository root included (`confirmByContent`).
 */
import { isAdrFileName, numberFromAdrId } from "./adr-file-names.js";
import { readAdrMetadata } from "./read-adr-metadata.js";
import { MARKDOWN_LIMITS } from "../../markdown/bounded-markdown.js";

export const USUAL_ADR_FOLDERS = [
  "docs/adr",
  "doc/adr",
  "docs/decisions",
  "docs/architecture/decisions",
  "docs/architecture/adr",
  "docs/architecture/adrs",
  "docs/architecture-decisions",
  "docs/architecture-decision-records",
  "docs/adrs",
  "doc/architecture/decisions",
  "architecture-decision-records",
  "architecture-decision-record",
  "adr",
  "adrs",
  "decisions",
] as const;

export interface AdrFolderDiscovery {
  folder: string | null;
  /** How the folder was found, or why none was: printed by the CLI. */
  reason: string;
  /** When no folder was found by name: folders of numbered markdown files (most first, "" is the root), to confirm by content. */
  candidates?: string[];
}

/** `./docs/adr/` → `docs/adr`; null for the repository root, absolute paths and paths leaving the repository. */
function normaliseFolder(path: string): string | null {
  const trimmed = path.trim().replace(/\\/g, "/");
  if (trimmed.startsWith("/") || /^[A-Za-z]:\//.test(trimmed)) return null;
  const parts = trimmed.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) return null;
  return parts.join("/");
}

/** Folder (as spelt in the repository; "" for the root) → number of ADR files directly inside it, and of numbered ones. */
function adrFileCounts(paths: Iterable<string>): { all: Map<string, number>; numbered: Map<string, number> } {
  const all = new Map<string, number>();
  const numbered = new Map<string, number>();
  for (const raw of paths) {
    const path = raw.replace(/\\/g, "/").replace(/^\.\//, "");
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    if (!isAdrFileName(name)) continue;
    const folder = slash < 0 ? "" : path.slice(0, slash);
    if (folder.split("/").some((part) => part === "node_modules" || part.startsWith("."))) continue;
    all.set(folder, (all.get(folder) ?? 0) + 1);
    if (numberFromAdrId(name) !== null || /^\d{8}-/.test(name)) numbered.set(folder, (numbered.get(folder) ?? 0) + 1);
  }
  return { all, numbered };
}

function plural(n: number): string {
  return n === 1 ? "1 ADR file" : `${n} ADR files`;
}

export function discoverAdrFolder(opts: {
  configured?: string;
  paths: Iterable<string>;
  adrDirFile?: string | null;
}): AdrFolderDiscovery {
  const { all: counts, numbered } = adrFileCounts(opts.paths);

  if (opts.configured !== undefined && opts.configured.trim() !== "") {
    const folder = normaliseFolder(opts.configured);
    if (folder === null) {
      return { folder: null, reason: `configured ADR folder ${JSON.stringify(opts.configured)} is not a folder inside the repository` };
    }
    const n = counts.get(folder) ?? 0;
    return { folder, reason: `configured in .github/baton.yml (folders.adr: ${folder}; ${n === 0 ? "no ADR files yet" : plural(n)})` };
  }

  const adrDirNotes: string[] = [];
  if (typeof opts.adrDirFile === "string") {
    const firstLine = opts.adrDirFile.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
    const folder = normaliseFolder(firstLine);
    if (folder !== null) {
      const n = counts.get(folder) ?? 0;
      return { folder, reason: `from .adr-dir (${folder}; ${n === 0 ? "no ADR files yet" : plural(n)})` };
    }
    adrDirNotes.push(`.adr-dir ignored (${JSON.stringify(firstLine.trim())} is not a folder inside the repository)`);
  }

  // Case-insensitive match on the usual names, returned as the repository spells them.
  const byLowerCase = new Map<string, string>();
  for (const folder of counts.keys()) {
    const lower = folder.toLowerCase();
    if (!byLowerCase.has(lower)) byLowerCase.set(lower, folder);
  }
  for (const usual of USUAL_ADR_FOLDERS) {
    const folder = byLowerCase.get(usual);
    if (folder === undefined) continue;
    const n = counts.get(folder) ?? 0;
    const note = adrDirNotes.length > 0 ? `; ${adrDirNotes.join("; ")}` : "";
    return { folder, reason: `found ${plural(n)} in ${folder}, a usual ADR folder${note}` };
  }

  const note = adrDirNotes.length > 0 ? `${adrDirNotes.join("; ")}; ` : "";
  const candidates = [...numbered].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f).slice(0, MAX_CANDIDATES);
  return { folder: null, reason: `${note}no ADR folder found (looked in ${USUAL_ADR_FOLDERS.join(", ")}, and for a folder of numbered ADR files)`, candidates };
}

const MAX_CANDIDATES = 3;
const SAMPLES = 3;

/** The files to read to confirm the candidates by content: a few numbered files of each. */
export function contentSamples(discovery: AdrFolderDiscovery, paths: Iterable<string>): string[] {
  const wanted = new Set(discovery.candidates ?? []);
  const taken = new Map<string, number>();
  const out: string[] = [];
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const folder = slash < 0 ? "" : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (!wanted.has(folder) || !isAdrFileName(name) || (numberFromAdrId(name) === null && !/^\d{8}-/.test(name))) continue;
    if ((taken.get(folder) ?? 0) >= SAMPLES) continue;
    taken.set(folder, (taken.get(folder) ?? 0) + 1);
    out.push(path);
  }
  return out;
}

/** A decision record rather than, say, a numbered chapter: it states a status, or has the sections of one. */
function readsAsAdr(path: string, text: string): boolean {
  if (text.length > MARKDOWN_LIMITS.adr.maxChars) return false;
  if (readAdrMetadata(path.slice(path.lastIndexOf("/") + 1), text).metadata.status !== "unknown") return true;
  return /^#{1,6}[ \t]+(?:\d+[.)]?[ \t]+)?(?:context|decision|decision outcome|consequences|considered options)\b/im.test(text);
}

/** The first candidate most of whose sampled files read as ADRs, or the discovery unchanged. */
export function confirmByContent(discovery: AdrFolderDiscovery, samples: ReadonlyMap<string, string | null>): AdrFolderDiscovery {
  for (const folder of discovery.candidates ?? []) {
    const mine = [...samples].filter(([path]) => (path.lastIndexOf("/") < 0 ? "" : path.slice(0, path.lastIndexOf("/"))) === folder);
    const adrs = mine.filter(([path, text]) => text !== null && readsAsAdr(path, text)).length;
    if (mine.length > 0 && adrs * 2 > mine.length) {
      const where = folder === "" ? "the repository root" : folder;
      return { folder, reason: `found numbered files that read as ADRs in ${where} (${adrs} of ${mine.length} sampled)` };
    }
  }
  return discovery;
}

/** A file's path in the ADR folder (the repository root is the empty folder). */
export function inAdrFolder(folder: string, file: string): string {
  return folder === "" ? file : `${folder}/${file}`;
}
