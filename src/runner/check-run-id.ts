import type { JobRequest } from "./job-request.js";

const PREFIX = "baton:v1:";

type Rerunnable = Extract<JobRequest, { kind: "architecture-review" | "dev" | "review" }>;

/** A check run's external id carries the job it ran, so its Re-run button can run it again. */
export function checkRunExternalId(req: Rerunnable): string {
  // `force` only says how the job was asked for: the same step on the same commit is one check run.
  const { target: _t, cause: _c, ...rest } = req;
  if ("force" in rest) delete rest.force;
  return PREFIX + JSON.stringify(rest);
}

export function parseCheckRunExternalId(externalId: string): Omit<Rerunnable, "target" | "cause"> | null {
  if (!externalId.startsWith(PREFIX)) return null;
  try {
    const data = JSON.parse(externalId.slice(PREFIX.length)) as { kind?: string };
    if (data.kind === "architecture-review" || data.kind === "dev" || data.kind === "review") return data as Omit<Rerunnable, "target" | "cause">;
  } catch {
    // not ours, or damaged: nothing to re-run
  }
  return null;
}

/**
 * The "Baton: context changed" check run's external id: its Re-run button
 * reviews the pull request again, whole (`force`), with the context as it is now.
 */
export function contextChangedExternalId(pullNumber: number, headSha: string): string {
  return PREFIX + JSON.stringify({ kind: "review", pullNumber, headSha, force: true });
}
