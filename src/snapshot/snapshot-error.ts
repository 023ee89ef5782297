/**
 * Raised when a snapshot cannot list or read the repository. The message
 * names the repository, the commit and the operation, so a failure reported
 * on a check run says what was being read; `status` carries the HTTP status
 * (GitHub) when there was one, so callers can tell "not found" from "GitHub
 * is down".
 */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
  readonly status: number | undefined;

  constructor(message: string, opts: { cause?: unknown; status?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.status = opts.status;
  }
}

/** HTTP status of an Octokit RequestError (or anything shaped like one). */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err === "object" && err !== null && "status" in err) {
    const status = (err as { status: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
