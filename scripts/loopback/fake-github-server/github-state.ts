import { createHash } from "node:crypto";
import { repositoryPayload, userPayload } from "../../../test/support/fake-github/account-payloads.js";
import { checkRunPayload } from "../../../test/support/fake-github/check-run-payloads.js";
import { FakeRepository } from "../../../test/support/fake-github/fake-repository.js";
import type { ChangedFile, FileEntry } from "../../../test/support/fake-github/git-object-store.js";
import { commitPayload } from "../../../test/support/fake-github/git-payloads.js";
import { githubTimestamp, type GitHubSite, type Json } from "../../../test/support/fake-github/github-site.js";
import { commentPayload, issuePayload, labelPayload } from "../../../test/support/fake-github/issue-payloads.js";
import { pullPayload, reviewPayload, type BranchEndView } from "../../../test/support/fake-github/pull-payloads.js";
import { notFound } from "./http-route.js";
import type { Census, CheckRunRecord, CommentRecord, CommitRecord, FakeGitHubOptions, IssueRecord, PullRecord, ReviewRecord, ServerRecords } from "./records.js";

/**
 * The loopback fake GitHub's state and what can be said of it: the git
 * objects and refs, issues, pull requests (head and base follow their
 * branches; files and patches are computed from the trees), comments,
 * reviews and check runs; what a person does (commit, open an issue, label,
 * comment); and every object as the REST API gives it, under this
 * "GitHub Enterprise"'s URLs.
 */

export function now(): string {
  return githubTimestamp(Date.now());
}

const LOOPBACK_AUTHOR = { name: "Baton Loopback", email: "loopback@example.com" };

/** A stable number from a name, from `base` up. */
function hashedId(base: number, name: string): number {
  return base + (createHash("sha1").update(name).digest().readUInt16BE(0) % 50000);
}

export class FakeGitHubState extends FakeRepository<ServerRecords> {
  readonly owner: string;
  readonly repo: string;
  readonly installationId: number;
  readonly appId: number;
  readonly bot: { login: string; type: "Bot" };

  readonly serverErrors: string[] = [];
  /** Requests being answered right now. */
  inFlight = 0;

  /** Where loud messages go (unknown routes, server errors). */
  readonly log: (line: string) => void;
  /** The port listened on, once started. */
  protected port = 0;

