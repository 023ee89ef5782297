import type { BatonConfig } from "../config/config-schema.js";
import type { RepoSnapshot } from "../snapshot/repo-snapshot.js";
import type { AdrRecord } from "./adr/adr-record.js";
import { discoverAdrFolder, isAdrFileName } from "./adr/parse-adr.js";
import { parseAdrCached } from "./adr/adr-parse-cache.js";
import { parsePitfalls } from "./pitfalls/parse-pitfalls.js";
import type { PitfallFile } from "./pitfalls/pitfall-entry.js";

/** An ADR as stored at a commit: where it is, its blob identity, and what it says. */
export interface StoredAdr {
  path: string;
  sha: string;
  record: AdrRecord;
}

export interface StoredPitfalls {
  path: string;
  sha: string;
  module: string;
  text: string;
  file: PitfallFile;
}

/** The persistent context store (ADRs and pitfalls) as read from one commit. */
export interface ContextStore {
  commit: string;
  adrFolder: string | null;
  adrFolderReason: string;
  adrs: StoredAdr[];
  /** Pitfall files present at the commit, by module (read lazily through readPitfalls). */
  pitfallPaths: Map<string, { path: string; sha: string }>;
  warnings: string[];
}

/**
 * Parsing is synchronous and a cold load parses every ADR (seconds for
 * thousands): give the event loop a turn this often, so webhook requests
 * served by the same process are not held up meanwhile.
 */
const YIELD_EVERY_MS = 50;

export async function loadContextStore(snapshot: RepoSnapshot, config: BatonConfig): Promise<ContextStore> {
  const files = await snapshot.listFiles();
  const paths = files.map((f) => f.path);
  const warnings: string[] = [];

  let adrDirFile: string | null = null;
  if (!config.folders.adr && files.some((f) => f.path === ".adr-dir")) {
    adrDirFile = (await snapshot.readFiles([".adr-dir"])).get(".adr-dir")?.text ?? null;
  }
  const found = discoverAdrFolder({ configured: config.folders.adr, paths, adrDirFile });
  const folder = found.folder;

  const pitfallPaths = new Map<string, { path: string; sha: string }>();
  const pitfallPrefix = `${config.folders.pitfalls}/`;
  for (const f of files) {
    if (f.path.startsWith(pitfallPrefix) && f.path.endsWith(".md")) {
      const name = f.path.slice(pitfallPrefix.length, -3);
      if (!name.includes("/") && name.toLowerCase() !== "readme") pitfallPaths.set(name, { path: f.path, sha: f.sha });
    }
  }

  const adrs: StoredAdr[] = [];
  const prefix = folder ? `${folder}/` : null;
  const adrFiles = prefix === null ? [] : files.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes("/") && isAdrFileName(f.path.slice(prefix.length)));
  // One read for the whole store: the pitfall files come with the ADRs (and
  // stay in the snapshot's blob cache for readPitfalls), so a commit that
  // changes ADRs and pitfalls together costs one blob batch, not two.
  const blobs = await snapshot.readFiles([...adrFiles.map((f) => f.path), ...[...pitfallPaths.values()].map((p) => p.path)]);
  let lastYield = performance.now();
  for (const entry of adrFiles) {
    const blob = blobs.get(entry.path);
    const file = entry.path.slice(prefix?.length ?? 0);
    if (!blob || blob.text === null) {
      warnings.push(`${entry.path}: not readable as text (binary or too large); left out`);
      continue;
    }
    adrs.push({ path: entry.path, sha: entry.sha, record: parseAdrCached(file, entry.sha, blob.text) });
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  adrs.sort((a, b) => (a.record.number ?? Number.MAX_SAFE_INTEGER) - (b.record.number ?? Number.MAX_SAFE_INTEGER) || a.path.localeCompare(b.path));

  return { commit: snapshot.commit, adrFolder: folder, adrFolderReason: found.reason, adrs, pitfallPaths, warnings };
}

/** Reads the pitfall files of the given modules (one batched read). */
export async function readPitfalls(snapshot: RepoSnapshot, store: ContextStore, modules: string[]): Promise<StoredPitfalls[]> {
  const wanted = modules.flatMap((m) => {
    const at = store.pitfallPaths.get(m);
    return at ? [{ module: m, ...at }] : [];
  });
  const blobs = await snapshot.readFiles(wanted.map((w) => w.path));
  const out: StoredPitfalls[] = [];
  for (const w of wanted) {
    const text = blobs.get(w.path)?.text;
    if (text == null) continue;
    out.push({ path: w.path, sha: w.sha, module: w.module, text, file: parsePitfalls(w.path, text) });
  }
  return out;
}

