import type { CommitRecord, GitObjectStore } from "./git-object-store.js";
import { userPayload } from "./account-payloads.js";
import { repoApi, repoHtml, type GitHubSite, type Json } from "./github-site.js";

/** REST payloads of the git database (commits, refs, trees, blobs) and of repository contents. */

/** Base64 as GitHub sends it: a newline every 60 characters. */
function base64Lines(bytes: Buffer): string {
  return bytes.toString("base64").replace(/(.{60})/g, "$1\n");
}

export function commitPayload(site: GitHubSite, c: CommitRecord): Json {
  const api = repoApi(site);
  const html = repoHtml(site);
  const who = { name: c.author?.name ?? site.committer.name, email: c.author?.email ?? site.committer.email, date: c.date };
  return {
    sha: c.sha,
    node_id: site.nodeId("C", c.sha.slice(0, 10)),
    url: `${api}/git/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    author: who,
    committer: who,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${html}/commit/${p}` })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null },
  };
}

/**
 * A commit as the REST commit listings give it (compare, pulls/commits):
 * the git commit under `commit`, and the GitHub accounts GitHub links to
 * its author and committer (null when no account is linked, as for the
 * fake's default identity).
 */
export function restCommitPayload(site: GitHubSite, c: CommitRecord): Json {
  const api = repoApi(site);
  const html = repoHtml(site);
  const git = commitPayload(site, c);
  const account = c.author ? userPayload(site, c.author.login, c.author.login.endsWith("[bot]") ? "Bot" : "User") : null;
  return {
    sha: c.sha,
    node_id: git.node_id,
    commit: { author: git.author, committer: git.committer, message: c.message, tree: git.tree, url: git.url, comment_count: 0, verification: git.verification },
    url: `${api}/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    author: account,
    committer: account,
    parents: git.parents,
  };
}

/** A ref (`heads/main`, without `refs/`) pointing at a commit. */
export function refPayload(site: GitHubSite, ref: string, sha: string): Json {
  const api = repoApi(site);
  return { ref: `refs/${ref}`, node_id: site.nodeId("REF", ref), url: `${api}/git/refs/${ref}`, object: { sha, type: "commit", url: `${api}/git/commits/${sha}` } };
}

function treeItems(site: GitHubSite, git: GitObjectStore, sha: string, recursive: boolean, prefix = ""): Json[] {
  const api = repoApi(site);
  const items: Json[] = [];
  for (const e of git.trees.get(sha) ?? []) {
    const path = `${prefix}${e.name}`;
    if (e.type === "tree") {
      items.push({ path, mode: "040000", type: "tree", sha: e.sha, url: `${api}/git/trees/${e.sha}` });
      if (recursive) items.push(...treeItems(site, git, e.sha, true, `${path}/`));
    } else {
      items.push({ path, mode: e.mode, type: "blob", sha: e.sha, size: git.blobs.get(e.sha)?.length ?? 0, url: `${api}/git/blobs/${e.sha}` });
    }
  }
  return items;
}

/** A stored tree, its subtrees listed too when `recursive`. */
export function treePayload(site: GitHubSite, git: GitObjectStore, sha: string, recursive: boolean): Json {
  return { sha, url: `${repoApi(site)}/git/trees/${sha}`, tree: treeItems(site, git, sha, recursive), truncated: false };
}

export function blobPayload(site: GitHubSite, sha: string, bytes: Buffer): Json {
  return { sha, node_id: site.nodeId("B", sha.slice(0, 10)), size: bytes.length, url: `${repoApi(site)}/git/blobs/${sha}`, content: base64Lines(bytes), encoding: "base64" };
}

/** The answer to `POST /git/blobs`. */
export function createdBlobPayload(site: GitHubSite, sha: string): Json {
  return { sha, url: `${repoApi(site)}/git/blobs/${sha}` };
}

/** `GET /repos/{owner}/{repo}/contents/{path}?ref=` for a file. */
export function contentsPayload(site: GitHubSite, file: { path: string; ref: string; sha: string; bytes: Buffer }): Json {
  const { path, ref, sha, bytes } = file;
  const api = repoApi(site);
  return {
    type: "file",
    encoding: "base64",
    size: bytes.length,
    name: path.split("/").pop(),
    path,
    content: base64Lines(bytes),
    sha,
    url: `${api}/contents/${path}?ref=${ref}`,
    git_url: `${api}/git/blobs/${sha}`,
    html_url: `${repoHtml(site)}/blob/${ref}/${path}`,
    download_url: `${site.rawUrl}/${site.owner}/${site.repo}/${ref}/${path}`,
  };
}
