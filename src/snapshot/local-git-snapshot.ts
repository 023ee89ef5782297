import { DEFAULT_MAX_TEXT_BYTES, decodeBlobText } from "./binary-detect.js";
import type { BlobCache, CachedBlob } from "./blob-cache.js";
import { CatFileBatch } from "./cat-file-batch.js";
import { resolveCommit, runGit } from "./git-process.js";
import type { BlobContent, RepoSnapshot, SnapshotStats, TreeEntry } from "./repo-snapshot.js";
import { byPath } from "./tree-order.js";
import { contentsByPath, memoizeListing } from "./listing-index.js";

export { diffBetween, mergeBase, resolveCommit } from "./git-process.js";

export interface LocalGitSnapshotOptions {
  /** A folder inside the repository (any subfolder works: listings are always from the root). */
  cwd: string;
  /** Commit-ish to pin (default HEAD); resolved to a full SHA once, at creation. */
  commit?: string;
  /** Optional cache shared with other snapshots (blobs by SHA, listings by commit). */
  cache?: BlobCache;
  /** Blobs above this size are reported with text null (default 1 MiB), as in GitHub mode. */
  maxTextBytes?: number;
}

export type LocalGitSnapshot = RepoSnapshot & {
  /** Requests = git processes started (rev-parse, ls-tree, cat-file). */
  stats(): SnapshotStats;
  /** Ends the cat-file process. Reads after close fail. */
  close(): void;
};

/**
 * A repository at one commit, read from git objects, never from the working
 * tree: uncommitted edits do not leak into context, and blob SHAs are the
 * same ones GitHub reports, so manifests agree between local and GitHub mode.
 * listFiles is one `git ls-tree`; readFiles streams every blob through one
 * long-lived `git cat-file --batch`.
 */
export async function createLocalGitSnapshot(opts: LocalGitSnapshotOptions): Promise<LocalGitSnapshot> {
  const { cwd, cache } = opts;
  const maxTextBytes = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const stats: SnapshotStats = { requests: 1, blobCacheHits: 0, blobsFetched: 0 };
  const commit = await resolveCommit(cwd, opts.commit ?? "HEAD");
  const reader = new CatFileBatch(cwd);
  const treeKey = `git:${commit}`;


  async function loadListing(): Promise<readonly TreeEntry[]> {
    const cached = cache?.getTree(treeKey);
    if (cached !== undefined) return cached;
    stats.requests++;
    // --full-tree: paths from the root even when cwd is a subfolder.
    const out = await runGit(cwd, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
    const files = parseLsTree(out);
    files.sort(byPath);
    cache?.setTree(treeKey, files);
    return files;
  }

  const index = memoizeListing(loadListing);

  async function readFiles(paths: string[]): Promise<Map<string, BlobContent>> {
    const { byPath: entries } = await index();
    const wanted: TreeEntry[] = [];
    const blobs = new Map<string, CachedBlob>();
    const toRead: string[] = [];
    const queued = new Set<string>();
    const seenPaths = new Set<string>();
    for (const p of paths) {
      const entry = entries.get(p);
      if (entry === undefined || seenPaths.has(p)) continue;
      seenPaths.add(p);
      wanted.push(entry);
      if (blobs.has(entry.sha) || queued.has(entry.sha)) continue;
      const size = entry.size ?? 0;
      const hit = cache?.getBlob(entry.sha);
      if (hit !== undefined) {
        stats.blobCacheHits++;
        blobs.set(entry.sha, hit);
      } else if (size > maxTextBytes) {
        blobs.set(entry.sha, { text: null, size });
      } else {
        queued.add(entry.sha);
        toRead.push(entry.sha);
      }
    }

    if (toRead.length > 0) {
      const before = reader.spawned;
      const contents = await reader.read(toRead);
      stats.requests += reader.spawned - before;
      for (const [sha, bytes] of contents) {
        if (bytes === null) continue; // listed but absent: a broken or shallow repository
        const blob: CachedBlob = { text: bytes.length > maxTextBytes ? null : decodeBlobText(bytes), size: bytes.length };
        stats.blobsFetched++;
        blobs.set(sha, blob);
        cache?.setBlob(sha, blob);
      }
    }

    return contentsByPath(wanted, blobs);
  }

  return {
    commit,
    listFiles: async () => (await index()).files.slice(),
    readFiles,
    stats: () => ({ ...stats }),
    close: () => reader.close(),
  };
}

/**
 * `git ls-tree -r -l -z` output: records "<mode> SP <type> SP <oid> SP+ <size> TAB <path>"
 * separated by NUL. Only blobs are files (submodules are "commit" entries).
 */
export function parseLsTree(out: string): TreeEntry[] {
  const files: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab === -1) continue;
    const [, type, sha, size] = record.slice(0, tab).split(/ +/);
    if (type !== "blob" || sha === undefined) continue;
    const n = Number(size);
    const path = record.slice(tab + 1);
    files.push(Number.isFinite(n) ? { path, sha, size: n } : { path, sha });
  }
  return files;
}
