import type { StepDeclaration } from "../graph/step-declaration.js";
import type { Intent } from "./intents.js";

/**
 * What the writer did for each intent, in the order the intents were given.
 * Every result names what it touched (sha, number, id, URL) so the check run
 * summary and the manifest can link to it, and says whether something was
 * written at all: on a redelivered event every action should be "unchanged"
 * or "skipped".
 */

export interface CommitResult {
  kind: "commit";
  branch: string;
  /** The branch tip after the write (the new commit, or the tip that already had the content). */
  sha: string;
  /** HTML URL of that commit. */
  url: string;
  /** A new commit was made. */
  created: boolean;
  /**
   * "branch-created": new branch with one new commit on baseSha.
   * "branch-updated": the branch existed with other content; one commit was added on its tip (fast-forward).
   * "unchanged": every file already had the intended content; nothing was written.
   * When "unchanged" and the branch did not exist, no branch was created either.
   */
  action: "branch-created" | "branch-updated" | "unchanged";
  /** Paths whose content actually changed (created, modified or deleted) in the new commit. */
  changedPaths: string[];
  /** The repository the branch is in (`owner/repo`): the writer's own, or a fork. */
  repository?: string;
}

export interface PullRequestResult {
  kind: "pull-request";
  number: number;
  url: string;
  created: boolean;
  /** "closed": a close-pull-request intent closed it ("unchanged" when it was closed already). */
  action: "created" | "updated" | "closed" | "unchanged";
  /** Labels that were missing and got added. */
  labelsAdded: string[];
}

export interface CommentResult {
  kind: "comment";
  issueNumber: number;
  id: number;
  url: string;
  action: "created" | "updated" | "unchanged";
}

export interface ReviewResult {
  kind: "review";
  pullNumber: number;
  id: number;
  url: string;
  action: "created" | "skipped";
  /** The event GitHub accepted (COMMENT when it refused a verdict on the app's own PR). */
  event: "COMMENT" | "REQUEST_CHANGES" | "APPROVE";
  /** Inline comments placed on the diff. */
  inlineComments: number;
  /** Inline comments GitHub refused (422), listed in the review body instead. */
  commentsMovedToBody: number;
}

export type WriteResult = CommitResult | PullRequestResult | CommentResult | ReviewResult;

export interface GitHubWriter {
  /**
   * Checks every intent against the step's declaration (nothing is written if
   * one is refused), then carries them out in order. Safe to call again with
   * the same intents: what is already done is found and left alone.
   */
  apply(step: StepDeclaration, intents: Intent[]): Promise<WriteResult[]>;
}

/** The subset of Probot's pino logger the writer uses. */
export interface WriterLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}
