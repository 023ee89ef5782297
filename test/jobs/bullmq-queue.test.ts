import { Job as BullJob, Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createBullmqQueue, toBullmqJobId, type BullmqQueueOptions } from "../../src/jobs/bullmq-queue.js";
import { createSharedGroupPauses } from "../../src/jobs/group-pauses.js";
import type { Job, JobQueue } from "../../src/jobs/job.js";
import { createRetryPolicy } from "../../src/jobs/retry-policy.js";
import { createRedisState } from "../../src/state/redis-state.js";
import { deletePrefix, describeWithRedis, uniquePrefix } from "../support/redis.js";
import { deferred, httpError, type Deferred } from "./helpers.js";

/** Polls a condition (no fixed sleep): resolves as soon as it holds, fails after `timeoutMs`. */
async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function job(id: string, key: string, group = "1"): Job {
  return { id, key, kind: "test", group, payload: { id } };
}

/** A handler whose jobs wait for the test; records starts, ends and overlaps per key. */
function gated() {
  const gates = new Map<string, Deferred>();
  const gate = (id: string) => gates.get(id) ?? gates.set(id, deferred()).get(id)!;
  const started: string[] = [];
  const finished: string[] = [];
  const running = new Map<string, string>();
  const overlaps: string[] = [];
  return {
    started,
    finished,
    overlaps,
    release: (id: string) => gate(id).resolve(),
    handler: async (j: Job) => {
      const other = running.get(j.key);
      if (other) overlaps.push(`${j.id} while ${other}`);
      running.set(j.key, j.id);
      started.push(j.id);
      try {
        await gate(j.id).promise;
      } finally {
        running.delete(j.key);
        finished.push(j.id);
      }
    },
  };
}

