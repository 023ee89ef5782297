import { createHash } from "node:crypto";
import type { OctokitLike } from "../src/snapshot/github-blob-batch.js";
import type { RepoSnapshot } from "../src/snapshot/repo-snapshot.js";
import { gitBlobSha, type SyntheticRepo } from "./synthetic-repo.js";

/**
 * An in-memory GitHub for one repository: answers exactly the requests a
 * GitHub snapshot makes (recursive tree, GraphQL blob batches, REST blobs),
 * without network, and counts them by kind. Commits are immutable trees;
 * `commit()` makes a new one from the head with a few files changed.
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

interface TreeFile {
  path: string;
  sha: string;
  size: number;
}

export interface FakeGitHubOptions {
  /** Round-trip latency added to every request, in ms (default 0). */
  latencyMs?: number;
  /** Send responses through JSON as HTTP would (default true). */
  wire?: boolean;
}

export class FakeGitHub implements OctokitLike {
  readonly owner: string;
  readonly repo: string;
  private readonly blobs = new Map<string, () => string>();
  private readonly commits = new Map<string, TreeFile[]>();
  private readonly parents = new Map<string, string>();
  private current: string;
  private tally: RequestCounts = emptyCounts();
  private served = 0;
  private readonly latencyMs: number;
  private readonly wire: boolean;

  constructor(synthetic: SyntheticRepo, options: FakeGitHubOptions = {}) {
    this.owner = synthetic.owner;
    this.repo = synthetic.name;
    this.latencyMs = options.latencyMs ?? 0;
    this.wire = options.wire ?? true;
    for (const f of synthetic.files) this.blobs.set(f.sha, f.text);
    this.current = commitSha("root", synthetic.files);
    this.commits.set(this.current, synthetic.files.map(({ path, sha, size }) => ({ path, sha, size })));
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
    const files = (this.commits.get(this.current) ?? []).slice();
    const index = new Map(files.map((f, i) => [f.path, i]));
    for (const [path, text] of Object.entries(changes)) {
      const sha = gitBlobSha(text);
      this.blobs.set(sha, () => text);
      const entry = { path, sha, size: Buffer.byteLength(text) };
      const at = index.get(path);
      if (at === undefined) files.push(entry);
      else files[at] = entry;
    }
    const sha = commitSha(this.current, files);
    this.commits.set(sha, files);
    this.parents.set(sha, this.current);
    this.current = sha;
    return sha;
  }

  /** Content of a file at a commit (head by default). */
  read(path: string, commit = this.current): string | undefined {
    const entry = this.commits.get(commit)?.find((f) => f.path === path);
    return entry ? this.blobs.get(entry.sha)?.() : undefined;
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
      const files = this.commits.get(String(params.tree_sha));
      if (!files) throw httpError(404, "Not Found");
      if (params.recursive === undefined) throw httpError(501, "fake GitHub: only recursive tree listings are implemented");
      return { data: this.send({ sha: params.tree_sha, tree: treeItems(files), truncated: false }) };
    }
    if (route === "GET /repos/{owner}/{repo}/git/blobs/{file_sha}") {
      this.tally.restBlob++;
      const text = this.blobs.get(String(params.file_sha))?.();
      if (text === undefined) throw httpError(404, "Not Found");
      const bytes = Buffer.from(text, "utf8");
      return { data: this.send({ sha: params.file_sha, size: bytes.length, encoding: "base64", content: bytes.toString("base64") }) };
    }
    this.tally.other++;
    throw httpError(404, `fake GitHub: no route ${route}`);
  }

  private answerGraphql(query: string, variables: Record<string, unknown>): unknown {
    this.tally.graphql++;
    this.checkRepo(variables.owner, variables.name);
    if (!query.startsWith("query BatonBlobs(")) throw httpError(400, "fake GitHub: unexpected GraphQL query");
    const repository: Record<string, unknown> = {};
    for (let i = 0; `o${i}` in variables; i++) {
      const sha = String(variables[`o${i}`]);
      if (!query.includes(`f${i}: object(oid: $o${i})`)) throw httpError(400, `fake GitHub: alias f${i} missing from the query`);
      this.tally.graphqlBlobs++;
      const text = this.blobs.get(sha)?.();
      repository[`f${i}`] = text === undefined ? null : { text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
    }
    return this.send({ repository });
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

function commitSha(parent: string, files: readonly TreeFile[]): string {
  const hash = createHash("sha1").update(`commit ${parent}\n`);
  for (const f of files) hash.update(`${f.path}\0${f.sha}\n`);
  return hash.digest("hex");
}

/** GitHub's recursive listing: directories as "tree" items before their contents, blobs with sizes. */
function treeItems(files: readonly TreeFile[]): object[] {
  const items: object[] = [];
  const dirs = new Set<string>();
  for (const f of files) {
    for (let slash = f.path.indexOf("/"); slash >= 0; slash = f.path.indexOf("/", slash + 1)) {
      const dir = f.path.slice(0, slash);
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      items.push({ path: dir, mode: "040000", type: "tree", sha: createHash("sha1").update(`tree:${dir}`).digest("hex") });
    }
    items.push({ path: f.path, mode: "100644", type: "blob", sha: f.sha, size: f.size });
  }
  return items;
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
