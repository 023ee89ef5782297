import { parseCheckRunExternalId } from "../runner/check-run-id.js";
import type { CheckRunJournal, OpenCheckRun } from "../runner/check-run-journal.js";
import type { GitHubClient } from "../runner/github-port.js";
import { jobId, type JobRequest } from "../runner/job-request.js";
import type { JobQueue } from "../jobs/job.js";
import { createCheckRunReporter } from "../writer/github-check-runs.js";
import type { BotIdentity } from "../writer/bot-identity.js";

export interface RecoveryOptions {
  journal: CheckRunJournal;
  queue: JobQueue;
  octokitFor(installationId: number): Promise<GitHubClient>;
  /** Baton's own account (check runs are found and closed as its own). */
  bot(): Promise<BotIdentity>;
  /**
   * Shared (Redis): jobs outlive the process, so an orphan is run again.
   * Not shared (in-process): the jobs died with the process; its check runs
   * are closed as cancelled, saying so.
   */
  shared: boolean;
  enqueue(req: JobRequest): Promise<void>;
  log: { info(obj: Record<string, unknown>, msg: string): void; warn(obj: Record<string, unknown>, msg: string): void };
}

export interface RecoveryReport {
  requeued: number;
  cancelled: number;
  /** Closed on GitHub already, or still owned by a queued or running job. */
  untouched: number;
}

const RESTART_NOTE =
  "Baton stopped (a crash or a restart without draining) while this step was running, so it was cancelled. Nothing it had not finished was written. Press **Re-run** on this check, or comment the `/baton` command again.";
const TWICE_NOTE = "Baton stopped twice while running this step, so it is not run a third time by itself. Press **Re-run** on this check once the cause (see the app's log) is fixed.";

/**
 * At startup: the check runs a previous process left queued or in progress.
 * One still owned by a job in the queue is left to it (BullMQ re-runs a job
 * whose worker died). Otherwise, with a shared queue the job is queued
 * again (once: an orphan of a recovery is closed instead, so a job that
 * kills its worker cannot loop); without, the check run is closed as
 * cancelled with a note saying why and what to do.
 */
export async function recoverCheckRuns(opts: RecoveryOptions): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: 0, cancelled: 0, untouched: 0 };
  for (const run of await opts.journal.list()) {
    const parsed = parseCheckRunExternalId(run.externalId);
    const req = parsed ? ({ ...parsed, target: run.target, cause: run.cause } as JobRequest) : undefined;
    if (req && (await opts.queue.isPending(jobId(req)))) {
      report.untouched++;
      continue;
    }
    try {
      const octokit = await opts.octokitFor(run.target.installationId);
      const { data } = await octokit.rest.checks.get({ owner: run.target.owner, repo: run.target.repo, check_run_id: run.checkRunId });
      if (data.status === "completed") {
        await opts.journal.closed(run.target, run.checkRunId);
        report.untouched++;
        continue;
      }
      if (opts.shared && req && !run.cause.startsWith("recover-")) {
        await opts.journal.closed(run.target, run.checkRunId);
        await opts.enqueue({ ...req, cause: `recover-${run.checkRunId}` } as JobRequest);
        opts.log.info({ checkRun: run.checkRunId, repository: `${run.target.owner}/${run.target.repo}`, step: run.stepId }, "check run left in progress by a stopped process: queued again");
        report.requeued++;
        continue;
      }
      await cancel(octokit, await opts.bot(), run, opts.shared ? TWICE_NOTE : RESTART_NOTE);
      await opts.journal.closed(run.target, run.checkRunId);
      opts.log.warn({ checkRun: run.checkRunId, repository: `${run.target.owner}/${run.target.repo}`, step: run.stepId }, "check run left in progress by a stopped process: cancelled");
      report.cancelled++;
    } catch (err) {
      // The installation may be gone, or GitHub down: try again at the next start.
      opts.log.warn({ checkRun: run.checkRunId, err: err instanceof Error ? err.message : String(err) }, "could not recover a check run left open");
    }
  }
  return report;
}

async function cancel(octokit: GitHubClient, bot: BotIdentity, run: OpenCheckRun, note: string): Promise<void> {
  const checks = createCheckRunReporter({ octokit, owner: run.target.owner, repo: run.target.repo, bot });
  await checks.complete(run.checkRunId, { conclusion: "cancelled", title: `${run.stepId} was interrupted`, summary: note });
}
