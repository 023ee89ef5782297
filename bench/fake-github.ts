import type { OctokitLike } from "../src/snapshot/github-blob-batch.js";
import type { RepoSnapshot } from "../src/snapshot/repo-snapshot.js";
import { GitObjectStore, type FileEntry } from "../test/support/fake-github/git-object-store.js";
import { blobPayload, treePayload } from "../test/support/fake-github/git-payloads.js";
import { blobBatchAnswer } from "../test/support/fake-github/graphql-blob-batch.js";
import type { GitHubSite } from "../test/support/fake-github/github-site.js";
import type { SyntheticRepo } from "./synthetic-repo.js";

/**
 * GitHub for one repository, in memory, for the benchmark: the shared fake
 * GitHub core of the tests and the loopback run (test/support/fake-github:
 * the git object store, with real blob, tree and commit ids, and the REST
 * and GraphQL payloads), called in process as an Octokit would be, without
 * HTTP. It answers exactly the requests a GitHub snapshot makes (recursive
 * tree, GraphQL blob batches, REST blobs), only for objects it has (404
 * otherwise, as GitHub does), and counts them by kind. `commit()` makes a
 * new commit on top of the head with a few files changed.
 *
 * By default every response goes through JSON (stringify + parse), as it
 * would over HTTP, so the time measured includes decoding the payloads.
 */

export interface RequestCounts {
  tree: number;
  graphql: number;
  restBlob: number;
  /** Blob objects asked for across all GraphQL requests. */
  graphqlBlobs: number;
  /** Requests the fake does not know (answered 404). */
  other: number;
}

export interface FakeGitHubOptions {
  /** Round-trip latency added to every request, in ms (default 0). */
  latencyMs?: number;
  /** Send responses through JSON as HTTP would (default true). */
  wire?: boolean;
}

/** Every commit of the benchmark is dated the same, so its ids are the same on every run. */
const COMMIT_DATE = "2026-11-25T12:00:00Z";

function benchSite(owner: string, repo: string): GitHubSite {
  return {
    owner,
    repo,
    apiUrl: "https://api.github.com",
    webUrl: "https://github.com",
    rawUrl: "https://raw.githubusercontent.com",
    app: { id: 1, slug: "baton-bench", name: "Baton" },
    committer: { name: "Baton Bench", email: "bench@example.com" },
    nodeId: (kind, key) => `${kind}_${String(key)}`,
    userId: (login) => 1000 + login.length,
    avatarUrl: (id) => `https://avatars.githubusercontent.com/u/${id}?v=4`,
    labelId: (name) => 1000 + name.length,
  };
}

export class FakeGitHub implements OctokitLike {
  readonly owner: string;
  readonly repo: string;
  readonly git: GitObjectStore;
  private readonly site: GitHubSite;
  private current: string;
  private tally: RequestCounts = emptyCounts();
  private served = 0;
  private readonly latencyMs: number;
  private readonly wire: boolean;

  constructor(synthetic: SyntheticRepo, options: FakeGitHubOptions = {}) {
    this.owner = synthetic.owner;
    this.repo = synthetic.name;
    this.site = benchSite(this.owner, this.repo);
    this.latencyMs = options.latencyMs ?? 0;
    this.wire = options.wire ?? true;
    this.git = new GitObjectStore({ author: this.site.committer, now: () => COMMIT_DATE });
    const files = new Map<string, FileEntry>();
    for (const f of synthetic.files) files.set(f.path, { sha: this.git.storeBlob(f.text()), mode: "100644" });
    this.current = this.git.addCommit(this.git.storeTree(files), [], "Synthetic repository");
  }

  /** The latest commit. */
  get head(): string {
    return this.current;
  }

  /**
   * A new commit on top of the head: `changes` maps a path to its new
   * content (a new path adds a file). Returns the new commit SHA.
   */
  commit(changes: Record<string, string>): string {
    this.current = this.git.commitOnto(this.current, changes, "Change files");
    return this.current;
  }

  /** Content of a file at a commit (head by default). */
  read(path: string, commit = this.current): string | undefined {
    const entry = this.git.flatten(commit).get(path);
    return entry ? this.git.text(entry.sha) : undefined;
  }

  counts(): RequestCounts {
    return { ...this.tally };
  }

  /** Time spent answering since the last reset (building and encoding responses), ms. */
  serveMs(): number {
    return this.served;
  }

  resetCounts(): void {
    this.tally = emptyCounts();
    this.served = 0;
  }

