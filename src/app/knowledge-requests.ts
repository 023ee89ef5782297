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
