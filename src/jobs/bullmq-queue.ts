import { assertValidJob } from "./job.js";
import type { EnqueueResult, Job, JobFailureHook, JobHandler, JobQueue, QueueLogger } from "./job.js";
import { createInProcessQueue } from "./in-process-queue.js";
import type { InProcessQueueOptions } from "./in-process-queue.js";
import { DEFAULT_RETRY_POLICY, defaultIsTransient, retryDelayMs } from "./retry-policy.js";
import type { RetryPolicy } from "./retry-policy.js";

/**
 * The Redis-backed queue, for several processes or machines sharing work.
 *
 * - Dedupe: our job id is BullMQ's `jobId`; BullMQ ignores an `add` whose id
 *   exists. Completed jobs are kept for the retention window (removeOnComplete
 *   age/count), failed jobs are removed so a re-requested run can go again
 *   (same semantics as the in-process queue).
 * - Per-key serialisation: BullMQ groups are a Pro feature, so each attempt
 *   takes a Redis lock `baton:lock:<key>` holding the job id (SET NX PX,
 *   renewed while running and kept through a retry's backoff, released by
 *   compare-and-delete when the job ends). A job whose key is busy is moved back to
 *   delayed (moveToDelayed + DelayedError, BullMQ's documented pattern) and
 *   tried again shortly (this relies on moveToDelayed not counting as a
 *   failed attempt, as in BullMQ 5: check on upgrades). This guarantees one job at a time per key; order
 *   within a key is arrival order only approximately, so steps must still
 *   check that their input is current (e.g. the PR head is still the sha the
 *   job was made for) before writing.
 * - Retries: BullMQ's own attempts with a custom backoff strategy that uses
 *   our RetryPolicy (retry-after honoured); permanent errors are rethrown as
 *   UnrecoverableError so BullMQ does not retry them, after the failure hook.
 *
 * bullmq is an optional dependency, imported only here and only when used.
 */

// Minimal local types for the parts of bullmq (v5) we use.
interface RedisLike {
  set(key: string, value: string, px: "PX", ms: number, nx: "NX"): Promise<string | null>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}
interface BullJobLike {
  id?: string;
  name: string;
  data: BullJobData;
  attemptsMade: number;
  opts: { attempts?: number };
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}
interface BullQueueLike {
  add(name: string, data: BullJobData, opts: Record<string, unknown>): Promise<unknown>;
  getJob(id: string): Promise<{ getState(): Promise<string> } | undefined>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  readonly client: Promise<RedisLike>;
  close(): Promise<void>;
}
interface BullWorkerLike {
  on(event: "error", listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}
export interface BullmqModule {
  Queue: new (name: string, opts: Record<string, unknown>) => BullQueueLike;
  Worker: new (
    name: string,
    processor: (job: BullJobLike, token?: string) => Promise<void>,
    opts: Record<string, unknown>,
  ) => BullWorkerLike;
  UnrecoverableError: new (message?: string) => Error;
  DelayedError: new (message?: string) => Error;
}

interface BullJobData {
  id: string;
  key: string;
  kind: string;
  payload: unknown;
}

export interface BullmqQueueOptions {
  redisUrl: string;
  handler: JobHandler;
  queueName?: string;
  /** Jobs this process runs at once. */
  concurrency?: number;
  retry?: RetryPolicy;
  isTransient?: (error: unknown) => boolean;
  onFailure?: JobFailureHook;
  logger?: QueueLogger;
  retentionMs?: number;
  maxRetainedIds?: number;
  /** Per-key lock lifetime; renewed every third of it while the job runs. */
  keyLockMs?: number;
  /** Wait before trying again a job whose key is busy. */
  keyBusyDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** For tests: how bullmq is loaded. */
  importBullmq?: () => Promise<BullmqModule>;
}

/**
 * BullMQ rejects custom ids containing ":" (its Redis key separator) and ids
 * that are integers; ours look like "review:owner/repo#15@sha". Percent-encoding
 * ":" and "%" behind a prefix is injective, so dedupe still holds.
 */
export function toBullmqJobId(id: string): string {
  return `baton-${id.replace(/%/g, "%25").replace(/:/g, "%3A")}`;
}

const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

async function importBullmqDefault(): Promise<BullmqModule> {
  // A variable specifier keeps TypeScript from resolving a package that is not installed.
  const specifier = "bullmq";
  return (await import(specifier)) as BullmqModule;
}

export async function createBullmqQueue(options: BullmqQueueOptions): Promise<JobQueue> {
  const {
    redisUrl,
    handler,
    queueName = "baton",
    concurrency = 2,
    retry = DEFAULT_RETRY_POLICY,
    isTransient = defaultIsTransient,
    onFailure,
    logger,
    retentionMs = 60 * 60_000,
    maxRetainedIds = 10_000,
    keyLockMs = 15 * 60_000,
    keyBusyDelayMs = 5_000,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    now = Date.now,
    importBullmq = importBullmqDefault,
  } = options;

  let bull: BullmqModule;
  try {
    bull = await importBullmq();
  } catch (error) {
    throw new Error("The Redis-backed job queue needs the bullmq package: install bullmq and set REDIS_URL.", { cause: error });
  }

  const url = new URL(redisUrl);
  const connection = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === "rediss:" ? {} : undefined,
    // Required by BullMQ workers (blocking commands).
    maxRetriesPerRequest: null,
  };

