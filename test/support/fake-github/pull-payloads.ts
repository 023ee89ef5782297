import { userPayload } from "./account-payloads.js";
import { repoApi, repoHtml, type GitHubSite, type Json, type UserType } from "./github-site.js";
import { labelPayload } from "./issue-payloads.js";

/** REST payloads of pull requests, their reviews and files, and comparisons. */

/** One side of a pull request: `owner:ref` at `sha`, in `repo`. */
export interface BranchEndView {
  owner: string;
  ownerType: UserType;
  ref: string;
  sha: string;
  /** The repository payload of that side (a fork's for a head in a fork). */
  repo: Json;
}

export interface PullView {
  number: number;
  title: string;
  body: string;
  labels: string[];
  user: { login: string; type: UserType };
  createdAt: string;
  updatedAt: string;
  draft: boolean;
  head: BranchEndView;
  base: BranchEndView;
  authorAssociation: string;
  comments: number;
  reviewComments: number;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Closed (merged or not) pull requests; open when absent. */
  closed?: { at: string; mergeCommitSha: string | null };
}

/** What both fakes keep of a review. */
export interface ReviewFields {
  id: number;
  pullNumber: number;
  commitId: string;
  body: string;
}

export interface ReviewView extends ReviewFields {
  /** APPROVED, CHANGES_REQUESTED, COMMENTED or PENDING. */
  state: string;
  user: { login: string; type: UserType };
  submittedAt: string;
}

/** A changed file, as pulls/files and compare list it. */
export interface FileView {
  sha: string;
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  patch?: string;
}

export interface CompareView {
  status: string;
  aheadBy: number;
  behindBy: number;
  baseCommit: Json;
  mergeBaseCommit: Json;
  commits: Json[];
  files: Json[];
}

function branchEnd(site: GitHubSite, end: BranchEndView): Json {
  return { label: `${end.owner}:${end.ref}`, ref: end.ref, sha: end.sha, user: userPayload(site, end.owner, end.ownerType), repo: end.repo };
}

export function pullPayload(site: GitHubSite, p: PullView): Json {
  const api = repoApi(site);
  const html = repoHtml(site);
  return {
    url: `${api}/pulls/${p.number}`,
    id: 279000000 + p.number,
    node_id: site.nodeId("PR", p.number),
    html_url: `${html}/pull/${p.number}`,
    diff_url: `${html}/pull/${p.number}.diff`,
    patch_url: `${html}/pull/${p.number}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    number: p.number,
    state: p.closed ? "closed" : "open",
    locked: false,
    title: p.title,
    user: userPayload(site, p.user.login, p.user.type),
    body: p.body,
    labels: p.labels.map((l) => labelPayload(site, l)),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closed?.at ?? null,
    merged_at: p.closed?.mergeCommitSha ? p.closed.at : null,
    merge_commit_sha: p.closed?.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    draft: p.draft,
    head: branchEnd(site, p.head),
    base: branchEnd(site, p.base),
    author_association: p.authorAssociation,
    merged: Boolean(p.closed?.mergeCommitSha),
    mergeable: null,
    mergeable_state: "unknown",
    comments: p.comments,
    review_comments: p.reviewComments,
    commits: p.commits,
    additions: p.additions,
    deletions: p.deletions,
    changed_files: p.changedFiles,
  };
}

export function reviewPayload(site: GitHubSite, r: ReviewView): Json {
  return {
    id: r.id,
    node_id: site.nodeId("PRR", r.id),
    user: userPayload(site, r.user.login, r.user.type),
    body: r.body,
    state: r.state,
    html_url: `${repoHtml(site)}/pull/${r.pullNumber}#pullrequestreview-${r.id}`,
    pull_request_url: `${repoApi(site)}/pulls/${r.pullNumber}`,
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: "NONE",
  };
}

/** A changed file; its blob, raw and contents URLs point at `ref`. */
export function filePayload(site: GitHubSite, f: FileView, ref: string): Json {
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${repoHtml(site)}/blob/${ref}/${f.filename}`,
    raw_url: `${repoHtml(site)}/raw/${ref}/${f.filename}`,
    contents_url: `${repoApi(site)}/contents/${f.filename}?ref=${ref}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
  };
}

/** `GET /repos/{owner}/{repo}/compare/{base}...{head}`. */
export function comparePayload(site: GitHubSite, base: string, head: string, c: CompareView): Json {
  return {
    url: `${repoApi(site)}/compare/${base}...${head}`,
    html_url: `${repoHtml(site)}/compare/${base}...${head}`,
    status: c.status,
    ahead_by: c.aheadBy,
    behind_by: c.behindBy,
    total_commits: c.aheadBy,
    base_commit: c.baseCommit,
    merge_base_commit: c.mergeBaseCommit,
    commits: c.commits,
    files: c.files,
  };
}
