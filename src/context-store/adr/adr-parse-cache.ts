import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AdrMetadata, AdrRecord } from "./adr-record.js";

/**
 * What the reader made of an ADR, by blob SHA and file name: a record
 * depends on nothing else, so each ADR version is read once per process.
 * Two kinds are kept: the metadata of the fast tier (every ADR) and the
 * full record (the ADRs that entered a context or lint). With
 * BATON_CACHE_DIR set, both also survive restarts on disk: a restarted
 * process knows every unchanged ADR without fetching its blob. The disk
 * folder is named by a hash of the reader's own code, so a new reader never
 * reads an old reader's records.
 */
type Kind = "meta" | "full";

const memory = new Map<string, AdrMetadata | AdrRecord>();
const MEMORY_LIMIT = 50_000;

let readerVersion: string | undefined;
function currentReaderVersion(): string {
  if (readerVersion) return readerVersion;
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha1");
  for (const name of readdirSync(dir).sort()) if (/\.(ts|js)$/.test(name)) hash.update(name).update(readFileSync(join(dir, name)));
  readerVersion = hash.digest("hex").slice(0, 12);
  return readerVersion;
}

function keyOf(kind: Kind, file: string, sha: string): string {
  return `${kind}:${sha}:${file}`;
}

function remember(key: string, record: AdrMetadata | AdrRecord): void {
  if (memory.size >= MEMORY_LIMIT) memory.clear();
  memory.set(key, record);
}

/**
 * On disk, records are written in packs: one file per batch of records
 * read together (a cold load writes a few files for thousands of ADRs, not
 * one file each), never rewritten, named by their content so processes that
 * share the folder never write the same file twice. A process reads every
 * pack of its reader version once, on its first lookup.
 */
const PACKS_BEFORE_MERGE = 64;
const loadedDirs = new Map<string, Map<string, AdrMetadata | AdrRecord>>();
const pending = new Map<string, Map<string, AdrMetadata | AdrRecord>>();
let flushScheduled = false;

function versionDir(cacheDir: string): string {
  return join(cacheDir, `adr-records-${currentReaderVersion()}`);
}

function diskIndex(cacheDir: string): Map<string, AdrMetadata | AdrRecord> {
  const dir = versionDir(cacheDir);
  let index = loadedDirs.get(dir);
  if (index) return index;
  index = new Map();
  loadedDirs.set(dir, index);
  let packs: string[] = [];
  try {
    packs = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return index; // no cache yet
  }
  for (const name of packs) {
    try {
      const pack = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, AdrMetadata | AdrRecord>;
      for (const [key, record] of Object.entries(pack)) index.set(key, record);
    } catch {
      // A pack being written by another process, or damaged: its records are read again.
    }
  }
  if (packs.length > PACKS_BEFORE_MERGE && writePack(dir, index)) {
    for (const name of packs) rmSync(join(dir, name), { force: true });
  }
  return index;
}

function writePack(dir: string, records: Map<string, AdrMetadata | AdrRecord>): boolean {
  try {
    const body = JSON.stringify(Object.fromEntries(records));
    const name = `${createHash("sha1").update(body).digest("hex")}.json`;
    mkdirSync(dir, { recursive: true });
    // Write then rename, so a reader in another process never sees half a pack.
    writeFileSync(join(dir, `${name}.${process.pid}.tmp`), body);
    renameSync(join(dir, `${name}.${process.pid}.tmp`), join(dir, name));
    return true;
  } catch {
    return false; // A cache that cannot be written is only slower.
  }
}

/** Writes what was read since the last flush, one pack per cache folder. Runs by itself after the current turn. */
export function flushAdrCache(): void {
  flushScheduled = false;
  for (const [cacheDir, records] of pending) {
    if (records.size > 0) writePack(versionDir(cacheDir), records);
  }
  pending.clear();
}

function cached<T extends AdrMetadata>(kind: Kind, file: string, sha: string, cacheDir: string | undefined): T | undefined {
  const key = keyOf(kind, file, sha);
  const hit = memory.get(key) ?? (cacheDir ? diskIndex(cacheDir).get(key) : undefined);
  if (hit) remember(key, hit);
  return hit as T | undefined;
}

function store(kind: Kind, file: string, sha: string, record: AdrMetadata | AdrRecord, cacheDir: string | undefined): void {
  const key = keyOf(kind, file, sha);
  remember(key, record);
  if (!cacheDir) return;
  diskIndex(cacheDir).set(key, record);
  const batch = pending.get(cacheDir) ?? new Map<string, AdrMetadata | AdrRecord>();
  pending.set(cacheDir, batch.set(key, record));
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAdrCache);
  }
}

const defaultDir = (): string | undefined => process.env.BATON_CACHE_DIR || undefined;

export function cachedAdrMetadata(file: string, sha: string, cacheDir = defaultDir()): AdrMetadata | undefined {
  return cached<AdrMetadata>("meta", file, sha, cacheDir) ?? cached<AdrRecord>("full", file, sha, cacheDir);
}

export function storeAdrMetadata(file: string, sha: string, metadata: AdrMetadata, cacheDir = defaultDir()): void {
  store("meta", file, sha, metadata, cacheDir);
}

export function cachedFullAdr(file: string, sha: string, cacheDir = defaultDir()): AdrRecord | undefined {
  return cached<AdrRecord>("full", file, sha, cacheDir);
}

export function storeFullAdr(file: string, sha: string, record: AdrRecord, cacheDir = defaultDir()): void {
  store("full", file, sha, record, cacheDir);
}

/** For tests and benchmarks: forget what this process read. */
export function clearAdrMemoryCache(): void {
  flushAdrCache();
  memory.clear();
  loadedDirs.clear();
}
