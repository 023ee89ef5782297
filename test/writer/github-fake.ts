import { createHash } from "node:crypto";
import nock from "nock";
import { ProbotOctokit } from "probot";
import type { StepDeclaration } from "../../src/graph/step-declaration.js";

/**
 * GitHub faked at the network edge: payloads shaped as the REST API returns
 * them (only the fields that matter are varied), and every request recorded
 * so tests can assert what was written, in which order, with which body.
 */

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "widgets";
export const R = `/repos/${OWNER}/${REPO}`;

/** The client a Probot handler gets (`context.octokit`), minus retries and throttling so failures surface at once. */
export function probotOctokit(): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

/** A nock scope on api.github.com that records every request it answers. */
export function fakeGitHub(): { scope: nock.Scope; calls: RecordedCall[]; writes: () => RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const scope = nock(API);
  scope.on("request", (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    calls.push({ method: req.method, path: req.path, body: body ? (JSON.parse(body) as unknown) : undefined });
  });
  return { scope, calls, writes: () => calls.filter((c) => c.method !== "GET") };
}

export function sha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/** Git's blob id of some text, as GitHub reports it in trees. */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** Octokit encodes the slashes of `{ref}`: the path GitHub receives. */
export function refPath(branch: string): string {
  return encodeURIComponent(`heads/${branch}`);
}

const user = (login: string, id: number, type: "User" | "Bot" = "User") => ({
  login,
  id,
  node_id: `MDQ6VXNlcj${id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  gravatar_id: "",
  url: `${API}/users/${login}`,
  html_url: `https://github.com/${login}`,
  type,
  site_admin: false,
});
export const BATON_BOT = user("baton-app[bot]", 9001, "Bot");
/** Baton's identity as the writers are given it: the account above, the app of the check runs below. */
export const BATON_IDENTITY = { login: "baton-app[bot]", appSlug: "baton-app" };
export const HUMAN = user("octocat", 583231);

/** GET /git/ref/{ref}, POST /git/refs, PATCH /git/refs/{ref}. */
export function refPayload(branch: string, commitSha: string) {
  return {
    ref: `refs/heads/${branch}`,
    node_id: "MDM6UmVmcmVmcy9oZWFkcy9mZWF0dXJlQQ==",
    url: `${API}${R}/git/refs/heads/${branch}`,
    object: { type: "commit", sha: commitSha, url: `${API}${R}/git/commits/${commitSha}` },
  };
}

export const NOT_FOUND = { message: "Not Found", documentation_url: "https://docs.github.com/rest/git/refs#get-a-reference", status: "404" };

