/**
 * What a step wants done, as plain data. Steps build intents (build first);
 * a writer carries them out (write last). Between the two, the declaration
 * is enforced: an intent the step did not declare, or a file outside what
 * it may write, is refused. Dry-run is printing the intents.
 */
export interface FileChange {
  path: string;
  /** New content, or null to delete the file. */
  content: string | null;
}

/** One commit on a branch created from `baseSha`. Deterministic branch names make redelivery harmless. */
export interface CommitIntent {
  kind: "commit";
  /**
   * Where the branch is: a fork of the writer's repository (`owner/repo`),
   * so that the repository's CI does not run the commit with its secrets
   * (see `dev.pushTo`). Absent: the writer's own repository.
   */
  repository?: string;
  branch: string;
  baseSha: string;
  message: string;
  files: FileChange[];
  /**
   * A merge: the commit's parents are the branch tip and this commit, and its
   * tree is this commit's tree with `files` applied. `files` must then hold
   * every file the branch changed that is to be kept (GitHub's "Update
   * branch", with the conflicts resolved by the caller).
   */
  mergeWith?: string;
}

export interface PullRequestIntent {
  kind: "pull-request";
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
  labels?: string[];
}

/**
 * Closes a pull request, unmerged: Baton's own pull request whose proposal
 * has nothing left to add. One already closed is left alone (redelivery).
 */
export interface ClosePullRequestIntent {
  kind: "close-pull-request";
  pullNumber: number;
}

/**
 * A comment found again by its hidden marker (not by bot login): `upsert`
 * edits it in place, `once` leaves an existing one alone.
 */
export interface CommentIntent {
  kind: "comment";
  issueNumber: number;
  marker: string;
  body: string;
  mode: "upsert" | "once";
}

export interface InlineComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
  /** A multi-line comment: its first line (before `line`, in the same hunk, same side). */
  startLine?: number;
  startSide?: "RIGHT";
}

/** One PR review, posted in a single request; `marker` makes a second post for the same commit a no-op. */
export interface ReviewIntent {
  kind: "review";
  pullNumber: number;
  commitId: string;
  marker: string;
  body: string;
  event: "COMMENT" | "REQUEST_CHANGES" | "APPROVE";
  comments: InlineComment[];
}

export type Intent = CommitIntent | PullRequestIntent | ClosePullRequestIntent | CommentIntent | ReviewIntent;

/** A hidden HTML marker Baton puts in its own comments and reviews to find them again. */
export function hiddenMarker(kind: string, key: string): string {
  return `<!-- baton:${kind} ${key} -->`;
}
