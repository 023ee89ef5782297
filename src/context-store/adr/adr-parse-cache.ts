import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AdrRecord } from "./adr-record.js";
import { parseAdr } from "./parse-adr.js";

/**
 * Parsed ADRs by blob SHA and file name: a record depends on nothing else,
 * so each ADR is parsed once per process. With BATON_CACHE_DIR set, records
 * also survive restarts on disk, so a process that restarts does not spend
 * seconds re-parsing thousands of ADRs. Disk entries are keyed by a hash of
 * the reader's own code: a new reader never reads an old reader's records.
 */
const memory = new Map<string, AdrRecord>();
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

function diskPath(cacheDir: string, key: string): string {
  const name = createHash("sha1").update(key).digest("hex");
  return join(cacheDir, `adr-records-${currentReaderVersion()}`, name.slice(0, 2), `${name}.json`);
}

export function parseAdrCached(file: string, sha: string, text: string, cacheDir: string | undefined = process.env.BATON_CACHE_DIR): AdrRecord {
  const key = `${sha}:${file}`;
  const hit = memory.get(key);
  if (hit) return hit;
  let record: AdrRecord | undefined;
  const path = cacheDir ? diskPath(cacheDir, key) : undefined;
  if (path) {
    try {
      record = JSON.parse(readFileSync(path, "utf8")) as AdrRecord;
    } catch {
      // not cached yet, or unreadable: parse it
    }
  }
  if (!record) {
    record = parseAdr(file, text);
    if (path) {
      try {
        mkdirSync(dirname(path), { recursive: true });
        // Write then rename, so a reader in another process never sees half a record.
        writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(record));
        renameSync(`${path}.${process.pid}.tmp`, path);
      } catch {
        // A cache that cannot be written is only slower.
      }
    }
  }
  if (memory.size >= MEMORY_LIMIT) memory.clear();
  memory.set(key, record);
  return record;
}

/** For tests: forget what this process parsed. */
export function clearAdrMemoryCache(): void {
  memory.clear();
}
