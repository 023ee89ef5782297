import { DelayedError, Job as BullJob, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { assertValidJob } from "./job.js";
import type { EnqueueOptions, EnqueueResult, Job, JobFailureHook, JobHandler, JobQueue, QueueLogger } from "./job.js";
import { gitHubRateLimitWaitMs, type GroupPauses } from "./group-pauses.js";
import { DEFAULT_RETRY_POLICY, defaultIsTransient, retryDelayMs } from "./retry-policy.js";
import type { RetryPolicy } from "./retry-policy.js";
import { createLanes } from "./bullmq-lanes.js";

/**
 * The Redis-backed queue (REDIS_URL): any number of webhook and worker
 * processes share it.
 *
 * - Dedupe: our job id, made BullMQ-safe, is BullMQ's `jobId`; an `add`
 *   whose id exists changes nothing. Completed ids are kept for the
 *   retention window; failed jobs are removed, so a re-run can go again.
 * - Order per key (one PR or issue): a lane per key in Redis, ordered by
 *   enqueue time (bullmq-lanes.ts). Only the lane's head runs; the others
 *   wait delayed and the head promotes its successor when it ends, on
 *   whichever worker.
 * - Fairness: a job's priority is 1 + the jobs of its group (installation)
 *   already waiting, so a new installation's first job goes ahead of
 *   another's backlog (BullMQ runs lower numbers first, FIFO among equals).
 * - Pacing: a GitHub rate-limit wait pauses the job's group (shared state),
 *   and the group's jobs are delayed until it has passed.
 * - Crashes: BullMQ renews each running job's lock every lockMs / 2 while
 *   the process lives, so a slow model call is never taken for stalled; a
 *   worker killed mid-job loses its lock after lockMs and another worker
 *   runs the job again (steps are idempotent: markers, deterministic
 *   branches, check runs found again).
 * - Retries: BullMQ's attempts with our RetryPolicy as backoff (retry-after
 *   honoured); permanent errors go to the failure hook, then fail the job
 *   as UnrecoverableError so BullMQ does not retry them.
 */

export interface BullmqQueueOptions {
  /** The connection for commands; BullMQ opens its own blocking connections from it. */
  connection: Redis;
  handler: JobHandler;
  /** Key prefix of every key this queue writes (BATON_REDIS_PREFIX). */
  prefix?: string;
  queueName?: string;
  /** Jobs this process runs at once; 0: none (this process only enqueues). */
  concurrency?: number;
  retry?: RetryPolicy;
  isTransient?: (error: unknown) => boolean;
  onFailure?: JobFailureHook;
  logger?: QueueLogger;
  retentionMs?: number;
  maxRetainedIds?: number;
  /** Jobs waiting beyond which jobs from the edge are refused ("full"). */
  maxQueued?: number;
  /** BullMQ's lockDuration: a job whose worker stopped renewing it this long is run again elsewhere. */
  lockMs?: number;
  /** How often workers look for such jobs. */
  stalledIntervalMs?: number;
  /** A job behind its lane's head looks again after this long, should no promotion come. */
  laneRetryMs?: number;
  pauses?: GroupPauses;
  pauseFor?: (error: unknown) => number | undefined;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What travels in BullMQ's job data. */
interface JobData {
  id: string;
  key: string;
  kind: string;
  group: string;
  enqueuedAt: number;
  payload: unknown;
}

/**
 * KEYS: BullMQ's hash of the job, the group's backlog set, the key's lane.
 * ARGV: the job id, its enqueue time. Returns -1 when the job exists
 * (queued, running, delayed, or completed and retained), else the group's
 * backlog before this job.
 */
const CLAIM = `if redis.call("exists", KEYS[1]) == 1 then return -1 end
local waiting = redis.call("scard", KEYS[2])
redis.call("sadd", KEYS[2], ARGV[1])
redis.call("zadd", KEYS[3], "NX", ARGV[2], ARGV[1])
return waiting`;

/** How long the queue's depth, read for the bound, is reused: a bound needs no exactness, an answer needs speed. */
const DEPTH_TTL_MS = 250;

/** BullMQ's highest priority number. */
const LOWEST_PRIORITY = 2 ** 21 - 1;

/**
 * BullMQ rejects custom ids containing ":" (its Redis key separator) and ids
 * that are integers; ours look like "review:owner/repo#15@sha". Percent-encoding
 * ":" and "%" behind a prefix is injective, so dedupe still holds.
 */
export function toBullmqJobId(id: string): string {
  return `baton-${id.replace(/%/g, "%25").replace(/:/g, "%3A")}`;
}

export async function createBullmqQueue(options: BullmqQueueOptions): Promise<JobQueue> {
  const {
    connection: redis,
    handler,
    prefix = "baton",
    queueName = "jobs",
    concurrency = 2,
    retry = DEFAULT_RETRY_POLICY,
    isTransient = defaultIsTransient,
    onFailure,
    logger,
    retentionMs = 60 * 60_000,
    maxRetainedIds = 10_000,
    maxQueued = Number.POSITIVE_INFINITY,
    lockMs = 30_000,
    stalledIntervalMs = 30_000,
    laneRetryMs = 30_000,
    pauses,
    now = Date.now,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  } = options;
  const pauseFor = options.pauseFor ?? ((error: unknown) => gitHubRateLimitWaitMs(error, now));
  const queue = new Queue<JobData>(queueName, { connection: redis, prefix });
  const lanes = createLanes(redis, `${prefix}:${queueName}:baton`, (id) => BullJob.fromId(queue, id));
  const pendingKey = (group: string) => `${prefix}:${queueName}:baton:pending:${group}`;
  const abort = new AbortController();
  let draining = false;

  async function processor(bullJob: BullJob<JobData>, token?: string): Promise<void> {
    const data = bullJob.data;
    const bullId = bullJob.id!;
    const until = pauses ? await pauses.until(data.group) : 0;
    if (until > now()) {
      await bullJob.moveToDelayed(until, token);
      throw new DelayedError();
    }
    if (!(await lanes.isHead(data.key, bullId, data.enqueuedAt))) {
      await bullJob.moveToDelayed(now() + laneRetryMs, token);
      throw new DelayedError();
    }
    // Started: it no longer counts in its group's backlog.
    await redis.srem(pendingKey(data.group), bullId);
    const attempt = bullJob.attemptsMade + 1;
    const job: Job = { id: data.id, key: data.key, kind: data.kind, group: data.group, payload: data.payload, attempts: attempt };
    try {
      await handler(job, { signal: abort.signal });
    } catch (error) {
      if (isTransient(error) && attempt < (bullJob.opts.attempts ?? retry.maxAttempts)) {
        // The job stays its lane's head through the backoff, so nothing overtakes it.
        const pause = pauseFor(error);
        if (pause !== undefined && pauses) await pauses.pause(data.group, now() + pause);
        logger?.warn({ jobId: data.id, kind: data.kind, attempt, err: error }, "transient job failure, retrying");
        throw error instanceof Error ? error : new Error(String(error));
      }
      logger?.error({ jobId: data.id, kind: data.kind, attempts: attempt, err: error }, "job failed");
      try {
        await onFailure?.(job, error);
      } catch (hookError) {
        logger?.error({ jobId: data.id, err: hookError }, "job failure hook threw");
      }
      await lanes.leave(data.key, bullId);
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    await lanes.leave(data.key, bullId);
  }

  const worker =
    concurrency > 0
      ? new Worker<JobData>(queueName, processor, {
          connection: redis,
          prefix,
          concurrency,
          lockDuration: lockMs,
          stalledInterval: stalledIntervalMs,
          settings: {
            // BullMQ passes the number of attempts made, the failed one included.
            backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => retryDelayMs(retry, attemptsMade, error, now),
          },
        })
      : undefined;
  worker?.on("error", (error) => logger?.error({ err: error }, "bullmq worker error"));

  async function counts() {
    const c = await queue.getJobCounts("waiting", "prioritized", "delayed", "paused", "waiting-children", "active");
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.paused ?? 0) + (c["waiting-children"] ?? 0), running: c.active ?? 0 };
  }
  const depth = cachedDepth(async () => {
    const c = await counts();
    return c.waiting + c.running;
  }, now);

  return {
    async enqueue(job: Job, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
      assertValidJob(job);
      if (abort.signal.aborted || (draining && !opts.fanOut)) return { accepted: false, reason: "closed" };
      if (!opts.fanOut && Number.isFinite(maxQueued) && (await depth.get()) >= maxQueued) {
        logger?.warn({ jobId: job.id, kind: job.kind, limit: maxQueued }, "job queue full: job refused");
        return { accepted: false, reason: "full" };
      }
      const bullId = toBullmqJobId(job.id);
      const group = job.group ?? "";
      const enqueuedAt = now();
      // One round trip: refused if the job exists; otherwise its place in its group's backlog and in its lane.
      const waitingInGroup = Number(await redis.eval(CLAIM, 3, `${prefix}:${queueName}:${bullId}`, pendingKey(group), lanes.key(job.key), bullId, enqueuedAt));
      if (waitingInGroup < 0) return { accepted: false, reason: "duplicate" };
      const data: JobData = { id: job.id, key: job.key, kind: job.kind, group, enqueuedAt, payload: job.payload };
      // Should two processes race past the claim, BullMQ keeps the first add of an id: the job runs once.
      await queue.add(job.kind, data, {
        jobId: bullId,
        priority: Math.min(LOWEST_PRIORITY, 1 + waitingInGroup),
        attempts: retry.maxAttempts,
        backoff: { type: "baton" },
        removeOnComplete: { age: Math.ceil(retentionMs / 1000), count: maxRetainedIds },
        removeOnFail: true,
      });
      depth.added();
      return { accepted: true };
    },

    counts,

    async isPending(id) {
      const state = await (await queue.getJob(toBullmqJobId(id)))?.getState();
      return state !== undefined && state !== "completed" && state !== "failed" && state !== "unknown";
    },

    async onIdle(): Promise<void> {
      // Across processes there is no event for "nothing left"; poll the counts.
      for (;;) {
        const c = await counts();
        if (c.waiting + c.running === 0) return;
        await sleep(100);
      }
    },

    async drain(): Promise<void> {
      draining = true;
      // Waits for this worker's running jobs; waiting ones stay in Redis for the others.
      await worker?.close();
    },

    async close(): Promise<void> {
      draining = true;
      abort.abort();
      await worker?.close();
      await queue.close();
    },
  };
}

/** The queue's depth, read at most every DEPTH_TTL_MS, plus what this process added since. */
function cachedDepth(read: () => Promise<number>, now: () => number) {
  let value = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<number> | undefined;
  return {
    async get(): Promise<number> {
      if (now() - readAt > DEPTH_TTL_MS) {
        reading ??= read().finally(() => (reading = undefined));
        value = await reading;
        readAt = now();
      }
      return value;
    },
    added(): void {
      value++;
    },
  };
}
