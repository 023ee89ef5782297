import type { CheckRunRecord } from "./check-run-payloads.js";
import { GitObjectStore, type CommitRecord, type GitObjectStoreOptions } from "./git-object-store.js";
import type { CommentRecord, IssueFields } from "./issue-payloads.js";
import type { ReviewFields } from "./pull-payloads.js";

/**
 * What both fakes keep of their one repository: the git objects and refs,
 * issues, pull requests, comments, reviews and check runs (each fake with
 * its own records of them), who may write, the requests it answered, the
 * installation tokens handed out, and the ids of new comments, reviews and
 * check runs.
 */

/** The record types a fake keeps. */
export interface RepositoryRecords {
  request: unknown;
  issue: IssueFields;
  pull: { number: number };
  review: ReviewFields;
  checkRun: CheckRunRecord;
}

export interface FakeRepositoryOptions extends GitObjectStoreOptions {
  /** The id before the first comment, review or check run. */
  idsAfter: number;
  /** login → permission, to start with. */
  permissions?: [string, string][];
}

export class FakeRepository<T extends RepositoryRecords> {
  readonly requests: T["request"][] = [];
  readonly unmatched: string[] = [];
  readonly git: GitObjectStore;
  readonly blobs: Map<string, Buffer>;
  readonly trees: GitObjectStore["trees"];
  readonly commits: Map<string, CommitRecord>;
  readonly refs: Map<string, string>;
  readonly issues = new Map<number, T["issue"]>();
  readonly pulls = new Map<number, T["pull"]>();
  readonly comments: CommentRecord[] = [];
  readonly reviews: T["review"][] = [];
  readonly checkRuns: T["checkRun"][] = [];
  /** login → "admin" | "maintain" | "write" | "triage" | "read" ("none" too, for the nock fake). */
  readonly permissions: Map<string, string>;
  defaultBranch = "main";
  /** Installation access tokens handed out. */
  tokensIssued = 0;
  private lastId: number;

  constructor(options: FakeRepositoryOptions) {
    this.git = new GitObjectStore(options);
    this.blobs = this.git.blobs;
    this.trees = this.git.trees;
    this.commits = this.git.commits;
    this.refs = this.git.refs;
    this.permissions = new Map(options.permissions ?? []);
    this.lastId = options.idsAfter;
  }

  setBranch(name: string, sha: string): void {
    this.git.setBranch(name, sha);
  }

  branchSha(name: string): string | undefined {
    return this.git.branchSha(name);
  }

  /** Path → content of every file in a commit (or tree). */
  filesAt(treeish: string): Record<string, string> {
    return this.git.filesAt(treeish);
  }

  commentsOn(issueNumber: number): CommentRecord[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  /** A new id for a comment, review or check run. */
  nextObjectId(): number {
    return ++this.lastId;
  }
}
