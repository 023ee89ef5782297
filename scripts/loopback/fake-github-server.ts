import { createHash, randomBytes, verify as verifySignature } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gitBlobSha, gitCommitSha, gitTreeSha, rightSideLines, sortTreeEntries, unifiedPatch, type TreeEntry } from "./git-objects.js";

/**
 * A small stateful GitHub (Enterprise) API on 127.0.0.1, for running the
 * real Baton process against: REST under /api/v3 and GraphQL at
 * /api/graphql, as Probot's GHE_HOST / GHE_PROTOCOL settings address them.
 *
 * It keeps real state: git objects (blob, tree and commit ids computed as
 * git computes them), refs, issues, comments, pull requests (head and base
 * follow their branches; files and patches are computed from the trees),
 * reviews and check runs. Every write changes the state, so a second run of
 * the app (redelivery, restart) sees what the first one left, as on GitHub.
 * It checks what GitHub checks where it matters to Baton: the app's JWT
 * (RS256, signed with the app's key) for installation tokens, the token on
 * every other request, review comments only on diff lines, one open pull
 * request per head, fast-forward-only ref updates.
 *
 * Every request is recorded. A route it does not know is logged loudly,
 * recorded in `unmatched` and answered 404, so missing coverage is visible.
 */

type Json = Record<string, unknown>;

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  installationId?: number;
  appId?: number;
  /** The app's public key (PEM): installation token requests must carry a JWT it verifies. */
  appPublicKey: string;
  /** Login Baton's writes are attributed to. */
  botLogin?: string;
  /** Where loud messages go (unknown routes, server errors). Default: stderr. */
  log?: (line: string) => void;
  /** Log every request too (LOOPBACK_TRACE=1). */
  trace?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the /api/v3 prefix and without the query, decoded. */
  path: string;
  query: URLSearchParams;
  status: number;
  /** Milliseconds (performance.now()) when the answer was sent. */
  at: number;
  body: unknown;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}
export interface IssueRecord {
  number: number;
  title: string;
  body: string;
  labels: string[];
  user: { login: string; type: "User" | "Bot" };
  createdAt: string;
  updatedAt: string;
  isPull: boolean;
}
export interface PullRecord {
  number: number;
  headRef: string;
  baseRef: string;
  draft: boolean;
}
export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  createdAt: string;
  updatedAt: string;
}
export interface ReviewRecord {
  id: number;
  pullNumber: number;
  commitId: string;
  body: string;
  state: string;
  user: { login: string; type: "User" | "Bot" };
  submittedAt: string;
  comments: { id: number; path: string; line: number; side: string; body: string }[];
}
export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  externalId: string | null;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title?: string | null; summary?: string | null; text?: string | null } | null;
  /** Every status it went through, in order ("queued", "in_progress", "completed:success"…). */
  history: string[];
}

/** What exists, by identity: compared before and after a redelivery to prove nothing was duplicated. */
export interface Census {
  branches: Record<string, string>;
  pulls: { number: number; head: string }[];
  reviews: { id: number; pullNumber: number; commitId: string; inline: number }[];
  comments: { id: number; issueNumber: number; marker: string }[];
  checkRuns: { id: number; name: string; headSha: string; externalId: string | null; conclusion: string | null }[];
  commits: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Json,
  ) {
    super(String(payload.message ?? status));
  }
}

