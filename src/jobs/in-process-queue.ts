import { assertValidJob, QueueClosedError } from "./job.js";
import type { EnqueueOptions, EnqueueResult, Job, JobFailureHook, JobHandler, JobQueue, QueueLogger } from "./job.js";
import { createFairSlots } from "./fair-slots.js";
import { createMemoryGroupPauses, gitHubRateLimitWaitMs, type GroupPauses } from "./group-pauses.js";
import { DEFAULT_RETRY_POLICY, defaultIsTransient, retryDelayMs } from "./retry-policy.js";
import type { RetryPolicy } from "./retry-policy.js";

/**
 * The default queue: one process, no infrastructure. Jobs with the same key
 * run one at a time in arrival order (one "lane" per key); lanes share a
 * global concurrency limit, handed to fairness groups (installations) in
 * turn. A failed attempt releases its concurrency slot while it waits to
 * retry (others may use it) but keeps its key, so a later job for the same
 * PR cannot overtake it. GitHub's "wait" to one job pauses its group.
 */

export interface InProcessQueueOptions {
  handler: JobHandler;
  /** Jobs running at once, across keys. */
  concurrency?: number;
  retry?: RetryPolicy;
  isTransient?: (error: unknown) => boolean;
  onFailure?: JobFailureHook;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  logger?: QueueLogger;
  /** How long a completed job id keeps refusing duplicates. */
  retentionMs?: number;
  /** Bound on remembered completed ids (oldest forgotten first). */
  maxRetainedIds?: number;
  /** Jobs accepted and not finished beyond which `enqueue` answers "full" (default: unbounded). */
  maxQueued?: number;
  /** Where rate-limit pauses per group are kept (default: this process's memory). */
  pauses?: GroupPauses;
  /** How long a failure asks the job's group to pause (default: GitHub's rate-limit wait). */
  pauseFor?: (error: unknown) => number | undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  const {
    handler,
    concurrency = 2,
    retry = DEFAULT_RETRY_POLICY,
    isTransient = defaultIsTransient,
    onFailure,
    sleep = defaultSleep,
    now = Date.now,
    logger,
    retentionMs = 60 * 60_000,
    maxRetainedIds = 10_000,
    maxQueued = Number.POSITIVE_INFINITY,
    pauses = createMemoryGroupPauses(now),
    pauseFor = (error: unknown) => gitHubRateLimitWaitMs(error, now),
  } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be an integer >= 1");

  const slots = createFairSlots(concurrency);
  /** Jobs waiting per key; the key's running job is not in its array. A key is present while its lane runs. */
  const lanes = new Map<string, Job[]>();
  /** Ids accepted and not finished: queued, running, or waiting to retry. */
  const inFlight = new Set<string>();
  /** Completed ids → completion time, in completion order. */
  const completed = new Map<string, number>();
  const idleWaiters: (() => void)[] = [];
  const abort = new AbortController();
  const closedSignal = new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve(), { once: true }));
  let closed = false;
  let draining = false;
  let running = 0;

  function forgetExpired(): void {
    const cutoff = now() - retentionMs;
    for (const [id, at] of completed) {
      if (at >= cutoff && completed.size <= maxRetainedIds) break;
      completed.delete(id);
    }
  }

  function settle(job: Job): void {
    inFlight.delete(job.id);
    if (inFlight.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function fail(job: Job, error: unknown): Promise<void> {
    logger?.error({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: error }, "job failed");
    if (!onFailure) return;
    try {
      await onFailure(job, error);
    } catch (hookError) {
      logger?.error({ jobId: job.id, err: hookError }, "job failure hook threw");
    }
  }

  async function runJob(queued: Job): Promise<void> {
    // A failed job's id is released (not remembered as completed) so a
    // re-requested check run can run it again.
    for (let attempt = (queued.attempts ?? 0) + 1; ; attempt++) {
      const job: Job = { ...queued, attempts: attempt };
      const group = job.group ?? "";
      // A paused installation waits without holding a slot, so others run meanwhile.
      for (let until = await pauses.until(group); until > now() && !closed; until = await pauses.until(group)) {
        await Promise.race([sleep(until - now()), closedSignal]);
      }
      await slots.acquire(group);
      if (closed) {
        slots.release();
        await fail(job, new QueueClosedError());
        return;
      }
      let error: unknown;
      let succeeded = false;
      running++;
      try {
        await handler(job, { signal: abort.signal });
        succeeded = true;
      } catch (caught) {
        error = caught;
      } finally {
        running--;
        slots.release();
      }
      if (succeeded) {
        completed.set(job.id, now());
        forgetExpired();
        return;
      }
      const transient = isTransient(error);
      if (!transient || attempt >= retry.maxAttempts || closed) {
        await fail(job, error);
        return;
      }
      const delay = retryDelayMs(retry, attempt, error, now);
      const pause = pauseFor(error);
      if (pause !== undefined) await pauses.pause(group, now() + pause);
      logger?.warn({ jobId: job.id, kind: job.kind, attempt, delayMs: delay, err: error }, "transient job failure, retrying");
      await Promise.race([sleep(delay), closedSignal]);
    }
  }

  async function runLane(key: string): Promise<void> {
    for (;;) {
      const lane = lanes.get(key);
      const job = lane?.shift();
      if (!job) {
        lanes.delete(key);
        return;
      }
      try {
        await runJob(job);
      } catch (unexpected) {
        // runJob catches handler errors; this is a bug in a hook or the logger.
        logger?.error({ jobId: job.id, err: unexpected }, "job queue internal error");
      } finally {
        settle(job);
      }
    }
  }

  return {
    async enqueue(job: Job, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
      assertValidJob(job);
      if (closed || (draining && !opts.fanOut)) return { accepted: false, reason: "closed" };
      forgetExpired();
      if (inFlight.has(job.id) || completed.has(job.id)) {
        logger?.info({ jobId: job.id, kind: job.kind }, "duplicate job ignored");
        return { accepted: false, reason: "duplicate" };
      }
      if (inFlight.size >= maxQueued && !opts.fanOut) {
        logger?.warn({ jobId: job.id, kind: job.kind, limit: maxQueued }, "job queue full: job refused");
        return { accepted: false, reason: "full" };
      }
      inFlight.add(job.id);
      const lane = lanes.get(job.key);
      if (lane) {
        lane.push(job);
      } else {
        lanes.set(job.key, [job]);
        void runLane(job.key);
      }
      return { accepted: true };
    },

    onIdle(): Promise<void> {
      if (inFlight.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    async isPending(id) {
      return inFlight.has(id);
    },

    async counts() {
      return { waiting: inFlight.size - running, running };
    },

    async drain(): Promise<void> {
      // New events are refused; the jobs they already fanned out into still get in.
      draining = true;
      if (inFlight.size > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async close(): Promise<void> {
      if (!closed) {
        closed = true;
        abort.abort(new QueueClosedError());
        // Jobs not started yet will never run: report them so their check runs do not stay "queued" forever.
        const abandoned = [...lanes.values()].flatMap((lane) => lane.splice(0));
        for (const job of abandoned) {
          await fail(job, new QueueClosedError());
          settle(job);
        }
      }
      if (inFlight.size > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
