import type { ApplicationFunction, Context, Probot } from "probot";
import { createQueueFromEnv } from "../jobs/bullmq-queue.js";
import type { JobQueue } from "../jobs/job.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";
import { createAnthropicModelClient } from "../model/anthropic-model-client.js";
import type { ModelClient } from "../model/model-client.js";
import { isTransientError } from "../model/model-errors.js";
import { jobId, jobKey, type JobRequest } from "../runner/job-request.js";
import { reportJobFailure, runJob, type RunnerDeps } from "../runner/run-job.js";
import type { GitHubClient } from "../runner/github-port.js";
import { appIdentity } from "./app-identity.js";
import { appForkAccess } from "./fork-access.js";
import { routeEvent } from "./route-event.js";

export interface BatonAppOptions {
  /** The model client; default: Anthropic from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL. */
  model?: ModelClient;
  /** The job queue; default: BullMQ when REDIS_URL is set, else in-process. */
  queue?: (handler: (req: JobRequest) => Promise<void>, onFailure: (req: JobRequest, err: unknown) => Promise<void>) => Promise<JobQueue>;
  now?: () => Date;
  /** Exposed for tests: resolves when the queue is idle. */
  onReady?: (handle: { queue: JobQueue }) => void;
}

/**
 * Event wiring only: each handler validates the event, enriches it once
 * (config labels, the sender's permission) and enqueues a plain job request.
 * No model work happens inside the webhook request.
 */
export function createBatonApp(options: BatonAppOptions = {}): ApplicationFunction {
  return async (app: Probot) => {
    const model = options.model ?? createAnthropicModelClient();
    const identity = appIdentity(app);
    const forks = appForkAccess(app);
    const deps = async (installationId: number): Promise<RunnerDeps> => ({
      octokit: (await app.auth(installationId)) as unknown as RunnerDeps["octokit"],
      bot: await identity(),
      forks,
      model,
      log: app.log,
      now: options.now ?? (() => new Date()),
    });
    const handler = async (req: JobRequest) => runJob(req, await deps(req.target.installationId));
    const onFailure = async (req: JobRequest, err: unknown) => reportJobFailure(req, err, await deps(req.target.installationId));
    const queue = options.queue
      ? await options.queue(handler, onFailure)
      : await createQueueFromEnv(process.env, {
          handler: (job) => handler(job.payload as JobRequest),
          onFailure: (job, err) => onFailure(job.payload as JobRequest, err),
          isTransient: (err) => isTransientError(err) || defaultIsTransient(err),
          logger: app.log,
        });
    options.onReady?.({ queue });

    const enqueue = async (context: Context, req: JobRequest) => {
      const result = await queue.enqueue({ id: jobId(req), key: jobKey(req), kind: req.kind, payload: req });
      context.log.info({ job: jobId(req), accepted: result.accepted, reason: result.reason }, "baton job");
    };

    // GitHub's "Redeliver" sends the same delivery id: an event already handled is
    // dropped before any request is made. Remembered only once handled, so a
    // delivery whose handler failed (shown as failed on GitHub) runs again.
    const handled = new Set<string>();

    // One router for every event, shared with the GitHub Action.
    app.on(["issues.labeled", "push", "pull_request", "pull_request_review.submitted", "issue_comment.created", "check_run.rerequested"], async (context) => {
      const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
      if (!installationId) return;
      if (handled.has(context.id)) {
        context.log.info({ delivery: context.id }, "delivery already handled, ignored");
        return;
      }
      const requests = await routeEvent({
        name: context.name,
        id: context.id,
        payload: context.payload,
        octokit: context.octokit as unknown as GitHubClient,
        installationId,
        log: context.log,
      });
      for (const req of requests) await enqueue(context, req);
      handled.add(context.id);
      if (handled.size > 10_000) handled.delete(handled.values().next().value as string);
    });
  };
}

export default createBatonApp();