describeWithRedis("BullMQ queue on a real Redis", (url) => {
  let prefix: string;
  const open: { queue: JobQueue; redis: Redis }[] = [];

  async function start(options: Partial<BullmqQueueOptions> & Pick<BullmqQueueOptions, "handler">) {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    const queue = await createBullmqQueue({ connection: redis, prefix, retry: createRetryPolicy({ baseDelayMs: 50, maxAttempts: 3, random: () => 0 }), lockMs: 5_000, stalledIntervalMs: 5_000, laneRetryMs: 60_000, ...options });
    open.push({ queue, redis });
    return queue;
  }

  beforeEach(() => {
    prefix = uniquePrefix("queue");
  });
  afterEach(async () => {
    for (const { queue, redis } of open.splice(0)) {
      await queue.close();
      redis.disconnect();
    }
    await deletePrefix(url, prefix);
  });

  it("refuses a job id queued, running or completed; a job that failed for good can be enqueued again", async () => {
    const h = gated();
    let fail = true;
    const failures: string[] = [];
    const queue = await start({
      handler: async (j) => {
        if (j.id === "bad" && fail) throw httpError(404);
        await h.handler(j);
      },
      onFailure: (j) => void failures.push(j.id),
    });
    expect(await queue.enqueue(job("one", "k1"))).toEqual({ accepted: true });
    expect(await queue.enqueue(job("one", "k1"))).toEqual({ accepted: false, reason: "duplicate" });
    await until("one started", () => h.started.includes("one"));
    expect(await queue.enqueue(job("one", "k1"))).toEqual({ accepted: false, reason: "duplicate" });
    h.release("one");
    await queue.onIdle();
    expect(await queue.enqueue(job("one", "k1"))).toEqual({ accepted: false, reason: "duplicate" });

    expect(await queue.enqueue(job("bad", "k2"))).toEqual({ accepted: true });
    await queue.onIdle();
    expect(failures).toEqual(["bad"]);
    fail = false;
    expect(await queue.enqueue(job("bad", "k2"))).toEqual({ accepted: true });
    h.release("bad");
    await queue.onIdle();
    expect(h.finished).toEqual(["one", "bad"]);
  });

  it("runs one key's jobs one at a time, in enqueue order, across two worker processes' queues", async () => {
    const h = gated();
    const producer = await start({ handler: h.handler, concurrency: 0 });
    await start({ handler: h.handler, concurrency: 2 });
    await start({ handler: h.handler, concurrency: 2 });
    for (const id of ["a1", "a2", "a3", "a4"]) await producer.enqueue(job(id, "acme/widgets#15"));
    await producer.enqueue(job("b1", "acme/widgets#16"));

    await until("a1 and b1 running", () => h.started.includes("a1") && h.started.includes("b1"));
    // Three more jobs of #15 wait behind a1, though two workers have free slots.
    expect(h.started.filter((id) => id.startsWith("a"))).toEqual(["a1"]);
    for (const id of ["a1", "a2", "a3"]) {
      h.release(id);
      const next = `a${Number(id.slice(1)) + 1}`;
      // The lane's head wakes its successor when it ends (laneRetryMs is a minute: no polling helps here).
      await until(`${next} started`, () => h.started.includes(next));
    }
    h.release("a4");
    h.release("b1");
    await producer.onIdle();
    expect(h.started.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2", "a3", "a4"]);
    expect(h.overlaps).toEqual([]);
  });

  it("gives a new installation's first job a turn before another installation's backlog", async () => {
    const h = gated();
    const queue = await start({ handler: h.handler, concurrency: 1 });
    await queue.enqueue(job("blocker", "x#1", "9"));
    await until("the worker is busy", () => h.started.includes("blocker"));
    for (let i = 1; i <= 5; i++) await queue.enqueue(job(`A${i}`, `a#${i}`, "100"));
    await queue.enqueue(job("B1", "b#1", "200"));
    h.release("blocker");
    for (let n = 2; n <= 7; n++) {
      await until(`job ${n} started`, () => h.started.length >= n);
      h.release(h.started[n - 1]!);
    }
    await queue.onIdle();
    // A1 and B1 share the first turn (FIFO among equals); A's backlog follows.
    expect(h.started).toEqual(["blocker", "A1", "B1", "A2", "A3", "A4", "A5"]);
  });

  it("retries transient errors with backoff, and a full queue refuses jobs from the edge but not their fan-out", async () => {
    let attempts = 0;
    const queue = await start({
      maxQueued: 1,
      concurrency: 0,
      handler: async () => {},
    });
    expect(await queue.enqueue(job("first", "k"))).toEqual({ accepted: true });
    expect(await queue.enqueue(job("second", "k"))).toEqual({ accepted: false, reason: "full" });
    expect(await queue.enqueue(job("child", "k"), { fanOut: true })).toEqual({ accepted: true });
    expect(await queue.counts()).toEqual({ waiting: 2, running: 0 });
    await start({
      handler: async (j) => {
        if (j.id === "first" && ++attempts < 3) throw httpError(503);
      },
    });
    await queue.onIdle();
    expect(attempts).toBe(3);
  });

  it("holds a rate-limited installation's jobs in every process until GitHub's wait has passed, while others run", async () => {
    const h = gated();
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    open.push({ queue: { close: async () => {} } as JobQueue, redis });
    const pauses = createSharedGroupPauses(createRedisState(redis, prefix));
    const limit = Object.assign(new Error("You have exceeded a secondary rate limit"), {
      status: 403,
      request: { method: "POST", url: "https://api.github.com/repos/o/r/pulls/1/reviews", headers: {} },
      response: { status: 403, headers: { "retry-after": "600" }, data: {} },
    });
    const first = await start({
      pauses,
      concurrency: 1,
      handler: async (j) => {
        if (j.id === "a1") throw limit;
        await h.handler(j);
      },
    });
    await first.enqueue(job("a1", "a#1", "300"));
    await until("installation 300 paused", async () => (await pauses.until("300")) > Date.now());
    // Another process: installation 300's next job waits; installation 400's runs.
    const second = await start({ pauses, concurrency: 2, handler: h.handler });
    await second.enqueue(job("a2", "a#2", "300"));
    await second.enqueue(job("b1", "b#1", "400"));
    await until("b1 started", () => h.started.includes("b1"));
    const a2 = await BullJob.fromId(new Queue("jobs", { connection: redis, prefix }), toBullmqJobId("a2"));
    await until("a2 delayed by the pause", async () => (await a2!.getState()) === "delayed");
    expect(h.started).toEqual(["b1"]);

    // The wait is over (cut short here): a2 runs.
    await redis.del(`${prefix}:state:pause:300`);
    await a2!.promote();
    await until("a2 started", () => h.started.includes("a2"));
    h.release("a2");
    h.release("b1");
  });
});