  constructor(options: FakeGitHubOptions) {
    super({ author: LOOPBACK_AUTHOR, now, idsAfter: 1000 });
    this.owner = options.owner ?? "acme";
    this.repo = options.repo ?? "widgets";
    this.installationId = options.installationId ?? 4242;
    this.appId = options.appId ?? 1;
    this.bot = { login: options.botLogin ?? "baton-loopback[bot]", type: "Bot" };
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
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

  /** Where this fake is and how it names things, for the shared payload builders. */
  get site(): GitHubSite {
    const webUrl = this.webUrl;
    return {
      owner: this.owner,
      repo: this.repo,
      apiUrl: this.apiUrl,
      webUrl,
      rawUrl: `${webUrl}/raw`,
      app: { id: this.appId, slug: "baton-loopback", name: "Baton (loopback)" },
      committer: LOOPBACK_AUTHOR,
      nodeId: (kind, key) => (kind === "R" ? "R_kgDOloopback" : `${kind}_${key}`),
      userId: (login) => hashedId(1000, login),
      avatarUrl: (id) => `${webUrl}/avatars/u/${id}`,
      labelId: (name) => hashedId(2000, name),
    };
  }

  /** When the last request was answered (performance.now()), or 0. */
  lastRequestAt(): number {
    return this.requests[this.requests.length - 1]?.at ?? 0;
  }

  // ------------------------------------------------------------ git state

  /** A commit of exactly these files (as a person would push it); returns its sha. */
  commitFiles(files: Record<string, string>, message: string, parents: string[] = []): string {
    return this.git.commitFiles(files, message, parents);
  }

  /** path → {sha, mode} of every file of a commit or tree. */
  flatten(treeish: string): Map<string, FileEntry> {
    return this.git.flatten(treeish);
  }

  // ------------------------------------------------- issues, pulls, people

  addIssue(issue: { number?: number; title: string; body: string; labels?: string[]; user?: string }): IssueRecord {
    const at = now();
    const number = issue.number ?? this.nextIssueNumber();
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
    const c: CommentRecord = { id: this.nextObjectId(), issueNumber, body, user: by, createdAt: at, updatedAt: at };
    this.comments.push(c);
    issue.updatedAt = at;
    return c;
  }

  pullHeadSha(p: PullRecord): string {
    return this.branchSha(p.headRef) ?? "";
  }

  /** The files a pull request changes: from the merge base of its base branch to its head. */
  pullChanges(p: PullRecord): ChangedFile[] {
    const head = this.pullHeadSha(p);
    const base = this.git.mergeBase(this.branchSha(p.baseRef) ?? "", head) ?? this.branchSha(p.baseRef) ?? "";
    return this.git.changedFiles(base, head);
  }

  nextIssueNumber(): number {
    return Math.max(0, ...this.issues.keys()) + 1;
  }

  issueOr404(n: number): IssueRecord {
    const issue = this.issues.get(n);
    if (!issue) throw notFound();
    return issue;
  }

  pullOr404(n: number): PullRecord {
    const p = this.pulls.get(n);
    if (!p) throw notFound();
    return p;
  }

  checkRunOr404(id: number): CheckRunRecord {
    const c = this.checkRuns.find((x) => x.id === id);
    if (!c) throw notFound();
    return c;
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
    return userPayload(this.site, login, type);
  }

  repositoryPayload(): Json {
    return repositoryPayload(this.site, this.defaultBranch, {
      description: "Loopback test repository",
      master_branch: this.defaultBranch,
      disabled: false,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: now(),
      pushed_at: now(),
    });
  }

  installationPayload(): Json {
    return { id: this.installationId, node_id: `MDIzOkludGVncmF0aW9u${this.installationId}` };
  }

  labelPayload(name: string): Json {
    return labelPayload(this.site, name);
  }

  issuePayload(issue: IssueRecord): Json {
    return issuePayload(this.site, { ...issue, comments: this.commentsOn(issue.number).length });
  }

  commentPayload(c: CommentRecord): Json {
    const authorAssociation = c.user.type === "Bot" ? "NONE" : this.permissions.has(c.user.login) ? "MEMBER" : "NONE";
    return commentPayload(this.site, { ...c, onPull: this.issues.get(c.issueNumber)?.isPull ?? false, authorAssociation });
  }

  pullPayload(p: PullRecord): Json {
    const issue = this.issues.get(p.number)!;
    const headSha = this.pullHeadSha(p);
    const baseSha = this.branchSha(p.baseRef) ?? "";
    const files = this.pullChanges(p);
    const repo = this.repositoryPayload();
    const end = (ref: string, sha: string): BranchEndView => ({ owner: this.owner, ownerType: "Organization", ref, sha, repo });
    return pullPayload(this.site, {
      number: p.number,
      title: issue.title,
      body: issue.body,
      labels: issue.labels,
      user: issue.user,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
      draft: p.draft,
      head: end(p.headRef, headSha),
      base: end(p.baseRef, baseSha),
      authorAssociation: "NONE",
      comments: this.commentsOn(p.number).length,
      reviewComments: this.reviews.filter((r) => r.pullNumber === p.number).reduce((n, r) => n + r.comments.length, 0),
      commits: this.git.commitsAhead(baseSha, headSha).length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
    });
  }

  reviewPayload(r: ReviewRecord): Json {
    return reviewPayload(this.site, r);
  }

  checkRunPayload(c: CheckRunRecord): Json {
    return checkRunPayload(this.site, c);
  }

  commitPayload(c: CommitRecord): Json {
    return commitPayload(this.site, c);
  }
}
