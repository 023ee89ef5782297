/**
 * A job request: what an event asks Baton to do, as plain serialisable data
 * (it may travel through Redis). Built at the edge by the handlers; the
 * runner does the rest. The job id is the idempotency key: the same event
 * delivered twice yields the same id.
 */
export interface RepoTarget {
  owner: string;
  repo: string;
  installationId: number;
}

export type JobRequest =
  | { kind: "architecture-review"; target: RepoTarget; spec: { kind: "issue"; number: number } | { kind: "file"; path: string; commit: string }; cause: string }
  /** `commit`: pinned by the hosted app when it hands the job to the repository's workflow; otherwise the default branch head. */
  | { kind: "dev"; target: RepoTarget; issueNumber: number; cause: string; commit?: string }
  | { kind: "review"; target: RepoTarget; pullNumber: number; headSha: string; cause: string; force?: boolean }
  | { kind: "context"; target: RepoTarget; number: number; step: "architecture-review" | "dev" | "review"; cause: string }
  /** `isPullRequest`: on an open pull request the lesson waits for its merge (see learn-from-pull); elsewhere it is proposed at once. */
  | { kind: "remember"; target: RepoTarget; number: number; lesson: string; module?: string; commentUrl: string; author: string; cause: string; isPullRequest?: boolean }
  | { kind: "help"; target: RepoTarget; number: number; cause: string }
  /** `/baton dismiss <id>`: review findings a maintainer dismissed; no model call. */
  | { kind: "dismiss"; target: RepoTarget; pullNumber: number; ids: string[]; author: string; cause: string }
  /** A person with write access approved an ADR pull request, or commented `/baton accept` or `/baton reject` on it. */
  | { kind: "adr-decision"; target: RepoTarget; pullNumber: number; decision: "accepted" | "rejected"; by: string; via: "approval" | "command"; cause: string }
  /** The default branch moved and the push touched knowledge (Markdown, the config): renumber ADR PRs, flag stale reviews. `paths`: null when unknown. */
  | { kind: "default-branch-changed"; target: RepoTarget; before: string; after: string; paths: string[] | null; cause: string }
  /** A pull request closed: merged, the lessons of the findings it fixed and its `/baton remember` lessons; unmerged, the latter. */
  | { kind: "learn-from-pull"; target: RepoTarget; pullNumber: number; merged: boolean; cause: string }
  /** `/baton trace [ref]`: the chain posted as a comment; without a ref, the issue itself or the PR's ADR. */
  | { kind: "trace"; target: RepoTarget; number: number; isPullRequest: boolean; query: string | null; cause: string }
  /** A short answer on an issue or PR (a refusal, a missing prerequisite), found again by its marker. */
  | { kind: "reply"; target: RepoTarget; number: number; body: string; marker: string; cause: string };

export type JobKind = JobRequest["kind"];

function subject(req: JobRequest): string {
  switch (req.kind) {
    case "architecture-review":
      return req.spec.kind === "issue" ? `#${req.spec.number}` : `${req.spec.path}@${req.spec.commit}`;
    case "dev":
      return `#${req.issueNumber}`;
    case "review":
      return `#${req.pullNumber}@${req.headSha}`;
    case "adr-decision":
    case "learn-from-pull":
    case "dismiss":
      return `#${req.pullNumber}`;
    case "default-branch-changed":
      return `:default-branch@${req.after}`;
    default:
      return `#${req.number}`;
  }
}

/** `review:octo/repo#15@<sha>/<cause>`: stable for a redelivered event. */
export function jobId(req: JobRequest): string {
  return `${req.kind}:${req.target.owner}/${req.target.repo}${subject(req)}/${req.cause}`;
}

/** One job at a time per issue or PR (and per spec file). */
export function jobKey(req: JobRequest): string {
  const s = subject(req).replace(/@.*$/, "");
  return `${req.target.owner}/${req.target.repo}${s}`;
}