  async request(route: string, params: Record<string, unknown> = {}): Promise<{ data: unknown }> {
    await this.delay();
    const start = performance.now();
    try {
      return this.answerRequest(route, params);
    } finally {
      this.served += performance.now() - start;
    }
  }

  async graphql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    await this.delay();
    const start = performance.now();
    try {
      return this.answerGraphql(query, variables);
    } finally {
      this.served += performance.now() - start;
    }
  }

  private answerRequest(route: string, params: Record<string, unknown>): { data: unknown } {
    this.checkRepo(params.owner, params.repo);
    if (route === "GET /repos/{owner}/{repo}/git/trees/{tree_sha}") {
      this.tally.tree++;
      const sha = String(params.tree_sha);
      // GitHub takes a commit sha for its tree too.
      const tree = this.git.commits.get(sha)?.tree ?? (this.git.trees.has(sha) ? sha : undefined);
      if (!tree) throw httpError(404, "Not Found");
      if (params.recursive === undefined) throw httpError(501, "fake GitHub: only recursive tree listings are implemented");
      return { data: this.send(treePayload(this.site, this.git, tree, true)) };
    }
    if (route === "GET /repos/{owner}/{repo}/git/blobs/{file_sha}") {
      this.tally.restBlob++;
      const sha = String(params.file_sha);
      const bytes = this.git.blobs.get(sha);
      if (bytes === undefined) throw httpError(404, "Not Found");
      return { data: this.send(blobPayload(this.site, sha, bytes)) };
    }
    this.tally.other++;
    throw httpError(404, `fake GitHub: no route ${route}`);
  }

  private answerGraphql(query: string, variables: Record<string, unknown>): unknown {
    this.tally.graphql++;
    this.checkRepo(variables.owner, variables.name);
    if (!query.startsWith("query BatonBlobs(")) throw httpError(400, "fake GitHub: unexpected GraphQL query");
    for (let i = 0; `o${i}` in variables; i++) {
      if (!query.includes(`f${i}: object(oid: $o${i})`)) throw httpError(400, `fake GitHub: alias f${i} missing from the query`);
      this.tally.graphqlBlobs++;
    }
    // Octokit's graphql() resolves to `data`.
    const answer = blobBatchAnswer(query, variables, (oid) => this.git.blobs.get(oid) ?? (this.git.trees.has(oid) || this.git.commits.has(oid) ? "other" : undefined));
    return this.send(answer.data);
  }

  private send<T>(data: T): T {
    return this.wire ? (JSON.parse(JSON.stringify(data)) as T) : data;
  }

  private checkRepo(owner: unknown, repo: unknown): void {
    if (owner !== this.owner || repo !== this.repo) throw httpError(404, `fake GitHub: unknown repository ${String(owner)}/${String(repo)}`);
  }

  private async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}

function emptyCounts(): RequestCounts {
  return { tree: 0, graphql: 0, restBlob: 0, graphqlBlobs: 0, other: 0 };
}

export function totalRequests(c: RequestCounts): number {
  return c.tree + c.graphql + c.restBlob + c.other;
}

function httpError(status: number, message: string): Error & { status: number } {
  return Object.assign(new Error(message), { status, name: "HttpError" });
}

/**
 * What the request count should be: each `readFiles` call fetches its
 * uncached blobs in ceil(n / batchSize) GraphQL requests. Wraps a snapshot
 * and records, per call, how many blobs the underlying snapshot fetched
 * (`blobsFetched()` is read before and after the call). Calls must not
 * overlap for the attribution to be exact; the graph reads sequentially.
 */
export interface ReadTrace {
  snapshot: RepoSnapshot;
  /** Blobs fetched by each readFiles call (0 when all came from the cache). */
  fetchedPerCall: number[];
}

export function traceReads(snapshot: RepoSnapshot, blobsFetched: () => number): ReadTrace {
  const fetchedPerCall: number[] = [];
  return {
    fetchedPerCall,
    snapshot: {
      commit: snapshot.commit,
      listFiles: () => snapshot.listFiles(),
      readFiles: async (paths) => {
        const before = blobsFetched();
        const out = await snapshot.readFiles(paths);
        fetchedPerCall.push(blobsFetched() - before);
        return out;
      },
    },
  };
}

/** GraphQL requests forced by the batch size: Σ ceil(fetched per call / batch). */
export function expectedGraphqlRequests(fetchedPerCall: readonly number[], batchSize: number): number {
  return fetchedPerCall.reduce((sum, n) => sum + Math.ceil(n / batchSize), 0);
}
