import type { CommitTarget } from "./github-commit.js";
import { GitHubWriteError, githubRequest, type OctokitLike } from "./github-request.js";

/**
 * Pushing the dev commit to a fork (`dev.pushTo: fork`), so that the
 * repository's CI treats the pull request as a fork's: no secrets, a
 * read-only token, and a maintainer's approval first when the repository
 * asks for it. The upstream repository's own writer opens the pull request
 * (`head: owner:branch`); only the commit goes to the fork, with the fork
 * installation's own token.
 */

/** A client for another repository: the fork, through the app's installation there. */
export interface ForkAccess {
  clientFor(owner: string, repo: string): Promise<OctokitLike>;
}

interface RepositoryPayload {
  full_name: string;
  fork?: boolean;
  default_branch: string;
  parent?: { full_name: string } | null;
  source?: { full_name: string } | null;
}

/** `owner/repo` → its parts; null when it is not one. */
export function splitRepository(fullName: string): { owner: string; repo: string } | null {
  const m = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(fullName);
  return m ? { owner: m[1] as string, repo: m[2] as string } : null;
}

/**
 * Checks that `fork` is a fork of `upstream` (GitHub opens a cross-repository
 * pull request only within a fork network), then brings its default branch
 * up to date with upstream, so the commits the dev branch builds on are the
 * fork's own (GitHub's git database refuses objects a repository does not
 * hold). A fork whose default branch went its own way cannot be synced:
 * that is said plainly rather than worked around.
 */
export async function prepareFork(fork: CommitTarget, upstream: { owner: string; repo: string }): Promise<void> {
  const { octokit, owner, repo, log } = fork;
  const name = `${owner}/${repo}`;
  const upstreamName = `${upstream.owner}/${upstream.repo}`.toLowerCase();
  const { data } = await githubRequest<RepositoryPayload>(octokit, "GET /repos/{owner}/{repo}", { owner, repo });
  const parents = [data.parent?.full_name, data.source?.full_name].filter((n): n is string => typeof n === "string").map((n) => n.toLowerCase());
  if (!data.fork || !parents.includes(upstreamName)) {
    throw new GitHubWriteError(`dev.fork ${name} is not a fork of ${upstreamName}: fork ${upstreamName} on GitHub, install Baton on the fork, and name it in dev.fork (or set dev.pushTo: branch)`, { transient: false });
  }
  try {
    await githubRequest(octokit, "POST /repos/{owner}/{repo}/merge-upstream", { owner, repo, branch: data.default_branch });
  } catch (err) {
    if (err instanceof GitHubWriteError && (err.status === 409 || err.status === 422)) {
      throw new GitHubWriteError(
        `the fork ${name} could not be synced with ${upstreamName} (${err.details.githubMessage ?? err.message}): its ${data.default_branch} branch has commits of its own; reset it to ${upstreamName}'s, or use a fork that only Baton writes to`,
        { transient: false },
      );
    }
    throw err;
  }
  log?.info({ fork: name, upstream: upstreamName, branch: data.default_branch }, "fork synced with upstream");
}

/** The client and target for a commit to `fullName`, ready to be written (checked and synced). */
export async function forkTarget(forks: ForkAccess | undefined, fullName: string, upstream: { owner: string; repo: string }, log: CommitTarget["log"]): Promise<CommitTarget> {
  const parts = splitRepository(fullName);
  if (!parts) throw new GitHubWriteError(`"${fullName}" is not a repository name (owner/repo)`, { transient: false });
  if (!forks) throw new GitHubWriteError(`pushing to the fork ${fullName} needs access to it, which this writer was not given`, { transient: false });
  const target: CommitTarget = { octokit: await forks.clientFor(parts.owner, parts.repo), owner: parts.owner, repo: parts.repo, log };
  await prepareFork(target, upstream);
  return target;
}
