import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AdrMetadata, AdrRecord } from "./adr-record.js";

/**
 * What the reader made of an ADR, by blob SHA and file name: a record
 * depends on nothing else, so each ADR version is read once per process.
 * Two kinds are kept: the metadata of the fast tier (every ADR) and the
 * full record (the ADRs that entered a context or lint). With
 * BATON_CACHE_DIR set, both also survive restarts on disk: a restarted
 * process knows every unchanged ADR without fetching its blob. Disk entries
 * are keyed by a hash of the reader's own code, so a new reader never reads
 * an old reader's records.
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

function diskPath(cacheDir: string, key: string): string {
  const name = createHash("sha1").update(key).digest("hex");
  return join(cacheDir, `adr-records-${currentReaderVersion()}`, name.slice(0, 2), `${name}.json`);
}

function remember(key: string, record: AdrMetadata | AdrRecord): void {
  if (memory.size >= MEMORY_LIMIT) memory.clear();
  memory.set(key, record);
}

function cached<T extends AdrMetadata>(kind: Kind, file: string, sha: string, cacheDir: string | undefined): T | undefined {
  const key = keyOf(kind, file, sha);
  const hit = memory.get(key);
  if (hit) return hit as T;
  if (!cacheDir) return undefined;
  try {
    const record = JSON.parse(readFileSync(diskPath(cacheDir, key), "utf8")) as T;
    remember(key, record);
    return record;
  } catch {
    return undefined; // not cached yet, or unreadable: read it again
  }
}

function store(kind: Kind, file: string, sha: string, record: AdrMetadata | AdrRecord, cacheDir: string | undefined): void {
  const key = keyOf(kind, file, sha);
  remember(key, record);
  if (!cacheDir) return;
  const path = diskPath(cacheDir, key);
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Write then rename, so a reader in another process never sees half a record.
    writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(record));
    renameSync(`${path}.${process.pid}.tmp`, path);
  } catch {
    // A cache that cannot be written is only slower.
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
  memory.clear();
}
