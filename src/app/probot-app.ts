import type { ApplicationFunction, Probot } from "probot";
import { createQueueFromEnv } from "../jobs/queue-from-env.js";
import { createSharedGroupPauses } from "../jobs/group-pauses.js";
import { connectRedis, redisPrefix } from "../state/redis-connection.js";
import { createRedisState } from "../state/redis-state.js";
import { QueueClosedError, QueueFullError, type Job, type JobQueue } from "../jobs/job.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";
import { createAnthropicModelClient } from "../model/anthropic-model-client.js";
import type { ModelClient } from "../model/model-client.js";
import { isTransientError } from "../model/model-errors.js";
import type { GitHubClient } from "../runner/github-port.js";
import { jobId, jobKey, type JobRequest } from "../runner/job-request.js";
import { reportJobFailure, runJob, type RunnerDeps } from "../runner/run-job.js";
import { createMemoryState } from "../state/memory-state.js";
import type { SharedState } from "../state/shared-state.js";
import { deliveryJob, type Delivery, type RouteWork } from "./delivery-job.js";
import { createReplyLimiter, replyLimitFromEnv } from "./reply-limit.js";
import { appIdentity } from "./app-identity.js";
import { appForkAccess } from "./fork-access.js";
import { routeEvent } from "./route-event.js";
import { recoverCheckRuns } from "./recover-check-runs.js";
import { createCheckRunJournal } from "../runner/check-run-journal.js";
import { createUsageLedger } from "../runner/token-allowance.js";
import { createMetrics, type BatonMetrics } from "../server/metrics.js";

/** What the queue carries: a delivery to route, or a step request routing produced. */
export type QueuedWork = RouteWork | JobRequest;

export interface BatonAppOptions {
  /** The model client; default: Anthropic from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL. */
  model?: ModelClient;
  /** The job queue; default: BullMQ when REDIS_URL is set, else in-process. */
  queue?: (handler: (work: QueuedWork) => Promise<void>, onFailure: (work: QueuedWork, err: unknown) => Promise<void>) => Promise<JobQueue>;
  /** State shared by processes (reply limits…); default: this process's memory. */
  state?: SharedState;
  /** Environment read for limits (BATON_REPLIES_PER_HOUR, BATON_QUEUE_LIMIT…); default: process.env. */
  env?: Record<string, string | undefined>;
  now?: () => Date;
  /** Token use, job durations, queue depth… (default: a registry nobody serves). */
  metrics?: BatonMetrics;
  /** Jobs this process runs at once (default 2; 0 with REDIS_URL: none, this process only takes webhooks). */
  concurrency?: number;
  /** Exposed for tests and the server: the queue and the edge's entry point. */
  onReady?: (handle: Baton) => void;
}

/** What a delivery got: a job in the queue, or nothing to do (said why). */
export type Acceptance = { accepted: true; job: string } | { accepted: false; reason: string };

export interface Baton {
  queue: JobQueue;
  metrics: BatonMetrics;
  /**
   * The webhook's whole work, after the signature check: turn the delivery
   * into a route job and enqueue it. No GitHub request, no model work.
   * Throws QueueFullError or QueueClosedError when it cannot take it, so
   * the endpoint answers 503 and GitHub shows the delivery as failed.
   */
  accept(delivery: Delivery): Promise<Acceptance>;
  /** Closes the queue (see JobQueue.close), the shared state and the Redis connection. */
  close(): Promise<void>;
}

const EVENTS = ["issues.labeled", "push", "pull_request", "pull_request_review.submitted", "issue_comment.created", "check_run.rerequested"] as const;

/**
 * The app: an edge that only enqueues, and the queue's handlers. A route
 * job reads what routing needs (config, the sender's permission, the PR
 * head) in the worker and enqueues the step jobs it asks for; a step job
 * runs the step.
 */
