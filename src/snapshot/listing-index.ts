import type { BlobContent, TreeEntry } from "./repo-snapshot.js";

export interface ListingIndex {
  files: readonly TreeEntry[];
  byPath: Map<string, TreeEntry>;
}

/**
 * Loads a snapshot's listing once and indexes it by path. A failed load is
 * not remembered, so a later call can retry; concurrent callers share one load.
 */
export function memoizeListing(load: () => Promise<readonly TreeEntry[]>): () => Promise<ListingIndex> {
  let listing: Promise<ListingIndex> | undefined;
  return () => {
    if (listing === undefined) {
      const p = load().then((files) => ({ files, byPath: new Map(files.map((f) => [f.path, f])) }));
      listing = p;
      p.catch(() => {
        if (listing === p) listing = undefined;
      });
    }
    return listing;
  };
}

/** The wanted entries whose blobs were read, by path (a missing blob is left out, as `readFiles` promises). */
export function contentsByPath(wanted: readonly TreeEntry[], blobs: ReadonlyMap<string, { text: string | null; size: number }>): Map<string, BlobContent> {
  const out = new Map<string, BlobContent>();
  for (const entry of wanted) {
    const blob = blobs.get(entry.sha);
    if (blob !== undefined) out.set(entry.path, { path: entry.path, sha: entry.sha, text: blob.text, size: blob.size });
  }
  return out;
}
