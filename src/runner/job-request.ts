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
  | { kind: "remember"; target: RepoTarget; number: number; lesson: string; module?: string; commentUrl: string; author: string; cause: string }
  | { kind: "help"; target: RepoTarget; number: number; cause: string }
  /** `/baton dismiss <id>`: review findings a maintainer dismissed; no model call. */
  | { kind: "dismiss"; target: RepoTarget; pullNumber: number; ids: string[]; author: string; cause: string }
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
    case "dismiss":
      return `#${req.pullNumber}`;
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