export async function createBaton(app: Probot, options: BatonAppOptions = {}): Promise<Baton> {
  const env = options.env ?? process.env;
  const model = options.model ?? createAnthropicModelClient();
  const now = options.now ?? (() => new Date());
  const redisUrl = env.REDIS_URL?.trim();
  const redis = redisUrl ? connectRedis(redisUrl) : undefined;
  const prefix = redisPrefix(env);
  const state = options.state ?? (redis ? createRedisState(redis, prefix) : createMemoryState());
  const replies = createReplyLimiter(state, replyLimitFromEnv(env));
  const journal = createCheckRunJournal(state);
  const usage = createUsageLedger(state, now);
  const metrics = options.metrics ?? createMetrics();
  const octokitFor = async (installationId: number) => (await app.auth(installationId)) as unknown as GitHubClient;
  const identity = appIdentity(app);
  const forks = appForkAccess(app);
  const deps = async (installationId: number): Promise<RunnerDeps> => ({
    octokit: await octokitFor(installationId),
    bot: await identity(),
    forks,
    model,
    log: app.log,
    now,
    journal,
    usage,
    meter: metrics,
  });

  const route = async (work: RouteWork) => {
    const { delivery, installationId } = work;
    const requests = await routeEvent({ name: delivery.name, id: delivery.id, payload: delivery.payload, octokit: await octokitFor(installationId), installationId, log: app.log, replies });
    for (const req of requests) {
      const result = await queue.enqueue(jobFor(req), { fanOut: true });
      app.log.info({ delivery: delivery.id, job: jobId(req), accepted: result.accepted, reason: result.reason }, "baton job");
    }
  };
  const handler = async (work: QueuedWork) => {
    const started = performance.now();
    let ok = false;
    try {
      await (work.kind === "route" ? route(work) : runJob(work, await deps(work.target.installationId)));
      ok = true;
    } finally {
      metrics.jobAttempt(work.kind, (performance.now() - started) / 1000, ok);
    }
  };
  const onFailure = async (work: QueuedWork, err: unknown) => {
    metrics.jobFailed(work.kind);
    if (work.kind === "route") {
      app.log.error({ delivery: work.delivery.id, event: work.delivery.name, err: err instanceof Error ? err.message : String(err) }, "could not route the delivery: redeliver it from the app's advanced settings once the cause is fixed");
      return;
    }
    await reportJobFailure(work, err, await deps(work.target.installationId));
  };
  const queue: JobQueue = options.queue
    ? await options.queue(handler, onFailure)
    : await createQueueFromEnv(env, redis, {
        prefix,
        pauses: createSharedGroupPauses(state),
        handler: (job) => handler(job.payload as QueuedWork),
        onFailure: (job, err) => onFailure(job.payload as QueuedWork, err),
        isTransient: (err) => isTransientError(err) || defaultIsTransient(err),
        logger: app.log,
        maxQueued: queueLimitFromEnv(env),
        concurrency: options.concurrency,
      });

  metrics.watchQueue(queue);
  const recovered = await recoverCheckRuns({
    journal,
    queue,
    octokitFor,
    bot: identity,
    shared: Boolean(redis) && !options.queue,
    enqueue: async (req) => void (await queue.enqueue(jobFor(req), { fanOut: true })),
    log: app.log,
  });
  if (recovered.requeued || recovered.cancelled) app.log.info({ ...recovered }, "check runs left open by a stopped process: recovered");

  const baton: Baton = {
    queue,
    metrics,
    async accept(delivery) {
      const made = deliveryJob(delivery);
      if ("skip" in made) {
        metrics.delivery(delivery.name, "ignored");
        return { accepted: false, reason: made.skip };
      }
      const result = await queue.enqueue(made.job);
      metrics.delivery(delivery.name, result.accepted ? "accepted" : result.reason === "duplicate" ? "duplicate" : "refused");
      if (result.reason === "full") throw new QueueFullError(queueLimitFromEnv(env));
      if (result.reason === "closed") throw new QueueClosedError("Baton is shutting down and takes no new events: redeliver this one once it is back");
      return result.accepted ? { accepted: true, job: made.job.id } : { accepted: false, reason: "already received (a redelivery of a delivery still queued, running or done)" };
    },
    async close() {
      await queue.close();
      await state.close();
      await redis?.quit().catch(() => undefined);
    },
  };
  options.onReady?.(baton);
  return baton;
}

/** The queue job of a step request: one at a time per issue or PR, slots shared fairly by installation. */
export function jobFor(req: JobRequest): Job<JobRequest> {
  return { id: jobId(req), key: jobKey(req), kind: req.kind, group: String(req.target.installationId), payload: req };
}

/** `BATON_QUEUE_LIMIT` (default 1000): events waiting beyond which deliveries are refused with 503. */
export function queueLimitFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.BATON_QUEUE_LIMIT?.trim();
  if (!raw) return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BATON_QUEUE_LIMIT must be a whole number ≥ 1, not "${raw}"`);
  return n;
}

/** Probot's form of the app (tests load it into a Probot instance): every routed event goes through `accept`. */
export function createBatonApp(options: BatonAppOptions = {}): ApplicationFunction {
  return async (app: Probot) => {
    const baton = await createBaton(app, options);
    app.on([...EVENTS], async (context) => {
      const result = await baton.accept({ id: context.id, name: context.name, payload: context.payload });
      context.log.info({ delivery: context.id, ...result }, "delivery");
    });
  };
}

export default createBatonApp();
