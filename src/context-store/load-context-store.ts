import type { BatonConfig } from "../config/config-schema.js";
import { MARKDOWN_LIMITS, overSizeLimit, parseAdrBounded, parsePitfallsBounded } from "../markdown/bounded-markdown.js";
import type { RepoSnapshot } from "../snapshot/repo-snapshot.js";
import type { AdrMetadata, AdrRecord } from "./adr/adr-record.js";
import { confirmByContent, contentSamples, discoverAdrFolder } from "./adr/adr-folder.js";
import { isAdrFileName } from "./adr/adr-file-names.js";
import { cachedAdrMetadata, cachedFullAdr, storeAdrMetadata, storeFullAdr } from "./adr/adr-parse-cache.js";
import { readAdrMetadata } from "./adr/read-adr-metadata.js";
import type { PitfallFile } from "./pitfalls/pitfall-entry.js";

/**
 * An ADR as stored at a commit: where it is, its blob identity, and its
 * metadata (the fast tier). Sections and guidance come from `readFullAdrs`,
 * for the few ADRs that enter a context.
 */
export interface StoredAdr {
  path: string;
  sha: string;
  record: AdrMetadata;
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
 * The fast tier is linear, but thousands of ADRs still add up: give the
 * event loop a turn this often, so webhook requests served by the same
 * process are not held up meanwhile.
 */
const YIELD_EVERY_MS = 20;

export async function loadContextStore(snapshot: RepoSnapshot, config: BatonConfig): Promise<ContextStore> {
  const files = await snapshot.listFiles();
  const paths = files.map((f) => f.path);
  const warnings: string[] = [];

  let adrDirFile: string | null = null;
  if (!config.folders.adr && files.some((f) => f.path === ".adr-dir")) {
    adrDirFile = (await snapshot.readFiles([".adr-dir"])).get(".adr-dir")?.text ?? null;
  }
  let found = discoverAdrFolder({ configured: config.folders.adr, paths, adrDirFile });
  if (found.folder === null && found.candidates?.length) {
    // No folder by name: read a few numbered files of the candidates (one batch) to find one by content.
    const samples = await snapshot.readFiles(contentSamples(found, paths));
    found = confirmByContent(found, new Map([...samples].map(([p, b]) => [p, b.text])));
  }
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
  const prefix = folder === null ? null : folder === "" ? "" : `${folder}/`;
  const adrFiles = prefix === null ? [] : files.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes("/") && isAdrFileName(f.path.slice(prefix.length)));
  const fileOf = (path: string) => path.slice(prefix?.length ?? 0);
  // A known ADR version costs nothing: its blob is not even fetched.
  const missing = adrFiles.filter((f) => !cachedAdrMetadata(fileOf(f.path), f.sha));
  // The pitfall files come with the ADRs when ADRs must be read anyway (and
  // stay in the snapshot's blob cache for readPitfalls), so a commit that
  // changes ADRs and pitfalls together costs one blob batch, not two.
  const withPitfalls = missing.length > 0 ? [...pitfallPaths.values()].map((p) => p.path) : [];
  const blobs = missing.length + withPitfalls.length > 0 ? await snapshot.readFiles([...missing.map((f) => f.path), ...withPitfalls]) : new Map();
  let lastYield = performance.now();
  for (const entry of adrFiles) {
    const file = fileOf(entry.path);
    let record = cachedAdrMetadata(file, entry.sha);
    if (!record) {
      const blob = blobs.get(entry.path);
      if (!blob || blob.text === null) {
        warnings.push(`${entry.path}: not readable as text (binary or too large); left out`);
        continue;
      }
      const over = overSizeLimit(entry.path, blob.text, MARKDOWN_LIMITS.adr);
      if (over) {
        warnings.push(over);
        continue;
      }
      record = readAdrMetadata(file, blob.text).metadata;
      storeAdrMetadata(file, entry.sha, record);
    }
    adrs.push({ path: entry.path, sha: entry.sha, record });
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  adrs.sort((a, b) => (a.record.number ?? Number.MAX_SAFE_INTEGER) - (b.record.number ?? Number.MAX_SAFE_INTEGER) || a.path.localeCompare(b.path));

  return { commit: snapshot.commit, adrFolder: folder, adrFolderReason: found.reason, adrs, pitfallPaths, warnings };
}

/**
 * The full records of some ADRs (sections, guidance), read in the bounded
 * worker: from the cache, else from their blobs (one batched read). An ADR
 * that cannot be read within the limits is left out, and `notes` says which
 * and why.
 */
export async function readFullAdrs(snapshot: RepoSnapshot, adrs: readonly StoredAdr[], notes: string[]): Promise<Map<StoredAdr, AdrRecord>> {
  const out = new Map<StoredAdr, AdrRecord>();
  const fileOf = (adr: StoredAdr) => adr.record.file;
  const missing = adrs.filter((adr) => {
    const hit = cachedFullAdr(fileOf(adr), adr.sha);
    if (hit) out.set(adr, hit);
    return !hit;
  });
  if (missing.length === 0) return out;
  const blobs = await snapshot.readFiles(missing.map((a) => a.path));
  await Promise.all(
    missing.map(async (adr) => {
      const text = blobs.get(adr.path)?.text;
      if (text == null) {
        notes.push(`${adr.path}: not readable as text; left out`);
        return;
      }
      const read = await parseAdrBounded(adr.path, fileOf(adr), text);
      if (!read.ok) {
        notes.push(read.reason);
        return;
      }
      storeFullAdr(fileOf(adr), adr.sha, read.value);
      out.set(adr, read.value);
    }),
  );
  return out;
}

/** Reads the pitfall files of the given modules (one batched read). */
export async function readPitfalls(snapshot: RepoSnapshot, store: ContextStore, modules: string[], notes?: string[]): Promise<StoredPitfalls[]> {
  const wanted = modules.flatMap((m) => {
    const at = store.pitfallPaths.get(m);
    return at ? [{ module: m, ...at }] : [];
  });
  const blobs = await snapshot.readFiles(wanted.map((w) => w.path));
  const out: StoredPitfalls[] = [];
  for (const w of wanted) {
    const text = blobs.get(w.path)?.text;
    if (text == null) continue;
    const file = await parsePitfallsBounded(w.path, text);
    if (!file.ok) {
      notes?.push(file.reason);
      continue;
    }
    out.push({ path: w.path, sha: w.sha, module: w.module, text, file: file.value });
  }
  return out;
}

