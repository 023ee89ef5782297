import type { CheckRunRecord as CheckRunFields } from "../../../test/support/fake-github/check-run-payloads.js";
import type { IssueFields } from "../../../test/support/fake-github/issue-payloads.js";
import type { ReviewFields } from "../../../test/support/fake-github/pull-payloads.js";

export type { CommitRecord } from "../../../test/support/fake-github/git-object-store.js";
export type { CommentRecord } from "../../../test/support/fake-github/issue-payloads.js";

/** What the loopback fake GitHub keeps and records, besides the git objects. */

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  installationId?: number;
  appId?: number;
  /** The app's public key (PEM): installation token requests must carry a JWT it verifies. */
  appPublicKey: string;
  /** Login Baton's writes are attributed to. */
  botLogin?: string;
  /** Where loud messages go (unknown routes, server errors). Default: stderr. */
  log?: (line: string) => void;
  /** Log every request too (LOOPBACK_TRACE=1). */
  trace?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the /api/v3 prefix and without the query, decoded. */
  path: string;
  query: URLSearchParams;
  status: number;
  /** Milliseconds (performance.now()) when the answer was sent. */
  at: number;
  body: unknown;
}

export interface IssueRecord extends IssueFields {
  user: { login: string; type: "User" | "Bot" };
  createdAt: string;
  updatedAt: string;
  isPull: boolean;
}
export interface PullRecord {
  number: number;
  headRef: string;
  baseRef: string;
  draft: boolean;
}
export interface ReviewRecord extends ReviewFields {
  state: string;
  user: { login: string; type: "User" | "Bot" };
  submittedAt: string;
  comments: { id: number; path: string; line: number; side: string; start_line?: number; start_side?: string; body: string }[];
}
export interface CheckRunRecord extends CheckRunFields {
  startedAt: string | null;
  completedAt: string | null;
}

/** What exists, by identity: compared before and after a redelivery to prove nothing was duplicated. */
export interface Census {
  branches: Record<string, string>;
  pulls: { number: number; head: string }[];
  reviews: { id: number; pullNumber: number; commitId: string; inline: number }[];
  comments: { id: number; issueNumber: number; marker: string }[];
  checkRuns: { id: number; name: string; headSha: string; externalId: string | null; conclusion: string | null }[];
  commits: number;
}

/** The records this fake keeps (test/support/fake-github/fake-repository.ts). */
export interface ServerRecords {
  request: RecordedRequest;
  issue: IssueRecord;
  pull: PullRecord;
  review: ReviewRecord;
  checkRun: CheckRunRecord;
}
