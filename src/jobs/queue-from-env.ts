import type { Redis } from "ioredis";
import { createBullmqQueue, type BullmqQueueOptions } from "./bullmq-queue.js";
import { createInProcessQueue, type InProcessQueueOptions } from "./in-process-queue.js";
import type { JobQueue } from "./job.js";

export type QueueFactoryOptions = InProcessQueueOptions & Pick<BullmqQueueOptions, "prefix" | "lockMs" | "stalledIntervalMs" | "laneRetryMs">;

/**
 * With a Redis connection (REDIS_URL): the BullMQ queue, shared by every
 * process. Without: the in-process queue. `BATON_JOB_LOCK_MS` (default
 * 30 s) is how long a job whose worker died stays claimed before another
 * worker runs it.
 */
export async function createQueueFromEnv(env: Record<string, string | undefined>, redis: Redis | undefined, options: QueueFactoryOptions): Promise<JobQueue> {
  if (!redis) return createInProcessQueue(options);
  const lockMs = Number(env.BATON_JOB_LOCK_MS?.trim() || 30_000);
  if (!Number.isInteger(lockMs) || lockMs < 500) throw new Error(`BATON_JOB_LOCK_MS must be a whole number of milliseconds ≥ 500, not "${env.BATON_JOB_LOCK_MS}"`);
  return createBullmqQueue({ lockMs, stalledIntervalMs: lockMs, laneRetryMs: lockMs, ...options, connection: redis });
}
