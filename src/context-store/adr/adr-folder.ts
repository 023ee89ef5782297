/**
 * Where a repository keeps its ADRs: the configured folder, else the one
 * adr-tools recorded in `.adr-dir`, else the first of the usual places that
 * holds at least one ADR file directly (not in a subfolder, as the loader
 * reads it).
 */
import { isAdrFileName } from "./adr-file-names.js";

export const USUAL_ADR_FOLDERS = [
  "docs/adr",
  "doc/adr",
  "docs/decisions",
  "docs/architecture/decisions",
  "docs/architecture-decisions",
  "adr",
  "decisions",
] as const;

export interface AdrFolderDiscovery {
  folder: string | null;
  /** How the folder was found, or why none was: printed by the CLI. */
  reason: string;
}

/** `./docs/adr/` → `docs/adr`; null for the repository root, absolute paths and paths leaving the repository. */
function normaliseFolder(path: string): string | null {
  const trimmed = path.trim().replace(/\\/g, "/");
  if (trimmed.startsWith("/") || /^[A-Za-z]:\//.test(trimmed)) return null;
  const parts = trimmed.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) return null;
  return parts.join("/");
}

/** Folder (as spelt in the repository) → number of ADR files directly inside it. */
function adrFileCounts(paths: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of paths) {
    const path = raw.replace(/\\/g, "/").replace(/^\.\//, "");
    const slash = path.lastIndexOf("/");
    if (slash <= 0) continue;
    if (!isAdrFileName(path.slice(slash + 1))) continue;
    const folder = path.slice(0, slash);
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return counts;
}

function plural(n: number): string {
  return n === 1 ? "1 ADR file" : `${n} ADR files`;
}

export function discoverAdrFolder(opts: {
  configured?: string;
  paths: Iterable<string>;
  adrDirFile?: string | null;
}): AdrFolderDiscovery {
  const counts = adrFileCounts(opts.paths);

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
  return { folder: null, reason: `${note}no ADR folder found (looked in ${USUAL_ADR_FOLDERS.join(", ")})` };
}

/** A file's path in the ADR folder (the repository root is the empty folder). */
export function inAdrFolder(folder: string, file: string): string {
  return folder === "" ? file : `${folder}/${file}`;
}
