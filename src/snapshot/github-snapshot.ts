import { DEFAULT_MAX_TEXT_BYTES } from "./binary-detect.js";
import { sharedBlobCache, type BlobCache, type CachedBlob } from "./blob-cache.js";
import { fetchBlobBatch, short, wrap, type BlobRequest, type OctokitLike } from "./github-blob-batch.js";
import { createLimiter } from "./limit-concurrency.js";
import type { BlobContent, RepoSnapshot, SnapshotStats, TreeEntry } from "./repo-snapshot.js";
import { SnapshotError } from "./snapshot-error.js";
import { byPath } from "./tree-order.js";
import { contentsByPath, memoizeListing } from "./listing-index.js";

export type { OctokitLike } from "./github-blob-batch.js";

export interface GitHubSnapshotOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** Commit SHA. A ref name works too, but its listing is then never cached (refs move). */
  commit: string;
  /** Shared across snapshots; defaults to one process-wide LRU. */
  cache?: BlobCache;
  /** Blobs per GraphQL request (default 100). */
  batchSize?: number;
  /**
   * Upper bound on the summed size of the blobs in one GraphQL request
   * (default 8 MiB), so a batch of large files does not become one huge,
   * slow response. Only matters for repositories with many large files.
   */
  maxBatchBytes?: number;
  /** Blobs above this size are reported with text null (default 1 MiB), as in local mode. */
  maxTextBytes?: number;
  /** Concurrent requests (GraphQL batches, subtree walks). Default 4. */
  concurrency?: number;
  /** Told when the listing had to fall back to walking subtrees. */
  log?: { warn(message: string): void };
}

export interface GitHubSnapshotStats extends SnapshotStats {
  treeRequests: number;
  graphqlRequests: number;
  restBlobRequests: number;
  /** The listing came from the cache (no tree request). */
  treeFromCache: boolean;
  /** GitHub truncated the recursive tree and the listing walked subtrees instead. */
  treeWalked: boolean;
}

export type GitHubSnapshot = RepoSnapshot & { stats(): GitHubSnapshotStats };

interface GitTreeItem {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}
interface GitTreeResponse {
  sha: string;
  tree: GitTreeItem[];
  truncated: boolean;
}

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * A repository at one commit, read through the GitHub API:
 * - listFiles: one `GET git/trees/{commit}?recursive=1` (or zero, from the cache);
 * - readFiles: uncached blobs fetched `batchSize` at a time with aliased
 *   GraphQL `object(oid:)` lookups, so N files cost ceil(N / batchSize) requests.
 * Every request made is counted in `stats()`.
 */