/** GET /git/commits/{sha}, POST /git/commits. */
export function commitPayload(commitSha: string, treeSha: string, parents: string[], message = "a commit") {
  const person = { name: "baton-app[bot]", email: "9001+baton-app[bot]@users.noreply.github.com", date: "2025-03-04T10:00:00Z" };
  return {
    sha: commitSha,
    node_id: "C_kwDOAJy2KNoAKGU0ZGQ",
    url: `${API}${R}/git/commits/${commitSha}`,
    html_url: `https://github.com/${OWNER}/${REPO}/commit/${commitSha}`,
    author: person,
    committer: person,
    tree: { sha: treeSha, url: `${API}${R}/git/trees/${treeSha}` },
    message,
    parents: parents.map((p) => ({ sha: p, url: `${API}${R}/git/commits/${p}`, html_url: `https://github.com/${OWNER}/${REPO}/commit/${p}` })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

export type Entry = { name: string; blob: string } | { name: string; tree: string } | { name: string; exec: string } | { name: string; link: string };

/** GET /git/trees/{sha} (not recursive): one directory, names only, directories as "tree" entries. */
export function treePayload(treeSha: string, entries: Entry[], truncated = false) {
  return {
    sha: treeSha,
    url: `${API}${R}/git/trees/${treeSha}`,
    tree: entries.map((e) => {
      if ("tree" in e) return { path: e.name, mode: "040000", type: "tree", sha: e.tree, url: `${API}${R}/git/trees/${e.tree}` };
      // A symbolic link is a blob holding its target, with mode 120000.
      const content = "blob" in e ? e.blob : "exec" in e ? e.exec : e.link;
      const mode = "blob" in e ? "100644" : "exec" in e ? "100755" : "120000";
      const id = blobSha(content);
      return { path: e.name, mode, type: "blob", sha: id, size: Buffer.byteLength(content), url: `${API}${R}/git/blobs/${id}` };
    }),
    truncated,
  };
}

/** POST /git/blobs answers 201 with the new blob's sha and url only. */
export function blobCreated(content: string) {
  const id = blobSha(content);
  return { url: `${API}${R}/git/blobs/${id}`, sha: id };
}

export function labelPayload(name: string, id = 208045946) {
  return { id, node_id: "MDU6TGFiZWwyMDgwNDU5NDY=", url: `${API}${R}/labels/${encodeURIComponent(name)}`, name, description: null, color: "f29513", default: false };
}

/** A pull request as GET /pulls (list) and POST /pulls return it. */
export function pullPayload(number: number, opts: { head: string; base?: string; title: string; body: string | null; labels?: string[]; headSha?: string }) {
  const repoRef = { id: 1296269, node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", name: REPO, full_name: `${OWNER}/${REPO}`, owner: user(OWNER, 1), private: false };
  return {
    url: `${API}${R}/pulls/${number}`,
    id: 1000 + number,
    node_id: "MDExOlB1bGxSZXF1ZXN0MQ==",
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}`,
    diff_url: `https://github.com/${OWNER}/${REPO}/pull/${number}.diff`,
    issue_url: `${API}${R}/issues/${number}`,
    number,
    state: "open",
    locked: false,
    title: opts.title,
    user: BATON_BOT,
    body: opts.body,
    labels: (opts.labels ?? []).map((l, i) => labelPayload(l, 208045946 + i)),
    draft: false,
    created_at: "2025-03-04T10:00:00Z",
    updated_at: "2025-03-04T10:00:00Z",
    head: { label: `${OWNER}:${opts.head}`, ref: opts.head, sha: opts.headSha ?? sha(`head:${opts.head}`), user: user(OWNER, 1), repo: repoRef },
    base: { label: `${OWNER}:${opts.base ?? "main"}`, ref: opts.base ?? "main", sha: sha("base"), user: user(OWNER, 1), repo: repoRef },
    author_association: "NONE",
  };
}

/** An issue comment as GET/POST/PATCH /issues/.../comments return it. */
export function commentPayload(id: number, issueNumber: number, body: string, author = BATON_BOT) {
  return {
    id,
    node_id: "MDEyOklzc3VlQ29tbWVudDE=",
    url: `${API}${R}/issues/comments/${id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/issues/${issueNumber}#issuecomment-${id}`,
    issue_url: `${API}${R}/issues/${issueNumber}`,
    body,
    user: author,
    created_at: "2025-03-04T10:00:00Z",
    updated_at: "2025-03-04T10:00:00Z",
    author_association: author.type === "Bot" ? "NONE" : "MEMBER",
    performed_via_github_app: null,
  };
}

/** A PR review as GET/POST /pulls/{n}/reviews return it. */
export function reviewPayload(id: number, pullNumber: number, body: string, commitId: string, state = "COMMENTED", author = BATON_BOT) {
  return {
    id,
    node_id: "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
    user: author,
    body,
    state,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${pullNumber}#pullrequestreview-${id}`,
    pull_request_url: `${API}${R}/pulls/${pullNumber}`,
    author_association: author.type === "Bot" ? "NONE" : "MEMBER",
    _links: {
      html: { href: `https://github.com/${OWNER}/${REPO}/pull/${pullNumber}#pullrequestreview-${id}` },
      pull_request: { href: `${API}${R}/pulls/${pullNumber}` },
    },
    submitted_at: "2025-03-04T10:00:00Z",
    commit_id: commitId,
  };
}

/** A check run as POST/PATCH /check-runs and GET /commits/{sha}/check-runs return it. */
export function checkRunPayload(id: number, opts: { name: string; headSha: string; externalId: string; status?: string; conclusion?: string | null }) {
  return {
    id,
    head_sha: opts.headSha,
    node_id: "MDg6Q2hlY2tSdW40",
    external_id: opts.externalId,
    url: `${API}${R}/check-runs/${id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`,
    details_url: "https://baton.example.com",
    status: opts.status ?? "queued",
    conclusion: opts.conclusion ?? null,
    started_at: "2025-03-04T10:00:00Z",
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${API}${R}/check-runs/${id}/annotations` },
    name: opts.name,
    check_suite: { id: 5 },
    app: { id: 9001, slug: "baton-app", node_id: "MDExOkludGVncmF0aW9uMQ==", owner: user(OWNER, 1), name: "Baton" },
    pull_requests: [],
  };
}

/** A Link header as GitHub sends it on a paginated list. */
export function linkHeader(path: string, page: number, last: number): string {
  const url = (p: number) => `<${API}${path}?per_page=100&page=${p}>`;
  const parts: string[] = [];
  if (page < last) parts.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) parts.push(`${url(1)}; rel="first"`, `${url(page - 1)}; rel="prev"`);
  return parts.join(", ");
}

export function step(overrides: Partial<StepDeclaration> = {}): StepDeclaration {
  return {
    id: "architecture-review",
    version: "1",
    description: "proposes an ADR",
    inputs: ["spec"],
    outputs: ["commit", "pull-request", "comment"],
    budget: 10_000,
    model: "claude-sonnet-5-5",
    writablePaths: ["docs/**"],
    deniedPaths: [],
    ...overrides,
  };
}
