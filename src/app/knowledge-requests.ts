import type { JobRequest, RepoTarget } from "../runner/job-request.js";

/**
 * Pure translations, from webhook payload fields to job requests, for the
 * knowledge lifecycle: decisions on ADR pull requests. routeEvent enriches
 * an event once (the reviewer's permission) and calls these.
 */

export interface SubmittedReview {
  pullNumber: number;
  /** The webhook's review state: "approved", "commented", "changes_requested", "dismissed". */
  state: string;
  reviewer: string;
  reviewerType: string;
  reviewId: number;
  pullOpen: boolean;
  headRepo: string | null;
  baseRepo: string;
}

/**
 * An approval accepts the proposed ADRs of the pull request, when the
 * reviewer is a person with write access (checked by the caller). Anything
 * else, and approvals of pull requests from forks, asks for nothing.
 */
export function reviewSubmittedRequest(target: RepoTarget, review: SubmittedReview): JobRequest | null {
  if (review.state.toLowerCase() !== "approved" || review.reviewerType === "Bot" || !review.pullOpen) return null;
  if (review.headRepo !== review.baseRepo) return null;
  return { kind: "adr-decision", target, pullNumber: review.pullNumber, decision: "accepted", by: review.reviewer, via: "approval", cause: `review-${review.reviewId}` };
}

/** At most this many pushed paths travel with the job; past it the job treats every path as possibly changed. */
export const MAX_PUSHED_PATHS = 500;

/**
 * A push to the default branch that touches Markdown (ADRs, pitfalls,
 * specs) or Baton's config: one job that renumbers open ADR pull requests
 * and tells reviewed pull requests their context changed. Deciding which
 * folders matter needs the config at the pushed commit, so the job does it.
 */
export function knowledgePushRequest(
  target: RepoTarget,
  push: { ref: string; before: string; after: string; defaultBranch: string; commits: { added?: string[]; modified?: string[]; removed?: string[] }[] },
): JobRequest | null {
  if (push.ref !== `refs/heads/${push.defaultBranch}` || /^0+$/.test(push.after) || /^0+$/.test(push.before)) return null;
  const paths = new Set<string>();
  for (const c of push.commits) for (const p of [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]) paths.add(p);
  const relevant = [...paths].filter((p) => /\.(md|markdown)$/i.test(p) || /^\.github\/baton\.ya?ml$/.test(p) || p === ".adr-dir");
  // GitHub lists at most 2,000 files per commit and 20 commits per push: an empty list on a big push means unknown.
  const unknown = push.commits.length >= 20 || paths.size > MAX_PUSHED_PATHS;
  if (relevant.length === 0 && !unknown) return null;
  return { kind: "default-branch-changed", target, before: push.before, after: push.after, paths: unknown ? null : relevant.sort(), cause: `push-${push.after.slice(0, 12)}` };
}

/**
 * A closed pull request teaches something: on merge, the lessons of the
 * findings it fixed and of `/baton remember`; closed unmerged, only the
 * latter. Baton's own pitfall pull requests teach nothing new.
 */
export function pullClosedRequest(target: RepoTarget, pr: { number: number; merged: boolean; headRef: string }, cause: string): JobRequest | null {
  if (pr.headRef.startsWith("baton/pitfalls/")) return null;
  return { kind: "learn-from-pull", target, pullNumber: pr.number, merged: pr.merged, cause };
}
