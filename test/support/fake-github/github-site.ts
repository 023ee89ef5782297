import type { GitIdentity } from "./git-objects.js";

/**
 * Where a fake GitHub lives and how it names things: the one repository it
 * serves, its API and web roots, and the identifiers it hands out. Every
 * payload builder takes a site, so the nock fake (api.github.com) and the
 * loopback server (a GitHub Enterprise on 127.0.0.1) give the same shapes
 * under their own URLs.
 */

export type Json = Record<string, unknown>;
export type UserType = "User" | "Bot" | "Organization";

export interface GitHubSite {
  owner: string;
  repo: string;
  /** REST root: `https://api.github.com`, or `http://host/api/v3`. */
  apiUrl: string;
  /** Web root (html_url): `https://github.com`, or `http://host`. */
  webUrl: string;
  /** Root of contents' download_url. */
  rawUrl: string;
  /** The app whose check runs these are. */
  app: { id: number; slug: string; name: string };
  /** Author and committer shown on commits. */
  committer: GitIdentity;
  /** node_id of an object of a kind ("I", "PR", "IC", "U", "R", "REF"…) with a key (number, sha prefix, name). */
  nodeId(kind: string, key: string | number): string;
  /** Numeric id of a user or organisation. */
  userId(login: string): number;
  avatarUrl(id: number): string;
  labelId(name: string): number;
}

/** REST URL of the repository. */
export function repoApi(site: GitHubSite): string {
  return `${site.apiUrl}/repos/${site.owner}/${site.repo}`;
}

/** Web URL of the repository. */
export function repoHtml(site: GitHubSite): string {
  return `${site.webUrl}/${site.owner}/${site.repo}`;
}

/** GitHub's 404 body. */
export function notFoundPayload(): Json {
  return { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" };
}

/** ISO 8601 in UTC without milliseconds, as GitHub writes timestamps. */
export function githubTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
