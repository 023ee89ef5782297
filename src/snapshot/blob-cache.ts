import type { TreeEntry } from "./repo-snapshot.js";

/**
 * What a snapshot keeps about a blob. Blobs are content-addressed, so an
 * entry keyed by blob SHA is valid forever and can be shared by every
 * snapshot of every commit (and every repository) in the process.
 */
export interface CachedBlob {
  /** UTF-8 text, or null for binary / too large. */
  text: string | null;
  size: number;
}

/**
 * Cache shared across snapshots. Blobs are keyed by blob SHA; tree listings
 * by a key the snapshot chooses (it includes the commit SHA, so the entry is
 * immutable too). Synchronous on purpose: lookups happen once per file on
 * the hot path of a 25,000-file resolution.
 */
export interface BlobCache {
  getBlob(sha: string): CachedBlob | undefined;
  setBlob(sha: string, blob: CachedBlob): void;
  getTree(key: string): readonly TreeEntry[] | undefined;
  setTree(key: string, entries: readonly TreeEntry[]): void;
}

export interface BlobCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  evictions: number;
}

export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

// Rough per-entry bookkeeping (Map slot, key string, small object). It keeps
// a cache full of tiny or binary (text-less) entries from growing unbounded.
const ENTRY_OVERHEAD = 96;
const TREE_ENTRY_OVERHEAD = 120;

type Slot =
  | { kind: "blob"; value: CachedBlob; cost: number }
  | { kind: "tree"; value: readonly TreeEntry[]; cost: number };

/**
 * In-memory LRU bounded by an estimate of retained bytes (text size plus a
 * fixed overhead per entry). A Map iterates in insertion order, so
 * re-inserting on access makes the first key the least recently used.
 */
export class LruBlobCache implements BlobCache {
  readonly maxBytes: number;
  private readonly slots = new Map<string, Slot>();
  private bytes = 0;
  private evictions = 0;

  constructor(opts: { maxBytes?: number } = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  }

  getBlob(sha: string): CachedBlob | undefined {
    const slot = this.touch(`b:${sha}`);
    return slot?.kind === "blob" ? slot.value : undefined;
  }

  setBlob(sha: string, blob: CachedBlob): void {
    const cost = ENTRY_OVERHEAD + (blob.text === null ? 0 : blob.size);
    // Frozen: the same object is handed to every snapshot that hits it.
    this.put(`b:${sha}`, { kind: "blob", value: Object.freeze({ text: blob.text, size: blob.size }), cost });
  }

  getTree(key: string): readonly TreeEntry[] | undefined {
    const slot = this.touch(`t:${key}`);
    return slot?.kind === "tree" ? slot.value : undefined;
  }

  setTree(key: string, entries: readonly TreeEntry[]): void {
    let cost = ENTRY_OVERHEAD;
    for (const e of entries) cost += TREE_ENTRY_OVERHEAD + e.path.length + e.sha.length;
    const frozen = Object.freeze(entries.map((e) => Object.freeze({ ...e })));
    this.put(`t:${key}`, { kind: "tree", value: frozen, cost });
  }

  stats(): BlobCacheStats {
    return { entries: this.slots.size, bytes: this.bytes, maxBytes: this.maxBytes, evictions: this.evictions };
  }

  clear(): void {
    this.slots.clear();
    this.bytes = 0;
  }

  private touch(key: string): Slot | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot;
  }

  private put(key: string, slot: Slot): void {
    const previous = this.slots.get(key);
    if (previous !== undefined) {
      this.slots.delete(key);
      this.bytes -= previous.cost;
    }
    // An entry larger than the whole budget would evict everything and then
    // itself; not caching it keeps the rest of the cache useful.
    if (slot.cost > this.maxBytes) return;
    this.slots.set(key, slot);
    this.bytes += slot.cost;
    while (this.bytes > this.maxBytes) {
      const oldest = this.slots.keys().next();
      if (oldest.done === true) break;
      const evicted = this.slots.get(oldest.value);
      this.slots.delete(oldest.value);
      if (evicted !== undefined) this.bytes -= evicted.cost;
      this.evictions++;
    }
  }
}

export function createBlobCache(opts: { maxBytes?: number } = {}): LruBlobCache {
  return new LruBlobCache(opts);
}

/** One cache per process, for callers that do not manage their own. */
let processCache: LruBlobCache | undefined;
export function sharedBlobCache(): LruBlobCache {
  processCache ??= new LruBlobCache();
  return processCache;
}
