/**
 * A repository as it is at one commit. The context graph resolves inputs
 * against this interface only, so the same resolution runs on GitHub
 * (Octokit) and on a local git checkout, and tests can hand it plain data.
 */
export interface TreeEntry {
  path: string;
  /** Git blob SHA: the identity pinned in manifests. */
  sha: string;
  /** Size in bytes, when the source knows it. */
  size?: number;
}

export interface BlobContent {
  path: string;
  sha: string;
  /** UTF-8 text, or null when the blob is binary (NUL byte or invalid UTF-8). */
  text: string | null;
  size: number;
}

export interface RepoSnapshot {
  /** Commit SHA the snapshot is pinned to. */
  readonly commit: string;
  /** Every file (blob) in the tree at `commit`, sorted by path. Cached after the first call. */
  listFiles(): Promise<TreeEntry[]>;
  /**
   * Read many files at once. Missing paths are absent from the result.
   * Implementations batch requests and cache blobs by SHA.
   */
  readFiles(paths: string[]): Promise<Map<string, BlobContent>>;
}

/** Counts what a snapshot cost, for benchmarks and manifests. */
export interface SnapshotStats {
  requests: number;
  blobCacheHits: number;
  blobsFetched: number;
}
