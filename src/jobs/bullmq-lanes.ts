import type { Redis } from "ioredis";

/**
 * Lanes: the jobs of one key (one PR or issue) in the order they were
 * enqueued, kept in Redis as a sorted set of job ids scored by enqueue time,
 * so that whichever workers pick them up, they run one at a time in that
 * order. A job joins its lane when it is enqueued (the claim script in
 * bullmq-queue.ts). Members are job ids, so adding a job twice (a race
 * between two webhook processes, or a worker healing a lane) changes nothing.
 */
export interface Lanes {
  /** The Redis key of a key's lane. */
  key(key: string): string;
  /**
   * Whether the job may run now: it is the head of its lane. Heads whose
   * job no longer exists or has finished (removed by hand, lost with Redis
   * data) are dropped first, so a lane never waits forever.
   */
  isHead(key: string, jobId: string, enqueuedAt: number): Promise<boolean>;
  /** Removes the job from its lane and wakes the next one if it waits delayed. */
  leave(key: string, jobId: string): Promise<void>;
}

interface LaneJob {
  getState(): Promise<string>;
  promote(): Promise<void>;
}

export function createLanes(redis: Redis, prefix: string, findJob: (id: string) => Promise<LaneJob | undefined>): Lanes {
  const laneKey = (key: string) => `${prefix}:lane:${key}`;
  return {
    key: laneKey,
    async isHead(key, jobId, enqueuedAt) {
      // Heals a lane that lost the job (a crash between the two writes of an enqueue).
      await redis.zadd(laneKey(key), "NX", enqueuedAt, jobId);
      for (;;) {
        const [head] = await redis.zrange(laneKey(key), 0, 0);
        if (head === undefined || head === jobId) return true;
        const state = await (await findJob(head))?.getState();
        if (state !== undefined && state !== "completed" && state !== "failed" && state !== "unknown") return false;
        await redis.zrem(laneKey(key), head);
      }
    },

    async leave(key, jobId) {
      await redis.zrem(laneKey(key), jobId);
      const [next] = await redis.zrange(laneKey(key), 0, 0);
      if (next === undefined) return;
      const job = await findJob(next);
      if ((await job?.getState()) === "delayed") {
        // It may have been promoted meanwhile by another worker: nothing to do then.
        await job!.promote().catch(() => undefined);
      }
    },
  };
}
