import type { StepDeclaration } from "../graph/step-declaration.js";
import { stepPathPolicy } from "../policy/path-policy.js";
import type { BotIdentity } from "../writer/bot-identity.js";
import type { CommitIntent, FileChange } from "../writer/intents.js";
import { comparePaths, listOpenPullRequests, type GitHubClient } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";

/**
 * Bringing one of Baton's own pull requests (an ADR, learned pitfalls) up
 * to date after the default branch moved, as GitHub's "Update branch" does
 * with the conflicts resolved by Baton: one commit on the pull request's
 * branch whose parents are its tip and the default branch, and whose tree is
 * the default branch's with the pull request's files as Baton rewrote them.
 * Baton only does it to a branch it may rewrite: one whose files all lie
 * where the step may write, and whose other changes the default branch did
 * not touch. Anything else is told, never resolved for a person.
 */

export type OpenPull = Awaited<ReturnType<typeof listOpenPullRequests>>[number];

/** At most this many open pull requests are looked at per push (the oldest first). */
export const MAX_PULLS_PER_PUSH = 100;

export interface BranchStanding {
  /** The default branch has commits the pull request lacks. */
  behind: boolean;
  /** Where the pull request branched from the default branch. */
  mergeBase: string;
  /** Paths the default branch changed since then; null when GitHub could not list them all. */
  changedOnMain: string[] | null;
}

/** How the pull request's head stands against the default branch at `mainSha`. */
export async function standingAgainstDefault(octokit: GitHubClient, target: RepoTarget, pull: OpenPull, mainSha: string): Promise<BranchStanding> {
  const mainSide = await comparePaths(octokit, target.owner, target.repo, pull.headSha, mainSha);
  return { behind: mainSide.status !== "identical" && mainSide.status !== "behind", mergeBase: mainSide.mergeBase, changedOnMain: mainSide.paths };
}

/** The pull request's paths that the default branch changed too; null when that is unknown. */
export function changedOnBothSides(paths: readonly string[], standing: BranchStanding): string[] | null {
  return standing.changedOnMain === null ? null : paths.filter((p) => standing.changedOnMain!.includes(p));
}

/** The paths the step may not write (the one path policy decides), which Baton therefore never rewrites. */
export function outsideWritable(paths: readonly string[], step: StepDeclaration): string[] {
  const policy = stepPathPolicy(step);
  return paths.filter((p) => !policy.check(p).allowed);
}

/**
 * Whether the pull request's own commits (those the default branch lacks)
 * were all made by Baton's account; false when one was not (a person edited
 * the branch) or when GitHub could not list them all.
 */
export async function onlyBatonCommits(octokit: GitHubClient, target: RepoTarget, pull: OpenPull, mainSha: string, bot: BotIdentity): Promise<boolean> {
  const own = await comparePaths(octokit, target.owner, target.repo, mainSha, pull.headSha);
  return own.authors !== null && own.authors.every((login) => (login ?? "").toLowerCase() === bot.login.toLowerCase());
}

/**
 * The commit on the pull request's branch; with `mergeWith` (the default
 * branch's head) it merges it, and `files` must then hold every file the
 * pull request changed that is to be kept: the tree starts from the default
 * branch's.
 */
export function branchUpdateCommit(pull: OpenPull, message: string, files: FileChange[], mergeWith: string | undefined): CommitIntent {
  return { kind: "commit", branch: pull.headRef, baseSha: pull.headSha, message, files, ...(mergeWith ? { mergeWith } : {}) };
}
