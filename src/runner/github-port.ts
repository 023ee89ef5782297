import type { ProbotOctokit } from "probot";
import type { BotIdentity } from "../writer/bot-identity.js";
import { isBatonAuthored } from "../writer/github-writer.js";

/**
 * The GitHub client the runner uses: Probot's installation Octokit (one
 * composed client with retry, throttling and GitHub Enterprise support),
 * or an @octokit/rest instance in the Action. Tests fake the network under it.
 */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export interface PullRequestState {
  number: number;
  title: string;
  body: string;
  headSha: string;
  baseSha: string;
  baseRef: string;
  draft: boolean;
  fromFork: boolean;
  htmlUrl: string;
  /** The branch the PR is from (in the head repository). */
  headRef: string;
  open: boolean;
  merged: boolean;
}

export async function getPullRequest(octokit: GitHubClient, owner: string, repo: string, number: number): Promise<PullRequestState> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
  return {
    number,
    title: data.title,
    body: data.body ?? "",
    headSha: data.head.sha,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    draft: data.draft ?? false,
    fromFork: (data.head.repo?.full_name ?? "") !== data.base.repo.full_name,
    htmlUrl: data.html_url,
    headRef: data.head.ref,
    open: data.state === "open",
    merged: data.merged ?? false,
  };
}

export interface IssueState {
  number: number;
  title: string;
  body: string;
  updatedAt: string;
  htmlUrl: string;
  labels: string[];
}

export async function getIssue(octokit: GitHubClient, owner: string, repo: string, number: number): Promise<IssueState> {
  const { data } = await octokit.rest.issues.get({ owner, repo, issue_number: number });
  return {
    number,
    title: data.title,
    body: data.body ?? "",
    updatedAt: data.updated_at,
    htmlUrl: data.html_url,
    labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
  };
}

/** The default branch and the commit it points at: where trusted context is read. */
export async function getDefaultBranchHead(octokit: GitHubClient, owner: string, repo: string): Promise<{ branch: string; sha: string; htmlUrl: string }> {
  const { data: r } = await octokit.rest.repos.get({ owner, repo });
  const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${r.default_branch}` });
  return { branch: r.default_branch, sha: ref.object.sha, htmlUrl: r.html_url };
}

/**
 * Where a review reads its trusted context: the base branch as it is now.
 * A pull request's `base.sha` is the base branch's tip when it was opened,
 * not now, so ADRs and pitfalls changed since would be missed (and a re-run
 * after "context changed" would read the old text again).
 */
export async function currentBaseCommit(octokit: GitHubClient, owner: string, repo: string, pr: { baseRef: string; baseSha: string }): Promise<string> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${pr.baseRef}` });
    return data.object.sha;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return pr.baseSha;
    throw err;
  }
}

/** Every file of a PR (paginated: GitHub lists at most 3,000). */
export async function listPullRequestFiles(octokit: GitHubClient, owner: string, repo: string, number: number) {
  return octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
}

/** Files changed between two commits, when `base` is an ancestor of `head` (an incremental review); null otherwise. */
export async function compareCommits(octokit: GitHubClient, owner: string, repo: string, base: string, head: string) {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 100 });
  if (data.status !== "ahead") return null;
  // GitHub lists at most 300 files in a comparison: past that, review the whole PR instead of missing files.
  if ((data.files?.length ?? 0) >= 300) return null;
  return data.files ?? [];
}

/**
 * How `head` stands against `base` ("ahead", "behind", "diverged", "identical"),
 * their merge base, the paths changed from it to `head`, and the accounts
 * GitHub links to the commits `head` has and `base` lacks (null where it
 * links none). `paths` is null past GitHub's 300-file listing limit, and
 * `authors` past the commits one page lists: then unknown.
 */
export async function comparePaths(octokit: GitHubClient, owner: string, repo: string, base: string, head: string): Promise<{ status: string; paths: string[] | null; mergeBase: string; authors: (string | null)[] | null }> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 100 });
  const files = data.files ?? [];
  const commits = data.commits ?? [];
  return {
    status: data.status,
    paths: files.length >= 300 ? null : files.map((f) => f.filename),
    mergeBase: data.merge_base_commit.sha,
    authors: commits.length < data.total_commits ? null : commits.map((c) => c.author?.login ?? null),
  };
}

/** Open pull requests from branches of this repository (forks are never written to), oldest first. */
export async function listOpenPullRequests(octokit: GitHubClient, owner: string, repo: string, baseBranch: string) {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: "open", base: baseBranch, per_page: 100 });
  return pulls
    .filter((p) => p.head.repo?.full_name === p.base.repo.full_name)
    .map((p) => ({ number: p.number, title: p.title, body: p.body ?? "", headRef: p.head.ref, headSha: p.head.sha, htmlUrl: p.html_url, author: p.user?.login ?? "" }))
    .sort((a, b) => a.number - b.number);
}

/** The body of Baton's own comment holding `marker` in its header (written by `bot`), if there is one. */
export async function findCommentByMarker(octokit: GitHubClient, owner: string, repo: string, number: number, marker: string, bot: BotIdentity): Promise<string | null> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
  return comments.find((c) => isBatonAuthored(c, marker, bot))?.body ?? null;
}

/**
 * ADR numbers taken by Baton's other open ADR pull requests ("ADR 12: …" from a
 * `baton/adr/…` branch): not yet on the default branch, but promised.
 */
export async function adrNumbersInOpenPullRequests(octokit: GitHubClient, owner: string, repo: string, exceptBranch: string): Promise<number[]> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: 100 });
  const out: number[] = [];
  for (const p of pulls) {
    if (!p.head.ref.startsWith("baton/adr/") || p.head.ref === exceptBranch) continue;
    const m = /^ADR 0*(\d+):/.exec(p.title);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/** Issues a PR says it closes (`Closes #12`, `Fixes #3`, `Resolves #7`). */
export function closingIssueNumbers(body: string): number[] {
  const out: number[] = [];
  for (const m of body.matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b/gi)) {
    const n = Number(m[1]);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
