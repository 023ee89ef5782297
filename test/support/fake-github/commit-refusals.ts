import type { GitObjectStore } from "./git-object-store.js";
import { notFoundPayload, type Json } from "./github-site.js";

/**
 * GitHub answers only for commits it has: a SHA or ref that names no commit
 * is refused, with the status and message GitHub gives on each route. Both
 * fakes ask here, so a test whose head SHA is made up fails the way it would
 * against GitHub, instead of passing by accident.
 */

export type Refusal = [status: number, payload: Json];

const DOCS = "https://docs.github.com/rest";

function unprocessable(message: string, errors?: unknown[]): Refusal {
  return [422, { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: "422" }];
}

/** `GET /commits/{ref}/check-runs` and `POST /check-runs` (head_sha): 422 "No commit found for SHA". */
export function checkRunCommitRefusal(git: GitObjectStore, ref: string): Refusal | undefined {
  return git.resolve(ref) ? undefined : unprocessable(`No commit found for SHA: ${ref}`);
}

/** `POST /pulls/{n}/reviews` with a commit_id that is not a commit: 422. */
export function reviewCommitRefusal(git: GitObjectStore, commitId: string): Refusal | undefined {
  return git.commits.has(commitId) ? undefined : unprocessable("Unprocessable Entity", ["commit_id is not part of the pull request"]);
}

/** `GET /contents/{path}?ref=`: 404 "No commit found for the ref". */
export function contentsRefRefusal(git: GitObjectStore, ref: string): Refusal | undefined {
  return git.resolve(ref) ? undefined : [404, { message: `No commit found for the ref ${ref}`, documentation_url: DOCS, status: "404" }];
}

/** `GET /compare/{base}...{head}` and `GET /git/trees/{sha}`, `/git/commits/{sha}`: 404 Not Found. */
export function objectRefusal(git: GitObjectStore, ...refs: string[]): Refusal | undefined {
  return refs.every((ref) => git.resolve(ref) || git.trees.has(ref)) ? undefined : [404, notFoundPayload()];
}

/** A test's setup names commits the fake does not have: say so at once, not as a 422 deep inside the app. */
export function assertCommits(git: GitObjectStore, what: string, shas: Record<string, string>): void {
  const missing = Object.entries(shas).filter(([, sha]) => !git.commits.has(sha));
  if (missing.length > 0) {
    throw new Error(`${what}: ${missing.map(([field, sha]) => `${field} ${sha}`).join(", ")} is not a commit of the fake GitHub (commit the files first, e.g. github.commit(files, message, [parent]))`);
  }
}