  const queue = new bull.Queue(queueName, { connection });
  const abort = new AbortController();

  async function processor(bullJob: BullJobLike, token?: string): Promise<void> {
    const { id, key, kind, payload } = bullJob.data;
    const attempt = bullJob.attemptsMade + 1;
    const job: Job = { id, key, kind, payload, attempts: attempt };
    const redis = await queue.client;
    const lockKey = `baton:lock:${key}`;
    // The lock's value is the job id, so a retry of this job finds the lock it kept while waiting.
    const holds = async () =>
      (await redis.set(lockKey, id, "PX", keyLockMs, "NX")) === "OK" || (await redis.eval(RENEW_SCRIPT, 1, lockKey, id, keyLockMs)) === 1;
    if (!(await holds())) {
      await bullJob.moveToDelayed(now() + keyBusyDelayMs, token);
      throw new bull.DelayedError();
    }
    const renew = setInterval(() => {
      redis.eval(RENEW_SCRIPT, 1, lockKey, id, keyLockMs).catch((error: unknown) => {
        logger?.warn({ jobId: id, err: error }, "could not renew the per-key lock");
      });
    }, Math.max(1000, Math.floor(keyLockMs / 3)));
    let keepLock = false;
    try {
      await handler(job, { signal: abort.signal });
    } catch (error) {
      const maxAttempts = bullJob.opts.attempts ?? retry.maxAttempts;
      if (isTransient(error) && attempt < maxAttempts) {
        // Keep the key through the backoff (it expires after keyLockMs if the retry never comes),
        // so a later job for the same PR cannot overtake this one.
        keepLock = true;
        logger?.warn({ jobId: id, kind, attempt, err: error }, "transient job failure, retrying");
        throw error instanceof Error ? error : new Error(String(error));
      }
      logger?.error({ jobId: id, kind, attempts: attempt, err: error }, "job failed");
      try {
        await onFailure?.(job, error);
      } catch (hookError) {
        logger?.error({ jobId: id, err: hookError }, "job failure hook threw");
      }
      throw new bull.UnrecoverableError(error instanceof Error ? error.message : String(error));
    } finally {
      clearInterval(renew);
      const script = keepLock ? RENEW_SCRIPT : RELEASE_SCRIPT;
      await redis.eval(script, 1, lockKey, id, keyLockMs).catch(() => undefined);
    }
  }

  const worker = new bull.Worker(queueName, processor, {
    connection,
    concurrency,
    settings: {
      // BullMQ passes the number of attempts made, the failed one included.
      backoffStrategy: (attemptsMade: number, _type: string, error: unknown) => retryDelayMs(retry, attemptsMade, error, now),
    },
  });
  worker.on("error", (error) => logger?.error({ err: error }, "bullmq worker error"));

  return {
    async enqueue(job: Job): Promise<EnqueueResult> {
      assertValidJob(job);
      if (abort.signal.aborted) return { accepted: false, reason: "closed" };
      const jobId = toBullmqJobId(job.id);
      // The check is only for the answer; BullMQ itself ignores an add whose id exists, so a race cannot run a job twice.
      const existing = await queue.getJob(jobId);
      if (existing && (await existing.getState()) !== "unknown") return { accepted: false, reason: "duplicate" };
      const data: BullJobData = { id: job.id, key: job.key, kind: job.kind, payload: job.payload };
      await queue.add(job.kind, data, {
        jobId,
        attempts: retry.maxAttempts,
        backoff: { type: "baton" },
        removeOnComplete: { age: Math.ceil(retentionMs / 1000), count: maxRetainedIds },
        removeOnFail: true,
      });
      return { accepted: true };
    },

    async onIdle(): Promise<void> {
      // Across processes there is no event for "nothing left"; poll the counts.
      for (;;) {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        if (Object.values(counts).every((n) => n === 0)) return;
        await sleep(500);
      }
    },

    async counts() {
      const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
      return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c["waiting-children"] ?? 0), running: c.active ?? 0 };
    },

    async drain(): Promise<void> {
      await worker.close();
    },

    async close(): Promise<void> {
      abort.abort();
      await worker.close();
      await queue.close();
    },
  };
}

export type QueueFactoryOptions = InProcessQueueOptions & Pick<BullmqQueueOptions, "queueName" | "keyLockMs" | "keyBusyDelayMs">;

export interface QueueFactories {
  inProcess: (options: InProcessQueueOptions) => JobQueue;
  bullmq: (options: BullmqQueueOptions) => Promise<JobQueue>;
}

/** REDIS_URL set: the BullMQ queue (several processes share work); otherwise the in-process queue. */
export async function createQueueFromEnv(
  env: Record<string, string | undefined>,
  options: QueueFactoryOptions,
  factories: QueueFactories = { inProcess: createInProcessQueue, bullmq: createBullmqQueue },
): Promise<JobQueue> {
  const redisUrl = env.REDIS_URL?.trim();
  if (redisUrl) return factories.bullmq({ ...options, redisUrl });
  return factories.inProcess(options);
}
