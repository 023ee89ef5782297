import { defaultIsTransient, retryAfterMs } from "../jobs/retry-policy.js";
import { outgoingBody, splitHeader } from "./outgoing-text.js";
import type { WriteResult } from "./write-result.js";

/**
 * How the writer and the check-run reporter talk to GitHub's REST API: one
 * request whose failure becomes a readable, retry-aware error, pages
 * followed through the Link header, and GitHub's size limits on Markdown
 * fields.
 */

export interface OctokitResponseLike {
  status: number;
  data: unknown;
  headers: Record<string, string | number | undefined>;
}

/**
 * The smallest Octokit surface used: `request`. Probot's `context.octokit`
 * and `new Octokit()` from @octokit/rest both satisfy it, and Probot's
 * retry/throttling plugins still apply underneath.
 */
export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<OctokitResponseLike>;
}

/**
 * A GitHub request that failed, said so a maintainer can act on it. The job
 * queue reads `transient` (retry or fail now) and `retryAfterMs`.
 */
export class GitHubWriteError extends Error {
  override readonly name = "GitHubWriteError";
  /** What had been written before this failure (set by the writer; a retry redoes them as no-ops). */
  completed: WriteResult[] = [];

  constructor(
    message: string,
    readonly details: {
      status?: number;
      method?: string;
      path?: string;
      transient: boolean;
      retryAfterMs?: number;
      /** The App permission that is most likely missing, e.g. "contents: write". */
      permission?: string;
      /** GitHub's own message, with its validation errors. */
      githubMessage?: string;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get status(): number | undefined {
    return this.details.status;
  }
  get transient(): boolean {
    return this.details.transient;
  }
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** GitHub's `message` plus its validation `errors` (strings or {resource, field, code, message} objects). */
function githubMessageOf(data: unknown, fallback: string): string {
  const message = field(data, "message");
  const errors = field(data, "errors");
  const base = typeof message === "string" && message ? message : fallback;
  if (!Array.isArray(errors) || errors.length === 0) return base;
  const parts = errors.map((e: unknown) => {
    if (typeof e === "string") return e;
    const text = field(e, "message");
    if (typeof text === "string") return text;
    return [field(e, "resource"), field(e, "field"), field(e, "code")].filter((p) => typeof p === "string").join(" ");
  });
  return `${base}: ${parts.join("; ")}`;
}

/** "/repos/o/r/git/refs" from a full URL, without the GHE "/api/v3" prefix or the query. */
function pathOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const pathname = new URL(url).pathname.replace(/^\/api\/v3(?=\/)/, "");
    return decodeURIComponent(pathname);
  } catch {
    return url.split("?")[0];
  }
}

/** Which App permission a route needs; GitHub's 403 only says "Resource not accessible by integration". */
export function permissionFor(method: string, path: string): string | undefined {
  const rest = path.replace(/^\/repos\/[^/]+\/[^/]+/, "");
  const access = method.toUpperCase() === "GET" ? "read" : "write";
  if (/check-(runs|suites)/.test(rest)) return `checks: ${access}`;
  if (/^\/(git|contents)(\/|$)/.test(rest)) return `contents: ${access}`;
  if (/^\/pulls(\/|$)/.test(rest)) return `pull_requests: ${access}`;
  // Comments and labels on a pull request go through the issues API, and accept either permission.
  if (/^\/issues(\/|$)/.test(rest)) return `issues: ${access} (or pull_requests: ${access} on a pull request)`;
  return undefined;
}

function hintFor(status: number, method: string, path: string, githubMessage: string, repoName: string, rateLimited: boolean): { hint: string; permission?: string } {
  const permission = permissionFor(method, path);
  const where = repoName ? ` on ${repoName}` : "";
  if (rateLimited) return { hint: "GitHub is rate-limiting the app; the job will be retried after the limit resets" };
  if (status >= 500) return { hint: "GitHub had a server error; the job will be retried" };
  switch (status) {
    case 401:
      return { hint: "the installation token was rejected: the app may have been uninstalled or suspended" };
    case 403:
      if (/archived/i.test(githubMessage)) return { hint: `the repository${where} is archived (read-only)` };
      if (/workflow/i.test(githubMessage)) {
        return { hint: "changing files under .github/workflows/ needs the workflows: write permission", permission: "workflows: write" };
      }
      if (!permission) return { hint: `the app is not allowed to do this${where}` };
      return {
        hint: `the app lacks ${permission}${where}: add it in the GitHub App's permissions, then accept the new permissions on the installation`,
        permission,
      };
    case 404:
      return {
        hint: `not found: it may not exist, or the app is not installed${where}${permission ? ` or lacks ${permission}` : ""} (GitHub answers 404 for what an app cannot see)`,
        ...(permission ? { permission } : {}),
      };
    case 409:
      return { hint: "conflict: the repository may be empty, or it changed while Baton was writing" };
    case 422:
      return { hint: "GitHub rejected the content of the request" };
    default:
      return { hint: "the request was refused" };
  }
}

/**
 * Turns an Octokit error (RequestError: `status`, `request.{method,url}`,
 * `response.{data,headers}`) into a GitHubWriteError whose message names the
 * method, route, status and what to do, and whose `transient` follows the
 * job queue's rule (5xx, 429, secondary rate limit, network: retry).
 * Anything else (a network error without status) is wrapped the same way.
 */
export function describeGitHubError(err: unknown): GitHubWriteError {
  if (err instanceof GitHubWriteError) return err;
  const status = field(err, "status");
  const request = field(err, "request");
  const response = field(err, "response");
  const method = String(field(request, "method") ?? "GET").toUpperCase();
  const path = pathOf(field(request, "url"));
  const rawMessage = err instanceof Error ? err.message : String(err);
  const transient = defaultIsTransient(err);
  const wait = retryAfterMs(err);
  const base = { transient, cause: err, method, ...(path ? { path } : {}), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };

  if (typeof status !== "number") {
    const what = path ? ` ${method} ${path}` : "";
    return new GitHubWriteError(`GitHub request${what} failed: ${rawMessage}`, base);
  }
  const githubMessage = githubMessageOf(field(response, "data"), rawMessage);
  const repoMatch = /^\/repos\/([^/]+)\/([^/]+)/.exec(path ?? "");
  const repoName = repoMatch ? `${repoMatch[1]}/${repoMatch[2]}` : "";
  const rateLimited = transient && (status === 403 || status === 429);
  const { hint, permission } = hintFor(status, method, path ?? "", githubMessage, repoName, rateLimited);
  const verb = status >= 500 ? "GitHub failed on" : "GitHub refused";
  const message = `${verb} ${method} ${path ?? "(unknown route)"} (${status}): ${githubMessage} — ${hint}`;
  return new GitHubWriteError(message, { ...base, status, githubMessage, ...(permission ? { permission } : {}) });
}

/** One request; any failure comes back as a GitHubWriteError. `T` is the part of GitHub's payload the caller reads. */
export async function githubRequest<T>(octokit: OctokitLike, route: string, params?: Record<string, unknown>): Promise<{ data: T; headers: OctokitResponseLike["headers"] }> {
  try {
    const response = await octokit.request(route, params);
    return { data: response.data as T, headers: response.headers };
  } catch (err) {
    throw describeGitHubError(err);
  }
}

/** The `rel="next"` URL of a Link header. */
export function nextPageUrl(link: unknown): string | undefined {
  if (typeof link !== "string") return undefined;
  return /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
}

/** Beyond this, looking for a marker is not worth it: better fail loudly than post a duplicate. */
const MAX_PAGES = 100;

/**
 * Walks a paginated list (100 per page, following the Link header GitHub
 * sends) and stops at the first item that matches, so a thread where the
 * marker sits on page 1 costs one request.
 */
export async function findInPages<T>(
  octokit: OctokitLike,
  route: string,
  params: Record<string, unknown>,
  itemsOf: (data: unknown) => T[],
  match: (item: T) => boolean,
): Promise<T | undefined> {
  let page = await githubRequest<unknown>(octokit, route, { ...params, per_page: 100 });
  for (let n = 1; ; n++) {
    const found = itemsOf(page.data).find(match);
    if (found !== undefined) return found;
    const next = nextPageUrl(page.headers.link);
    if (!next) return undefined;
    if (n >= MAX_PAGES) {
      throw new GitHubWriteError(`more than ${MAX_PAGES * 100} items at ${route}: Baton stopped looking for its marker rather than risk a duplicate`, { transient: false });
    }
    // The next URL is absolute (and carries per_page/page): Octokit requests it as is.
    page = await githubRequest<unknown>(octokit, `GET ${next}`);
  }
}

/**
 * Cuts Markdown to fit a GitHub field limit, which GitHub counts in UTF-8
 * bytes (check run summaries fail with "summary exceeds a maximum bytesize of
 * 65535"; github/docs#35252). Cuts at a line end when one is near, never
 * inside a multi-byte character, closes a code fence left open, and says
 * what was left out.
 */
export function truncateMarkdown(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const reserve = 200; // the note and a closing fence
  let end = Math.max(0, maxBytes - reserve);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--; // back to a character boundary
  let kept = bytes.subarray(0, end).toString("utf8");
  const lastLine = kept.lastIndexOf("\n");
  if (lastLine > kept.length * 0.8) kept = kept.slice(0, lastLine);
  const fences = kept.match(/^\s*(```|~~~)/gm)?.length ?? 0;
  if (fences % 2 === 1) kept += "\n```";
  const omitted = bytes.length - Buffer.byteLength(kept, "utf8");
  return `${kept}\n\n_…truncated: ${omitted} of ${bytes.length} bytes left out (GitHub allows ${maxBytes} bytes here)._`;
}

/**
 * The body ready to post, within `maxBytes`: secrets redacted, Baton's
 * hidden marker first (where truncation cannot cut it and where readers look
 * for it), every other `<!--` defused (see outgoing-text.ts). Deterministic,
 * so the same intent always yields the same body and an upsert of an
 * unchanged comment writes nothing.
 */
export function bodyWithMarker(body: string, marker: string, maxBytes: number): string {
  const full = outgoingBody(body, marker);
  if (Buffer.byteLength(full, "utf8") <= maxBytes) return full;
  const { markers, rest } = splitHeader(full);
  const header = `${markers.join("\n")}\n`;
  return `${header}${truncateMarkdown(rest, maxBytes - Buffer.byteLength(header, "utf8"))}`;
}

/** GitHub stores what it is sent, but browsers and older clients may have saved CRLF: compare without it. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? "").replace(/\r\n/g, "\n") === (b ?? "").replace(/\r\n/g, "\n");
}
