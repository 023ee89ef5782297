import { userPayload } from "./account-payloads.js";
import { repoApi, repoHtml, type GitHubSite, type Json, type UserType } from "./github-site.js";

/** REST payloads of labels, issues (pull requests included, as the issues API lists them) and issue comments. */

/** What both fakes keep of an issue. */
export interface IssueFields {
  number: number;
  title: string;
  body: string;
  labels: string[];
}

export interface IssueView extends IssueFields {
  user: { login: string; type: UserType };
  /** A pull request seen through the issues API. */
  isPull: boolean;
  /** How many comments it has. */
  comments: number;
  createdAt: string;
  updatedAt: string;
}

/** An issue or pull request comment, as both fakes keep it. */
export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  createdAt: string;
  updatedAt: string;
}

export interface CommentView extends CommentRecord {
  /** The comment is on a pull request (its html_url is under /pull/). */
  onPull: boolean;
  authorAssociation: string;
}

export function labelPayload(site: GitHubSite, name: string): Json {
  const id = site.labelId(name);
  return { id, node_id: site.nodeId("LA", id), url: `${repoApi(site)}/labels/${encodeURIComponent(name)}`, name, color: "ededed", default: false, description: null };
}

export function issuePayload(site: GitHubSite, issue: IssueView): Json {
  const api = repoApi(site);
  const html = repoHtml(site);
  const n = issue.number;
  return {
    url: `${api}/issues/${n}`,
    repository_url: api,
    comments_url: `${api}/issues/${n}/comments`,
    html_url: `${html}/${issue.isPull ? "pull" : "issues"}/${n}`,
    id: 440000 + n,
    node_id: site.nodeId("I", n),
    number: n,
    title: issue.title,
    user: userPayload(site, issue.user.login, issue.user.type),
    labels: issue.labels.map((l) => labelPayload(site, l)),
    state: "open",
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: issue.comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: null,
    author_association: issue.user.type === "Bot" ? "NONE" : "MEMBER",
    active_lock_reason: null,
    body: issue.body,
    ...(issue.isPull
      ? { pull_request: { url: `${api}/pulls/${n}`, html_url: `${html}/pull/${n}`, diff_url: `${html}/pull/${n}.diff`, patch_url: `${html}/pull/${n}.patch`, merged_at: null } }
      : {}),
  };
}

export function commentPayload(site: GitHubSite, c: CommentView): Json {
  return {
    id: c.id,
    node_id: site.nodeId("IC", c.id),
    url: `${repoApi(site)}/issues/comments/${c.id}`,
    html_url: `${repoHtml(site)}/${c.onPull ? "pull" : "issues"}/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${repoApi(site)}/issues/${c.issueNumber}`,
    body: c.body,
    user: userPayload(site, c.user.login, c.user.type),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.authorAssociation,
  };
}