export function createGitHubSnapshot(opts: GitHubSnapshotOptions): GitHubSnapshot {
  const { octokit, owner, repo, commit } = opts;
  const cache = opts.cache ?? sharedBlobCache();
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 100));
  const maxBatchBytes = opts.maxBatchBytes ?? 8 * 1024 * 1024;
  const maxTextBytes = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const limit = createLimiter(opts.concurrency ?? 4);
  // Keyed by repository too: a commit SHA is only meaningful (and only
  // known to be readable by this token) inside the repository it came from.
  const treeKey = FULL_SHA.test(commit) ? `gh:${owner.toLowerCase()}/${repo.toLowerCase()}@${commit}` : undefined;

  const stats: GitHubSnapshotStats = {
    requests: 0,
    blobCacheHits: 0,
    blobsFetched: 0,
    treeRequests: 0,
    graphqlRequests: 0,
    restBlobRequests: 0,
    treeFromCache: false,
    treeWalked: false,
  };
  const target = {
    octokit,
    owner,
    repo,
    commit,
    maxTextBytes,
    onRequest(kind: "graphql" | "rest-blob"): void {
      stats.requests++;
      if (kind === "graphql") stats.graphqlRequests++;
      else stats.restBlobRequests++;
    },
  };

  // Blobs being fetched by this snapshot, so concurrent readFiles calls that
  // share files do not fetch them twice.
  const inFlight = new Map<string, Promise<Map<string, CachedBlob>>>();

  async function getTree(treeSha: string, recursive: boolean): Promise<GitTreeResponse> {
    stats.requests++;
    stats.treeRequests++;
    try {
      const res = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        owner,
        repo,
        tree_sha: treeSha,
        ...(recursive ? { recursive: "1" } : {}),
      });
      const data = res.data as Partial<GitTreeResponse>;
      if (!Array.isArray(data.tree)) throw new Error("response has no `tree` array");
      return { sha: String(data.sha ?? treeSha), tree: data.tree, truncated: data.truncated === true };
    } catch (err) {
      throw wrap(target, `GET git/trees/${short(treeSha)}${recursive ? "?recursive=1" : ""}`, err);
    }
  }

  /**
   * GitHub caps recursive listings (100,000 entries / 7 MB) and sets
   * `truncated`. Then list the root without recursion and walk every
   * subtree the same way: one request per directory, `concurrency` at a time.
   */
  async function walkTree(): Promise<TreeEntry[]> {
    const files: TreeEntry[] = [];
    let level: Array<{ sha: string; prefix: string }> = [{ sha: commit, prefix: "" }];
    while (level.length > 0) {
      const responses = await Promise.all(level.map((dir) => limit(async () => ({ dir, res: await getTree(dir.sha, false) }))));
      const next: Array<{ sha: string; prefix: string }> = [];
      for (const { dir, res } of responses) {
        for (const item of res.tree) {
          if (typeof item.path !== "string" || typeof item.sha !== "string") continue;
          const path = dir.prefix + item.path;
          if (item.type === "tree") next.push({ sha: item.sha, prefix: `${path}/` });
          else if (item.type === "blob") files.push(toEntry(path, item.sha, item.size));
        }
      }
      level = next;
    }
    return files;
  }

  async function loadListing(): Promise<readonly TreeEntry[]> {
    const cached = treeKey === undefined ? undefined : cache.getTree(treeKey);
    if (cached !== undefined) {
      stats.treeFromCache = true;
      return cached;
    }
    const res = await getTree(commit, true);
    let files: TreeEntry[];
    if (res.truncated) {
      stats.treeWalked = true;
      opts.log?.warn(
        `GitHub truncated the recursive tree of ${owner}/${repo}@${short(commit)}; listing it by walking subtrees (one request per directory)`,
      );
      files = await walkTree();
    } else {
      files = [];
      // Submodules (type "commit") have no content here; trees are implied by paths.
      for (const item of res.tree) {
        if (item.type === "blob" && typeof item.path === "string" && typeof item.sha === "string") {
          files.push(toEntry(item.path, item.sha, item.size));
        }
      }
    }
    files.sort(byPath);
    if (treeKey !== undefined) cache.setTree(treeKey, files);
    return files;
  }

  const index = memoizeListing(loadListing);

  async function listFiles(): Promise<TreeEntry[]> {
    const { files } = await index();
    return files.slice();
  }

  async function readFiles(paths: string[]): Promise<Map<string, BlobContent>> {
    const { byPath } = await index();
    const wanted: TreeEntry[] = [];
    const seen = new Set<string>();
    for (const p of paths) {
      const entry = byPath.get(p);
      if (entry !== undefined && !seen.has(p)) {
        seen.add(p);
        wanted.push(entry);
      }
    }

    // Resolved blobs, plus the batches (this call's or a concurrent call's)
    // still to wait for: one promise per batch, not per blob.
    const blobs = new Map<string, CachedBlob>();
    const waitFor = new Set<Promise<Map<string, CachedBlob>>>();
    const toFetch: BlobRequest[] = [];
    const queued = new Set<string>();
    for (const entry of wanted) {
      if (blobs.has(entry.sha) || queued.has(entry.sha)) continue;
      const size = entry.size ?? 0;
      const hit = cache.getBlob(entry.sha);
      const pending = inFlight.get(entry.sha);
      if (hit !== undefined) {
        stats.blobCacheHits++;
        blobs.set(entry.sha, hit);
      } else if (pending !== undefined) {
        queued.add(entry.sha);
        waitFor.add(pending);
      } else if (size > maxTextBytes) {
        // Too large to be used as text: known from the listing, no request.
        blobs.set(entry.sha, { text: null, size });
      } else {
        queued.add(entry.sha);
        toFetch.push({ sha: entry.sha, size });
      }
    }

    for (const batch of makeBatches(toFetch, batchSize, maxBatchBytes)) {
      const fetched = limit(() => fetchBlobBatch(target, batch));
      for (const b of batch) inFlight.set(b.sha, fetched);
      waitFor.add(fetched);
      fetched
        .then(
          (m) => {
            stats.blobsFetched += m.size;
            for (const [sha, blob] of m) cache.setBlob(sha, blob);
          },
          () => undefined,
        )
        .finally(() => {
          for (const b of batch) if (inFlight.get(b.sha) === fetched) inFlight.delete(b.sha);
        });
    }

    for (const fetched of await Promise.all(waitFor)) {
      for (const [sha, blob] of fetched) if (queued.has(sha)) blobs.set(sha, blob);
    }
    for (const sha of queued) {
      if (!blobs.has(sha)) throw new SnapshotError(`GitHub snapshot ${owner}/${repo}@${short(commit)}: blob ${sha} missing from its batch`);
    }

    return contentsByPath(wanted, blobs);
  }

  return {
    commit,
    listFiles,
    readFiles,
    stats: () => ({ ...stats }),
  };
}

/** Split by count, and by summed size so no single response is huge. */
function makeBatches(blobs: BlobRequest[], batchSize: number, maxBatchBytes: number): BlobRequest[][] {
  const batches: BlobRequest[][] = [];
  let current: BlobRequest[] = [];
  let bytes = 0;
  for (const b of blobs) {
    if (current.length > 0 && (current.length >= batchSize || bytes + b.size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(b);
    bytes += b.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toEntry(path: string, sha: string, size: unknown): TreeEntry {
  return typeof size === "number" ? { path, sha, size } : { path, sha };
}