const notFound = () => new HttpError(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
const unprocessable = (message: string, errors?: unknown[]) =>
  new HttpError(422, { message, ...(errors ? { errors } : {}), documentation_url: "https://docs.github.com/rest", status: "422" });

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class FakeGitHubServer {
  readonly owner: string;
  readonly repo: string;
  readonly installationId: number;
  readonly appId: number;
  readonly bot: { login: string; type: "Bot" };

  readonly requests: RecordedRequest[] = [];
  readonly unmatched: string[] = [];
  readonly serverErrors: string[] = [];
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitRecord>();
  readonly refs = new Map<string, string>();
  readonly issues = new Map<number, IssueRecord>();
  readonly pulls = new Map<number, PullRecord>();
  readonly comments: CommentRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  /** login → "admin" | "maintain" | "write" | "triage" | "read"; absent: not a collaborator (404). */
  readonly permissions = new Map<string, string>();
  defaultBranch = "main";
  tokensIssued = 0;
  /** Requests being answered right now. */
  inFlight = 0;

  private readonly tokens = new Set<string>();
  private readonly appPublicKey: string;
  private readonly log: (line: string) => void;
  private readonly trace: boolean;
  private server: Server | undefined;
  private nextId = 1000;
  private port = 0;

  constructor(options: FakeGitHubOptions) {
    this.owner = options.owner ?? "acme";
    this.repo = options.repo ?? "widgets";
    this.installationId = options.installationId ?? 4242;
    this.appId = options.appId ?? 1;
    this.appPublicKey = options.appPublicKey;
    this.bot = { login: options.botLogin ?? "baton-loopback[bot]", type: "Bot" };
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.trace = options.trace ?? false;
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port: 0, host: "127.0.0.1" }, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `127.0.0.1:<port>`: the value of GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return `http://${this.host}/api/v3`;
  }
  /** Web URLs (html_url) of this "GitHub Enterprise". */
  get webUrl(): string {
    return `http://${this.host}`;
  }
  get repoHtml(): string {
    return `${this.webUrl}/${this.owner}/${this.repo}`;
  }
  private get repoApi(): string {
    return `${this.apiUrl}/repos/${this.owner}/${this.repo}`;
  }

  /** When the last request was answered (performance.now()), or 0. */
  lastRequestAt(): number {
    return this.requests[this.requests.length - 1]?.at ?? 0;
  }

  // -------------------------------------------------------------- state

  private id(): number {
    return ++this.nextId;
  }

  private storeBlob(bytes: Buffer): string {
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** Stores path → {sha, mode} as trees; returns the root tree sha. */
  private storeTree(files: Map<string, { sha: string; mode: string }>): string {
    type Dir = Map<string, Dir | { sha: string; mode: string }>;
    const root: Dir = new Map();
    for (const [path, file] of files) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          dir.set(part, next);
        }
        dir = next;
      }
      dir.set(parts[parts.length - 1]!, file);
    }
    const build = (dir: Dir): string => {
      const entries: TreeEntry[] = [];
      for (const [name, value] of dir) {
        if (value instanceof Map) entries.push({ name, mode: "040000", type: "tree", sha: build(value) });
        else entries.push({ name, mode: value.mode, type: "blob", sha: value.sha });
      }
      const sorted = sortTreeEntries(entries);
      const sha = gitTreeSha(sorted);
      this.trees.set(sha, sorted);
      return sha;
    };
    return build(root);
  }

  private addCommit(tree: string, parents: string[], message: string): string {
    const date = now();
    const sha = gitCommitSha(tree, parents, message, date);
    this.commits.set(sha, { sha, tree, parents, message, date });
    return sha;
  }

  /** A commit of exactly these files (as a person would push it); returns its sha. */
  commitFiles(files: Record<string, string>, message: string, parents: string[] = []): string {
    const entries = new Map<string, { sha: string; mode: string }>();
    for (const [path, content] of Object.entries(files)) entries.set(path, { sha: this.storeBlob(Buffer.from(content, "utf8")), mode: "100644" });
    return this.addCommit(this.storeTree(entries), parents, message);
  }

  setBranch(name: string, sha: string): void {
    this.refs.set(`heads/${name}`, sha);
  }

  branchSha(name: string): string | undefined {
    return this.refs.get(`heads/${name}`);
  }

  /** path → {sha, mode} of every file of a commit or tree. */
  flatten(treeish: string): Map<string, { sha: string; mode: string }> {
    const root = this.commits.get(treeish)?.tree ?? treeish;
    const out = new Map<string, { sha: string; mode: string }>();
    const walk = (sha: string, prefix: string) => {
      for (const e of this.trees.get(sha) ?? []) {
        if (e.type === "tree") walk(e.sha, `${prefix}${e.name}/`);
        else out.set(`${prefix}${e.name}`, { sha: e.sha, mode: e.mode });
      }
    };
    walk(root, "");
    return out;
  }

  /** path → text of every file of a commit. */
  filesAt(commit: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [path, f] of this.flatten(commit)) out[path] = this.blobs.get(f.sha)?.toString("utf8") ?? "";
    return out;
  }

  addIssue(issue: { number?: number; title: string; body: string; labels?: string[]; user?: string }): IssueRecord {
    const at = now();
    const number = issue.number ?? this.nextNumber();
    const record: IssueRecord = { number, title: issue.title, body: issue.body, labels: issue.labels ?? [], user: { login: issue.user ?? "octocat", type: "User" }, createdAt: at, updatedAt: at, isPull: false };
    this.issues.set(number, record);
    return record;
  }

  /** A person adds a label (the issue's updated_at moves, as on GitHub). */
  labelIssue(number: number, label: string): void {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`no issue #${number}`);
    if (!issue.labels.includes(label)) issue.labels.push(label);
    issue.updatedAt = now();
  }

  /** A person comments; returns the comment (for the issue_comment webhook). */
  addComment(issueNumber: number, body: string, by: { login: string; type: "User" | "Bot" }): CommentRecord {
    const issue = this.issues.get(issueNumber);
    if (!issue) throw new Error(`no issue #${issueNumber}`);
    const at = now();
    const c: CommentRecord = { id: this.id(), issueNumber, body, user: by, createdAt: at, updatedAt: at };
    this.comments.push(c);
    issue.updatedAt = at;
    return c;
  }

  commentsOn(issueNumber: number): CommentRecord[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  pullHeadSha(p: PullRecord): string {
    return this.branchSha(p.headRef) ?? "";
  }

  private nextNumber(): number {
    return Math.max(0, ...this.issues.keys()) + 1;
  }

  census(): Census {
    const marker = (body: string) => /<!-- baton:[^>]*-->/.exec(body)?.[0] ?? "";
    return {
      branches: Object.fromEntries([...this.refs].filter(([r]) => r.startsWith("heads/")).map(([r, sha]) => [r.slice("heads/".length), sha])),
      pulls: [...this.pulls.values()].map((p) => ({ number: p.number, head: p.headRef })),
      reviews: this.reviews.map((r) => ({ id: r.id, pullNumber: r.pullNumber, commitId: r.commitId, inline: r.comments.length })),
      comments: this.comments.map((c) => ({ id: c.id, issueNumber: c.issueNumber, marker: marker(c.body) })),
      checkRuns: this.checkRuns.map((c) => ({ id: c.id, name: c.name, headSha: c.headSha, externalId: c.externalId, conclusion: c.conclusion })),
      commits: this.commits.size,
    };
  }

  // ------------------------------------------------------------ payloads

  userPayload(login: string, type: "User" | "Bot" | "Organization" = "User"): Json {
    const id = 1000 + (createHash("sha1").update(login).digest().readUInt16BE(0) % 50000);
    return {
      login,
      id,
      node_id: `U_${id}`,
      avatar_url: `${this.webUrl}/avatars/u/${id}`,
      gravatar_id: "",
      url: `${this.apiUrl}/users/${encodeURIComponent(login)}`,
      html_url: `${this.webUrl}/${encodeURIComponent(login)}`,
      type,
      site_admin: false,
    };
  }

  repositoryPayload(): Json {
    return {
      id: 1296269,
      node_id: "R_kgDOloopback",
      name: this.repo,
      full_name: `${this.owner}/${this.repo}`,
      private: false,
      owner: this.userPayload(this.owner, "Organization"),
      html_url: this.repoHtml,
      url: this.repoApi,
      description: "Loopback test repository",
      fork: false,
      default_branch: this.defaultBranch,
      master_branch: this.defaultBranch,
      visibility: "public",
      archived: false,
      disabled: false,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: now(),
      pushed_at: now(),
    };
  }

  installationPayload(): Json {
    return { id: this.installationId, node_id: `MDIzOkludGVncmF0aW9u${this.installationId}` };
  }

  labelPayload(name: string): Json {
    const id = 2000 + (createHash("sha1").update(name).digest().readUInt16BE(0) % 50000);
    return { id, node_id: `LA_${id}`, url: `${this.repoApi}/labels/${encodeURIComponent(name)}`, name, color: "ededed", default: false, description: null };
  }

  issuePayload(issue: IssueRecord): Json {
    return {
      url: `${this.repoApi}/issues/${issue.number}`,
      repository_url: this.repoApi,
      comments_url: `${this.repoApi}/issues/${issue.number}/comments`,
      html_url: `${this.repoHtml}/${issue.isPull ? "pull" : "issues"}/${issue.number}`,
      id: 440000 + issue.number,
      node_id: `I_${issue.number}`,
      number: issue.number,
      title: issue.title,
      user: this.userPayload(issue.user.login, issue.user.type),
      labels: issue.labels.map((l) => this.labelPayload(l)),
      state: "open",
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: this.commentsOn(issue.number).length,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: null,
      author_association: issue.user.type === "Bot" ? "NONE" : "MEMBER",
      active_lock_reason: null,
      body: issue.body,
      ...(issue.isPull
        ? {
            pull_request: {
              url: `${this.repoApi}/pulls/${issue.number}`,
              html_url: `${this.repoHtml}/pull/${issue.number}`,
              diff_url: `${this.repoHtml}/pull/${issue.number}.diff`,
              patch_url: `${this.repoHtml}/pull/${issue.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  }

  commentPayload(c: CommentRecord): Json {
    const issue = this.issues.get(c.issueNumber);
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.repoApi}/issues/comments/${c.id}`,
      html_url: `${this.repoHtml}/${issue?.isPull ? "pull" : "issues"}/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.repoApi}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.userPayload(c.user.login, c.user.type),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === "Bot" ? "NONE" : this.permissions.has(c.user.login) ? "MEMBER" : "NONE",
    };
  }

  private pullFiles(p: PullRecord): Json[] {
    const head = this.pullHeadSha(p);
    const base = this.mergeBase(this.branchSha(p.baseRef) ?? "", head) ?? this.branchSha(p.baseRef) ?? "";
    return this.diffFiles(base, head);
  }

  pullPayload(p: PullRecord): Json {
    const issue = this.issues.get(p.number)!;
    const headSha = this.pullHeadSha(p);
    const baseSha = this.branchSha(p.baseRef) ?? "";
    const files = this.pullFiles(p);
    const repo = this.repositoryPayload();
    return {
      url: `${this.repoApi}/pulls/${p.number}`,
      id: 279000000 + p.number,
      node_id: `PR_${p.number}`,
      html_url: `${this.repoHtml}/pull/${p.number}`,
      diff_url: `${this.repoHtml}/pull/${p.number}.diff`,
      patch_url: `${this.repoHtml}/pull/${p.number}.patch`,
      issue_url: `${this.repoApi}/issues/${p.number}`,
      number: p.number,
      state: "open",
      locked: false,
      title: issue.title,
      user: this.userPayload(issue.user.login, issue.user.type),
      body: issue.body,
      labels: issue.labels.map((l) => this.labelPayload(l)),
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      draft: p.draft,
      head: { label: `${this.owner}:${p.headRef}`, ref: p.headRef, sha: headSha, user: this.userPayload(this.owner, "Organization"), repo },
      base: { label: `${this.owner}:${p.baseRef}`, ref: p.baseRef, sha: baseSha, user: this.userPayload(this.owner, "Organization"), repo },
      author_association: "NONE",
      merged: false,
      mergeable: null,
      mergeable_state: "unknown",
      comments: this.commentsOn(p.number).length,
      review_comments: this.reviews.filter((r) => r.pullNumber === p.number).reduce((n, r) => n + r.comments.length, 0),
      commits: this.commitsBetween(baseSha, headSha),
      additions: files.reduce((n, f) => n + Number(f.additions), 0),
      deletions: files.reduce((n, f) => n + Number(f.deletions), 0),
      changed_files: files.length,
    };
  }

  private reviewPayload(r: ReviewRecord): Json {
    return {
      id: r.id,
      node_id: `PRR_${r.id}`,
      user: this.userPayload(r.user.login, r.user.type),
      body: r.body,
      state: r.state,
      html_url: `${this.repoHtml}/pull/${r.pullNumber}#pullrequestreview-${r.id}`,
      pull_request_url: `${this.repoApi}/pulls/${r.pullNumber}`,
      submitted_at: r.submittedAt,
      commit_id: r.commitId,
      author_association: "NONE",
    };
  }

  private checkRunPayload(c: CheckRunRecord): Json {
    return {
      id: c.id,
      node_id: `CR_${c.id}`,
      head_sha: c.headSha,
      external_id: c.externalId,
      url: `${this.repoApi}/check-runs/${c.id}`,
      html_url: `${this.repoHtml}/runs/${c.id}`,
      details_url: `${this.repoHtml}/runs/${c.id}`,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.startedAt,
      completed_at: c.completedAt,
      output: { title: c.output?.title ?? null, summary: c.output?.summary ?? null, text: c.output?.text ?? null, annotations_count: 0, annotations_url: `${this.repoApi}/check-runs/${c.id}/annotations` },
      name: c.name,
      check_suite: { id: 5 },
      app: { id: this.appId, slug: "baton-loopback", name: "Baton (loopback)" },
      pull_requests: [],
    };
  }

  // ------------------------------------------------------------- git helpers

  private isAncestor(ancestor: string, sha: string, seen = new Set<string>()): boolean {
    if (ancestor === sha) return true;
    if (seen.has(sha)) return false;
    seen.add(sha);
    return (this.commits.get(sha)?.parents ?? []).some((p) => this.isAncestor(ancestor, p, seen));
  }

  private ancestors(sha: string): Set<string> {
    const out = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (out.has(s) || !this.commits.has(s)) continue;
      out.add(s);
      stack.push(...this.commits.get(s)!.parents);
    }
    return out;
  }

  private mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    // Breadth-first from b: the nearest common ancestor.
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (ofA.has(s)) return s;
      queue.push(...(this.commits.get(s)?.parents ?? []));
    }
    return undefined;
  }

  private commitsBetween(base: string, head: string): number {
    const ofBase = this.ancestors(base);
    return [...this.ancestors(head)].filter((s) => !ofBase.has(s)).length;
  }

  /** Files changed from one commit to another, as the pulls/files and compare endpoints list them. */
  private diffFiles(base: string, head: string): Json[] {
    const a = this.flatten(base);
    const b = this.flatten(head);
    const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
    const out: Json[] = [];
    for (const path of paths) {
      const before = a.get(path);
      const after = b.get(path);
      if (before?.sha === after?.sha) continue;
      const status = !before ? "added" : !after ? "removed" : "modified";
      const text = (f: { sha: string } | undefined) => (f ? (this.blobs.get(f.sha)?.toString("utf8") ?? "") : "");
      const { patch, additions, deletions } = unifiedPatch(text(before), text(after));
      const sha = after?.sha ?? before!.sha;
      out.push({
        sha,
        filename: path,
        status,
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `${this.repoHtml}/blob/${head}/${path}`,
        raw_url: `${this.repoHtml}/raw/${head}/${path}`,
        contents_url: `${this.repoApi}/contents/${path}?ref=${head}`,
        ...(patch ? { patch } : {}),
      });
    }
    return out;
  }

  /** A branch name, `heads/x`, or a sha → commit sha. */
  private resolve(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(ref.replace(/^refs\//, "")) ?? this.refs.get(`heads/${ref}`);
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${this.host}`);
    const rawPath = url.pathname;
    const path = decodeURIComponent(rawPath.replace(/^\/api\/v3(?=\/)/, ""));
    let body: unknown = undefined;
    let status = 500;
    let payload: unknown;
    const headers: Record<string, string> = {};
    try {
      const text = await readBody(req);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" });
      }
      const handler = this.route(method, rawPath, path);
      if (!handler) {
        this.unmatched.push(`${method} ${rawPath}${url.search}`);
        this.log(`[fake-github] UNHANDLED ROUTE ${method} ${rawPath}${url.search} -> 404 (the fake does not cover this request)`);
        throw notFound();
      }
      if (!(method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path))) this.checkToken(req);
      const result = handler({ query: url.searchParams, body: (body ?? {}) as Json, req, path, rawPath, headers });
      status = result[0];
      payload = result[1];
    } catch (err) {
      if (err instanceof HttpError) {
        status = err.status;
        payload = err.payload;
      } else {
        status = 500;
        payload = { message: `fake-github error: ${err instanceof Error ? err.message : String(err)}` };
        const line = `[fake-github] SERVER ERROR on ${method} ${rawPath}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        this.serverErrors.push(line);
        this.log(line);
      }
    }
    const text = payload === undefined ? "" : JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-github-api-version-selected": "2022-11-28",
      ...headers,
    });
    res.end(text);
    this.requests.push({ method, path, query: url.searchParams, status, at: performance.now(), body });
    if (this.trace) this.log(`[fake-github] ${method} ${rawPath}${url.search} -> ${status}`);
    this.inFlight--;
  }

  private checkToken(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? "";
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    if (!m || !this.tokens.has(m[1]!)) throw new HttpError(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
  }

  /** Verifies the app's JWT (RS256, iss = app id, not expired) as GitHub does. */
  private checkAppJwt(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? "";
    const m = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(auth);
    const fail = (why: string) => new HttpError(401, { message: `A JSON web token could not be decoded (${why})`, documentation_url: "https://docs.github.com/rest", status: "401" });
    if (!m) throw fail("no bearer JWT");
    const [, h, p, s] = m;
    const header = JSON.parse(Buffer.from(h!, "base64url").toString("utf8")) as { alg?: string };
    if (header.alg !== "RS256") throw fail(`alg ${header.alg}`);
    if (!verifySignature("RSA-SHA256", Buffer.from(`${h}.${p}`), this.appPublicKey, Buffer.from(s!, "base64url"))) throw fail("bad signature");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as { iss?: unknown; exp?: number; iat?: number };
    if (String(claims.iss) !== String(this.appId)) throw fail(`iss ${String(claims.iss)}`);
    const t = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp < t) throw fail("expired");
    if (typeof claims.iat === "number" && claims.iat > t + 60) throw fail("issued in the future");
  }

  private page<T>(ctx: Ctx, items: T[], map: (item: T) => unknown): unknown[] {
    const perPage = Math.min(100, Math.max(1, Number(ctx.query.get("per_page") ?? 30) || 30));
    const page = Math.max(1, Number(ctx.query.get("page") ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const q = new URLSearchParams(ctx.query);
      q.set("page", String(n));
      q.set("per_page", String(perPage));
      return `http://${this.host}${ctx.rawPath}?${q.toString()}`;
    };
    const rels: string[] = [];
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    if (rels.length) ctx.headers.link = rels.join(", ");
    return items.slice((page - 1) * perPage, page * perPage).map(map);
  }

  private route(method: string, rawPath: string, path: string): Handler | undefined {
    let g: RegExpExecArray | null;
    if (method === "POST" && rawPath === "/api/graphql") return (ctx) => this.graphql(ctx.body);
    if (method === "POST" && (g = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      const id = Number(g[1]);
      return (ctx) => this.accessToken(ctx.req, id);
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(prefix)) {
      if (/^\/repos\/[^/]+\/[^/]+(\/|$)/.test(path)) return () => [404, notFound().payload];
      return undefined;
    }
    const rest = path.slice(prefix.length);
    const on = (m: string, re: RegExp): RegExpExecArray | null => (method === m ? re.exec(rest) : null);

    if (on("GET", /^$/)) return () => [200, this.repositoryPayload()];
    if ((g = on("GET", /^\/contents\/(.+)$/))) {
      const p = g[1]!;
      return (ctx) => this.contents(p, ctx.query.get("ref"));
    }
    if ((g = on("GET", /^\/collaborators\/([^/]+)\/permission$/))) {
      const login = g[1]!;
      return () => this.permission(login);
    }
    // git data
    if ((g = on("GET", /^\/git\/ref\/(.+)$/))) {
      const ref = g[1]!;
      return () => this.getRef(ref);
    }
    if (on("POST", /^\/git\/refs$/)) return (ctx) => this.createRef(ctx.body);
    if ((g = on("PATCH", /^\/git\/refs\/(.+)$/))) {
      const ref = g[1]!;
      return (ctx) => this.updateRef(ref, ctx.body);
    }
    if ((g = on("GET", /^\/git\/commits\/([0-9a-f]{40})$/))) {
      const sha = g[1]!;
      return () => this.getCommit(sha);
    }
    if (on("POST", /^\/git\/commits$/)) return (ctx) => this.createCommit(ctx.body);
    if ((g = on("GET", /^\/git\/trees\/(.+)$/))) {
      const sha = g[1]!;
      return (ctx) => this.getTree(sha, ["1", "true"].includes(ctx.query.get("recursive") ?? ""));
    }
    if (on("POST", /^\/git\/trees$/)) return (ctx) => this.createTree(ctx.body);
    if ((g = on("GET", /^\/git\/blobs\/([0-9a-f]{40})$/))) {
      const sha = g[1]!;
      return () => this.getBlob(sha);
    }
    if (on("POST", /^\/git\/blobs$/)) return (ctx) => this.createBlob(ctx.body);
    // issues and comments
    if ((g = on("GET", /^\/issues\/(\d+)$/))) {
      const n = Number(g[1]);
      return () => [200, this.issuePayload(this.issueOr404(n))];
    }
    if ((g = on("GET", /^\/issues\/(\d+)\/comments$/))) {
      const n = Number(g[1]);
      return (ctx) => {
        this.issueOr404(n);
        return [200, this.page(ctx, this.commentsOn(n), (c) => this.commentPayload(c))];
      };
    }
    if ((g = on("POST", /^\/issues\/(\d+)\/comments$/))) {
      const n = Number(g[1]);
      return (ctx) => this.createComment(n, ctx.body);
    }
    if ((g = on("PATCH", /^\/issues\/comments\/(\d+)$/))) {
      const id = Number(g[1]);
      return (ctx) => this.updateComment(id, ctx.body);
    }
    if ((g = on("POST", /^\/issues\/(\d+)\/labels$/))) {
      const n = Number(g[1]);
      return (ctx) => this.addLabels(n, ctx.body);
    }
    // pulls
    if (on("GET", /^\/pulls$/)) return (ctx) => this.listPulls(ctx);
    if (on("POST", /^\/pulls$/)) return (ctx) => this.createPull(ctx.body);
    if ((g = on("GET", /^\/pulls\/(\d+)$/))) {
      const n = Number(g[1]);
      return () => [200, this.pullPayload(this.pullOr404(n))];
    }
    if ((g = on("PATCH", /^\/pulls\/(\d+)$/))) {
      const n = Number(g[1]);
      return (ctx) => this.updatePull(n, ctx.body);
    }
    if ((g = on("GET", /^\/pulls\/(\d+)\/files$/))) {
      const n = Number(g[1]);
      return (ctx) => [200, this.page(ctx, this.pullFiles(this.pullOr404(n)), (f) => f)];
    }
    if ((g = on("GET", /^\/pulls\/(\d+)\/reviews$/))) {
      const n = Number(g[1]);
      return (ctx) => {
        this.pullOr404(n);
        return [200, this.page(ctx, this.reviews.filter((r) => r.pullNumber === n), (r) => this.reviewPayload(r))];
      };
    }
    if ((g = on("POST", /^\/pulls\/(\d+)\/reviews$/))) {
      const n = Number(g[1]);
      return (ctx) => this.createReview(n, ctx.body);
    }
    if ((g = on("GET", /^\/compare\/(.+)\.\.\.(.+)$/))) {
      const [base, head] = [g[1]!, g[2]!];
      return (ctx) => this.compare(ctx, base, head);
    }
    // checks
    if ((g = on("GET", /^\/commits\/([^/]+)\/check-runs$/))) {
      const ref = g[1]!;
      return (ctx) => this.listCheckRuns(ctx, ref);
    }
    if (on("POST", /^\/check-runs$/)) return (ctx) => this.createCheckRun(ctx.body);
    if ((g = on("GET", /^\/check-runs\/(\d+)$/))) {
      const id = Number(g[1]);
      return () => [200, this.checkRunPayload(this.checkRunOr404(id))];
    }
    if ((g = on("PATCH", /^\/check-runs\/(\d+)$/))) {
      const id = Number(g[1]);
      return (ctx) => this.updateCheckRun(id, ctx.body);
    }
    return undefined;
  }

  // -------------------------------------------------------------- handlers

  private accessToken(req: IncomingMessage, installationId: number): Result {
    this.checkAppJwt(req);
    if (installationId !== this.installationId) throw notFound();
    const token = `ghs_loopback${++this.tokensIssued}${randomBytes(12).toString("hex")}`;
    this.tokens.add(token);
    return [
      201,
      {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: { checks: "write", contents: "write", issues: "write", pull_requests: "write", metadata: "read" },
        repository_selection: "selected",
      },
    ];
  }

  private graphql(body: Json): Result {
    const query = String(body.query ?? "");
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    if (!/repository\(\s*owner:\s*\$owner,\s*name:\s*\$name\s*\)/.test(query)) {
      this.unmatched.push(`POST /api/graphql ${query.slice(0, 120)}`);
      this.log(`[fake-github] UNHANDLED GRAPHQL QUERY: ${query.slice(0, 300)}`);
      return [200, { data: null, errors: [{ message: "the loopback fake only answers repository(owner:, name:) { alias: object(oid:) } queries" }] }];
    }
    if (variables.owner !== this.owner || variables.name !== this.repo) {
      return [200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: `Could not resolve to a Repository with the name '${String(variables.owner)}/${String(variables.name)}'.` }] }];
    }
    const repository: Json = {};
    for (const m of query.matchAll(/(\w+)\s*:\s*object\(\s*oid:\s*\$(\w+)\s*\)/g)) {
      const oid = String(variables[m[2]!] ?? "");
      const bytes = this.blobs.get(oid);
      if (!bytes) {
        repository[m[1]!] = this.trees.has(oid) || this.commits.has(oid) ? {} : null;
        continue;
      }
      const isBinary = bytes.subarray(0, 8000).includes(0);
      repository[m[1]!] = { text: isBinary ? null : bytes.toString("utf8"), isBinary, isTruncated: false, byteSize: bytes.length };
    }
    return [200, { data: { repository } }];
  }

  private contents(path: string, ref: string | null): Result {
    const commit = this.resolve(ref ?? this.defaultBranch);
    if (!commit) throw notFound();
    const file = this.flatten(commit).get(path);
    if (!file) throw notFound();
    const bytes = this.blobs.get(file.sha)!;
    return [
      200,
      {
        type: "file",
        encoding: "base64",
        size: bytes.length,
        name: path.split("/").pop(),
        path,
        content: bytes.toString("base64").replace(/(.{60})/g, "$1\n"),
        sha: file.sha,
        url: `${this.repoApi}/contents/${path}?ref=${ref ?? this.defaultBranch}`,
        git_url: `${this.repoApi}/git/blobs/${file.sha}`,
        html_url: `${this.repoHtml}/blob/${ref ?? this.defaultBranch}/${path}`,
        download_url: `${this.webUrl}/raw/${this.owner}/${this.repo}/${ref ?? this.defaultBranch}/${path}`,
      },
    ];
  }

  private permission(login: string): Result {
    const permission = this.permissions.get(login);
    if (!permission) throw notFound();
    const legacy = permission === "maintain" ? "write" : permission === "triage" ? "read" : permission;
    return [200, { permission: legacy, role_name: permission, user: this.userPayload(login) }];
  }

  private refPayload(ref: string, sha: string): Json {
    return { ref: `refs/${ref}`, node_id: `REF_${ref}`, url: `${this.repoApi}/git/refs/${ref}`, object: { sha, type: "commit", url: `${this.repoApi}/git/commits/${sha}` } };
  }

  private getRef(ref: string): Result {
    const sha = this.refs.get(ref);
    if (!sha) throw notFound();
    return [200, this.refPayload(ref, sha)];
  }

  private createRef(body: Json): Result {
    const full = String(body.ref ?? "");
    if (!/^refs\/.+\/.+/.test(full)) throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
    const ref = full.replace(/^refs\//, "");
    const sha = String(body.sha ?? "");
    if (this.refs.has(ref)) throw unprocessable("Reference already exists");
    if (!this.commits.has(sha)) throw unprocessable("Object does not exist");
    this.refs.set(ref, sha);
    return [201, this.refPayload(ref, sha)];
  }

  private updateRef(ref: string, body: Json): Result {
    const current = this.refs.get(ref);
    if (!current) throw unprocessable("Reference does not exist");
    const sha = String(body.sha ?? "");
    if (!this.commits.has(sha)) throw unprocessable("Object does not exist");
    if (body.force !== true && !this.isAncestor(current, sha)) throw unprocessable("Update is not a fast forward");
    this.refs.set(ref, sha);
    return [200, this.refPayload(ref, sha)];
  }

  private commitPayload(c: CommitRecord): Json {
    const who = { name: "Baton Loopback", email: "loopback@example.com", date: c.date };
    return {
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 10)}`,
      url: `${this.repoApi}/git/commits/${c.sha}`,
      html_url: `${this.repoHtml}/commit/${c.sha}`,
      author: who,
      committer: who,
      tree: { sha: c.tree, url: `${this.repoApi}/git/trees/${c.tree}` },
      message: c.message,
      parents: c.parents.map((p) => ({ sha: p, url: `${this.repoApi}/git/commits/${p}`, html_url: `${this.repoHtml}/commit/${p}` })),
      verification: { verified: false, reason: "unsigned", signature: null, payload: null },
    };
  }

  private getCommit(sha: string): Result {
    const c = this.commits.get(sha);
    if (!c) throw notFound();
    return [200, this.commitPayload(c)];
  }

  private createCommit(body: Json): Result {
    const tree = String(body.tree ?? "");
    const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
    if (!this.trees.has(tree)) throw unprocessable("Tree SHA does not exist");
    for (const p of parents) if (!this.commits.has(p)) throw unprocessable("Parent SHA does not exist or is not a commit object");
    if (typeof body.message !== "string") throw unprocessable("Invalid request.", ["message is missing"]);
    const sha = this.addCommit(tree, parents, body.message);
    return [201, this.commitPayload(this.commits.get(sha)!)];
  }

  private treeItems(sha: string, recursive: boolean, prefix = ""): Json[] {
    const items: Json[] = [];
    for (const e of this.trees.get(sha) ?? []) {
      const path = `${prefix}${e.name}`;
      if (e.type === "tree") {
        items.push({ path, mode: "040000", type: "tree", sha: e.sha, url: `${this.repoApi}/git/trees/${e.sha}` });
        if (recursive) items.push(...this.treeItems(e.sha, true, `${path}/`));
      } else {
        items.push({ path, mode: e.mode, type: "blob", sha: e.sha, size: this.blobs.get(e.sha)?.length ?? 0, url: `${this.repoApi}/git/blobs/${e.sha}` });
      }
    }
    return items;
  }

  private getTree(treeish: string, recursive: boolean): Result {
    const commit = this.resolve(treeish);
    const sha = commit ? this.commits.get(commit)!.tree : treeish;
    if (!this.trees.has(sha)) throw notFound();
    return [200, { sha, url: `${this.repoApi}/git/trees/${sha}`, tree: this.treeItems(sha, recursive), truncated: false }];
  }

  private createTree(body: Json): Result {
    const base = typeof body.base_tree === "string" ? body.base_tree : undefined;
    if (base && !this.trees.has(base)) throw unprocessable("base_tree is not a valid tree oid");
    const files = base ? this.flatten(base) : new Map<string, { sha: string; mode: string }>();
    const entries = Array.isArray(body.tree) ? (body.tree as Json[]) : [];
    for (const entry of entries) {
      const path = String(entry.path ?? "");
      if (!path || path.startsWith("/") || path.endsWith("/")) throw unprocessable(`tree.path ${JSON.stringify(path)} is invalid`);
      if (entry.type !== undefined && entry.type !== "blob") throw unprocessable(`only blob entries are supported by the loopback fake (got ${String(entry.type)})`);
      if (entry.sha === null) {
        if (!files.delete(path)) throw unprocessable(`tree.path ${path} does not exist in base_tree and cannot be deleted`);
        continue;
      }
      let sha = typeof entry.sha === "string" ? entry.sha : undefined;
      if (typeof entry.content === "string") sha = this.storeBlob(Buffer.from(entry.content, "utf8"));
      if (!sha || !this.blobs.has(sha)) throw unprocessable(`tree.sha ${String(sha)} is not a valid blob`);
      const mode = String(entry.mode ?? "100644");
      if (!["100644", "100755", "120000"].includes(mode)) throw unprocessable(`tree.mode ${mode} is invalid`);
      // A file replacing a directory (or the other way round) is a conflict git would refuse.
      for (const other of files.keys()) if (other.startsWith(`${path}/`)) throw unprocessable(`tree.path ${path} is a directory`);
      files.set(path, { sha, mode });
    }
    const sha = this.storeTree(files);
    return [201, { sha, url: `${this.repoApi}/git/trees/${sha}`, tree: this.treeItems(sha, false), truncated: false }];
  }

  private getBlob(sha: string): Result {
    const bytes = this.blobs.get(sha);
    if (!bytes) throw notFound();
    return [200, { sha, node_id: `B_${sha.slice(0, 10)}`, size: bytes.length, url: `${this.repoApi}/git/blobs/${sha}`, content: bytes.toString("base64").replace(/(.{60})/g, "$1\n"), encoding: "base64" }];
  }

  private createBlob(body: Json): Result {
    if (typeof body.content !== "string") throw unprocessable("Invalid request.", ["content is missing"]);
    const bytes = body.encoding === "base64" ? Buffer.from(body.content, "base64") : Buffer.from(body.content, "utf8");
    const sha = this.storeBlob(bytes);
    return [201, { sha, url: `${this.repoApi}/git/blobs/${sha}` }];
  }

  private issueOr404(n: number): IssueRecord {
    const issue = this.issues.get(n);
    if (!issue) throw notFound();
    return issue;
  }

  private pullOr404(n: number): PullRecord {
    const p = this.pulls.get(n);
    if (!p) throw notFound();
    return p;
  }

  private checkRunOr404(id: number): CheckRunRecord {
    const c = this.checkRuns.find((x) => x.id === id);
    if (!c) throw notFound();
    return c;
  }

  private createComment(n: number, body: Json): Result {
    this.issueOr404(n);
    if (typeof body.body !== "string" || !body.body) throw unprocessable("Validation Failed", [{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    if (Buffer.byteLength(body.body) > 65536) throw unprocessable("Validation Failed", [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }]);
    const c = this.addComment(n, body.body, this.bot);
    return [201, this.commentPayload(c)];
  }

  private updateComment(id: number, body: Json): Result {
    const c = this.comments.find((x) => x.id === id);
    if (!c) throw notFound();
    if (c.user.login !== this.bot.login) throw new HttpError(403, { message: "Resource not accessible by integration", status: "403" });
    if (typeof body.body !== "string" || !body.body) throw unprocessable("Validation Failed", [{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    c.body = body.body;
    c.updatedAt = now();
    return [200, this.commentPayload(c)];
  }

  private addLabels(n: number, body: Json): Result {
    const issue = this.issueOr404(n);
    const labels = Array.isArray(body.labels) ? body.labels.map((l) => (typeof l === "string" ? l : String((l as Json).name))) : [];
    for (const l of labels) if (!issue.labels.includes(l)) issue.labels.push(l);
    issue.updatedAt = now();
    return [200, issue.labels.map((l) => this.labelPayload(l))];
  }

  private listPulls(ctx: Ctx): Result {
    const head = ctx.query.get("head");
    const base = ctx.query.get("base");
    const state = ctx.query.get("state") ?? "open";
    const open = [...this.pulls.values()].filter((p) => (state === "open" || state === "all") && (!head || `${this.owner}:${p.headRef}` === head) && (!base || p.baseRef === base));
    return [200, this.page(ctx, open, (p) => this.pullPayload(p))];
  }

  private createPull(body: Json): Result {
    const head = String(body.head ?? "");
    const headRef = head.includes(":") ? head.slice(head.indexOf(":") + 1) : head;
    if (head.includes(":") && head.slice(0, head.indexOf(":")) !== this.owner) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
    const baseRef = String(body.base ?? "");
    const headSha = this.branchSha(headRef);
    const baseSha = this.branchSha(baseRef);
    if (!headSha) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
    if (!baseSha) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
    if (typeof body.title !== "string" || !body.title) throw unprocessable("Validation Failed", [{ resource: "PullRequest", field: "title", code: "missing_field" }]);
    if ([...this.pulls.values()].some((p) => p.headRef === headRef && p.baseRef === baseRef)) {
      throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${this.owner}:${headRef}.` }]);
    }
    if (this.isAncestor(headSha, baseSha)) throw unprocessable("Validation Failed", [{ resource: "PullRequest", code: "custom", message: `No commits between ${baseRef} and ${headRef}` }]);
    const number = this.nextNumber();
    const at = now();
    this.issues.set(number, { number, title: body.title, body: typeof body.body === "string" ? body.body : "", labels: [], user: this.bot, createdAt: at, updatedAt: at, isPull: true });
    const record: PullRecord = { number, headRef, baseRef, draft: body.draft === true };
    this.pulls.set(number, record);
    return [201, this.pullPayload(record)];
  }

  private updatePull(n: number, body: Json): Result {
    const p = this.pullOr404(n);
    const issue = this.issues.get(n)!;
    if (typeof body.title === "string") issue.title = body.title;
    if (typeof body.body === "string") issue.body = body.body;
    issue.updatedAt = now();
    return [200, this.pullPayload(p)];
  }

  /** As GitHub does: an inline comment off the diff fails the whole review with 422, and so does a verdict on one's own PR. */
  private createReview(n: number, body: Json): Result {
    const p = this.pullOr404(n);
    const issue = this.issues.get(n)!;
    const commitId = typeof body.commit_id === "string" ? body.commit_id : this.pullHeadSha(p);
    if (!this.commits.has(commitId)) throw unprocessable("Unprocessable Entity", ["commit_id is not part of the pull request"]);
    const event = typeof body.event === "string" ? body.event : "PENDING";
    if ((event === "REQUEST_CHANGES" || event === "APPROVE") && issue.user.login === this.bot.login) {
      throw unprocessable("Unprocessable Entity", [`Can not ${event === "APPROVE" ? "approve" : "request changes on"} your own pull request`]);
    }
    const files = this.pullFiles(p);
    const raw = Array.isArray(body.comments) ? (body.comments as Json[]) : [];
    const comments: ReviewRecord["comments"] = [];
    for (const c of raw) {
      const file = files.find((f) => f.filename === c.path);
      const line = Number(c.line ?? c.position);
      if (!file || typeof file.patch !== "string" || (c.side ?? "RIGHT") !== "RIGHT" || !rightSideLines(file.patch).has(line)) {
        throw unprocessable("Unprocessable Entity", ["Line could not be resolved"]);
      }
      comments.push({ id: this.id(), path: String(c.path), line, side: "RIGHT", body: String(c.body ?? "") });
    }
    if (event === "COMMENT" && !body.body && comments.length === 0) throw unprocessable("Unprocessable Entity", ["Review body is required for a COMMENT event"]);
    const state = event === "APPROVE" ? "APPROVED" : event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : event === "COMMENT" ? "COMMENTED" : "PENDING";
    const r: ReviewRecord = { id: this.id(), pullNumber: n, commitId, body: String(body.body ?? ""), state, user: this.bot, submittedAt: now(), comments };
    this.reviews.push(r);
    return [200, this.reviewPayload(r)];
  }

  private compare(ctx: Ctx, baseRef: string, headRef: string): Result {
    const base = this.resolve(baseRef);
    const head = this.resolve(headRef);
    if (!base || !head) throw notFound();
    const mergeBase = this.mergeBase(base, head);
    if (!mergeBase) throw notFound();
    const aheadBy = this.commitsBetween(mergeBase, head);
    const behindBy = this.commitsBetween(mergeBase, base);
    const status = base === head ? "identical" : behindBy === 0 ? "ahead" : aheadBy === 0 ? "behind" : "diverged";
    const files = this.diffFiles(mergeBase, head);
    return [
      200,
      {
        url: `${this.repoApi}/compare/${baseRef}...${headRef}`,
        html_url: `${this.repoHtml}/compare/${baseRef}...${headRef}`,
        status,
        ahead_by: aheadBy,
        behind_by: behindBy,
        total_commits: aheadBy,
        base_commit: this.commitPayload(this.commits.get(base)!),
        merge_base_commit: this.commitPayload(this.commits.get(mergeBase)!),
        commits: [...this.ancestors(head)].filter((s) => !this.ancestors(mergeBase).has(s)).map((s) => ({ sha: s, commit: { message: this.commits.get(s)!.message } })),
        files: this.page(ctx, files, (f) => f),
      },
    ];
  }

  private listCheckRuns(ctx: Ctx, ref: string): Result {
    const sha = this.resolve(ref);
    if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
    const name = ctx.query.get("check_name");
    const filter = ctx.query.get("filter") ?? "latest";
    let runs = this.checkRuns.filter((c) => c.headSha === sha && (!name || c.name === name));
    if (filter === "latest") {
      const latest = new Map<string, CheckRunRecord>();
      for (const c of runs) latest.set(c.name, c);
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    const page = this.page(ctx, runs, (c) => this.checkRunPayload(c));
    return [200, { total_count: runs.length, check_runs: page }];
  }

  private applyCheckRunFields(c: CheckRunRecord, body: Json): void {
    if (typeof body.name === "string") c.name = body.name;
    if (typeof body.external_id === "string") c.externalId = body.external_id;
    if (typeof body.started_at === "string") c.startedAt = body.started_at;
    if (body.output && typeof body.output === "object") {
      const output = body.output as Json;
      if (typeof output.title !== "string" || typeof output.summary !== "string") throw unprocessable("Invalid request.", ["output requires title and summary"]);
      if (Buffer.byteLength(output.summary) > 65535) throw unprocessable("Invalid request.", ["summary exceeds a maximum bytesize of 65535"]);
      c.output = { title: output.title, summary: output.summary, text: typeof output.text === "string" ? output.text : null };
    }
    if (typeof body.conclusion === "string") {
      c.status = "completed";
      c.conclusion = body.conclusion;
      c.completedAt = typeof body.completed_at === "string" ? body.completed_at : now();
      c.history.push(`completed:${body.conclusion}`);
    } else if (typeof body.status === "string") {
      if (body.status === "completed") throw unprocessable("Invalid request.", ["conclusion is required when status is completed"]);
      c.status = body.status;
      c.conclusion = null;
      c.completedAt = null;
      c.history.push(body.status);
    }
  }

  private createCheckRun(body: Json): Result {
    if (typeof body.name !== "string" || !body.name) throw unprocessable("Invalid request.", ["name is missing"]);
    const headSha = String(body.head_sha ?? "");
    if (!this.commits.has(headSha)) throw unprocessable(`No commit found for SHA: ${headSha}`);
    const c: CheckRunRecord = { id: this.id(), name: body.name, headSha, externalId: null, status: "queued", conclusion: null, startedAt: null, completedAt: null, output: null, history: [] };
    this.applyCheckRunFields(c, { status: "queued", ...body });
    this.checkRuns.push(c);
    return [201, this.checkRunPayload(c)];
  }

  private updateCheckRun(id: number, body: Json): Result {
    const c = this.checkRunOr404(id);
    this.applyCheckRunFields(c, body);
    return [200, this.checkRunPayload(c)];
  }
}

type Result = [number, unknown];
interface Ctx {
  query: URLSearchParams;
  body: Json;
  req: IncomingMessage;
  path: string;
  rawPath: string;
  headers: Record<string, string>;
}
type Handler = (ctx: Ctx) => Result;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 50 * 1024 * 1024) throw new HttpError(413, { message: "request body too large" });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
