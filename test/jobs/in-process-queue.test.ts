import { describe, expect, it } from "vitest";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import type { InProcessQueueOptions } from "../../src/jobs/in-process-queue.js";
import { QueueClosedError } from "../../src/jobs/job.js";
import type { Job } from "../../src/jobs/job.js";
import { createRetryPolicy } from "../../src/jobs/retry-policy.js";
import { deferred, flush, httpError } from "./helpers.js";
import type { Deferred } from "./helpers.js";

function job(id: string, key: string, payload: unknown = null): Job {
  return { id, key, kind: "test", payload };
}

/** A handler whose jobs each wait for the test to release them. */
function gatedHandler() {
  const gates = new Map<string, Deferred>();
  const started: string[] = [];
  const finished: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const gate = (id: string) => {
    let d = gates.get(id);
    if (!d) gates.set(id, (d = deferred()));
    return d;
  };
  return {
    started,
    finished,
    get maxRunning() {
      return maxRunning;
    },
    release: (id: string) => gate(id).resolve(),
    handler: async (j: Job) => {
      started.push(j.id);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        await gate(j.id).promise;
      } finally {
        running--;
        finished.push(j.id);
      }
    },
  };
}

const noSleep = async () => {};
const fixedRetry = createRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 60_000, jitterRatio: 0.2, random: () => 0 });

function queueWith(overrides: Partial<InProcessQueueOptions> & Pick<InProcessQueueOptions, "handler">) {
  return createInProcessQueue({ retry: fixedRetry, sleep: noSleep, ...overrides });
}

describe("in-process queue: scheduling", () => {
  it("never runs more jobs at once than the concurrency limit", async () => {
    const h = gatedHandler();
    const queue = queueWith({ handler: h.handler, concurrency: 2 });
    for (const id of ["a", "b", "c", "d", "e"]) await queue.enqueue(job(id, `key-${id}`));
    await flush();
    expect(h.started).toEqual(["a", "b"]);

    h.release("a");
    await flush();
    expect(h.started).toEqual(["a", "b", "c"]);

    for (const id of ["b", "c", "d", "e"]) h.release(id);
    await queue.onIdle();
    expect(h.finished.sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(h.maxRunning).toBe(2);
  });

  it("runs jobs with the same key one at a time, in arrival order, while other keys proceed", async () => {
    const h = gatedHandler();
    const queue = queueWith({ handler: h.handler, concurrency: 4 });
    await queue.enqueue(job("pr15-1", "o/r#15"));
    await queue.enqueue(job("pr15-2", "o/r#15"));
    await queue.enqueue(job("pr15-3", "o/r#15"));
    await queue.enqueue(job("pr16-1", "o/r#16"));
    await flush();
    expect(h.started).toEqual(["pr15-1", "pr16-1"]);

    h.release("pr15-2"); // releasing a later job early must not let it jump the queue
    await flush();
    expect(h.started).toEqual(["pr15-1", "pr16-1"]);

    h.release("pr15-1");
    await flush();
    // pr15-2 was already released, so it runs straight through and pr15-3 follows it
    expect(h.started).toEqual(["pr15-1", "pr16-1", "pr15-2", "pr15-3"]);
    expect(h.finished).toEqual(["pr15-1", "pr15-2"]);

    h.release("pr15-3");
    h.release("pr16-1");
    await queue.onIdle();
    expect(h.finished.filter((id) => id.startsWith("pr15"))).toEqual(["pr15-1", "pr15-2", "pr15-3"]);
  });

  it("passes the 1-based attempt number and an abort signal to the handler", async () => {
    const seen: { attempts?: number; aborted: boolean }[] = [];
    const queue = queueWith({ handler: async (j, ctx) => void seen.push({ attempts: j.attempts, aborted: ctx.signal.aborted }) });
    await queue.enqueue(job("x", "k"));
    await queue.onIdle();
    expect(seen).toEqual([{ attempts: 1, aborted: false }]);
  });
});

describe("in-process queue: idempotency", () => {
  it("refuses a job id that is queued, running, or completed", async () => {
    const h = gatedHandler();
    const queue = queueWith({ handler: h.handler, concurrency: 1 });
    expect(await queue.enqueue(job("review:o/r#15@aaa", "o/r#15"))).toEqual({ accepted: true });
    expect(await queue.enqueue(job("review:o/r#15@bbb", "o/r#15"))).toEqual({ accepted: true });
    await flush();
    expect(h.started).toEqual(["review:o/r#15@aaa"]);

    // running
    expect(await queue.enqueue(job("review:o/r#15@aaa", "o/r#15"))).toEqual({ accepted: false, reason: "duplicate" });
    // queued
    expect(await queue.enqueue(job("review:o/r#15@bbb", "o/r#15"))).toEqual({ accepted: false, reason: "duplicate" });

    h.release("review:o/r#15@aaa");
    h.release("review:o/r#15@bbb");
    await queue.onIdle();
    // completed
    expect(await queue.enqueue(job("review:o/r#15@aaa", "o/r#15"))).toEqual({ accepted: false, reason: "duplicate" });
    await queue.onIdle();
    expect(h.started).toEqual(["review:o/r#15@aaa", "review:o/r#15@bbb"]);
  });

  it("forgets completed ids after the retention window", async () => {
    let clock = 1_000_000;
    const runs: string[] = [];
    const queue = queueWith({ handler: async (j) => void runs.push(j.id), now: () => clock, retentionMs: 60_000 });
    await queue.enqueue(job("j1", "k"));
    await queue.onIdle();
    clock += 59_999;
    expect((await queue.enqueue(job("j1", "k"))).accepted).toBe(false);
    clock += 2;
    expect((await queue.enqueue(job("j1", "k"))).accepted).toBe(true);
    await queue.onIdle();
    expect(runs).toEqual(["j1", "j1"]);
  });

  it("remembers a bounded number of completed ids, forgetting the oldest", async () => {
    const queue = queueWith({ handler: async () => {}, maxRetainedIds: 2 });
    for (const id of ["j1", "j2", "j3"]) {
      await queue.enqueue(job(id, "k"));
      await queue.onIdle();
    }
    expect((await queue.enqueue(job("j3", "k"))).accepted).toBe(false);
    expect((await queue.enqueue(job("j2", "k"))).accepted).toBe(false);
    expect((await queue.enqueue(job("j1", "k"))).accepted).toBe(true);
    await queue.onIdle();
  });

  it("rejects jobs without an id or key", async () => {
    const queue = queueWith({ handler: async () => {} });
    await expect(queue.enqueue({ id: "", key: "k", kind: "t", payload: null })).rejects.toThrow(/job.id/);
    await expect(queue.enqueue({ id: "x", key: "", kind: "t", payload: null })).rejects.toThrow(/job.key/);
  });
});

describe("in-process queue: retries", () => {
  it("retries transient errors with exponential backoff and succeeds", async () => {
    const sleeps: number[] = [];
    const attempts: (number | undefined)[] = [];
    const failures: unknown[] = [];
    const queue = queueWith({
      handler: async (j) => {
        attempts.push(j.attempts);
        if ((j.attempts ?? 0) < 3) throw httpError(502, "Bad Gateway");
      },
      sleep: async (ms) => void sleeps.push(ms),
      onFailure: (_j, e) => void failures.push(e),
    });
    await queue.enqueue(job("j", "k"));
    await queue.onIdle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(failures).toEqual([]);
    // a success after retries counts as completed
    expect((await queue.enqueue(job("j", "k"))).reason).toBe("duplicate");
  });

  it("gives up after maxAttempts, applying jitter, and calls onFailure once with the last error", async () => {
    const sleeps: number[] = [];
    const failures: [string, unknown][] = [];
    const retry = createRetryPolicy({ baseDelayMs: 1000, jitterRatio: 0.2, random: () => 0.5 });
    let n = 0;
    const queue = createInProcessQueue({
      handler: async () => {
        n++;
        throw Object.assign(new Error(`connection reset ${n}`), { code: "ECONNRESET" });
      },
      retry,
      sleep: async (ms) => void sleeps.push(ms),
      onFailure: (j, e) => void failures.push([j.id, e]),
    });
    await queue.enqueue(job("j", "k"));
    await queue.onIdle();
    expect(n).toBe(4);
    expect(sleeps).toEqual([1100, 2200, 4400]);
    expect(failures).toHaveLength(1);
    expect((failures[0]?.[1] as Error).message).toBe("connection reset 4");
  });

  it("honours retryAfterMs and retry-after headers over the backoff", async () => {
    const sleeps: number[] = [];
    const errors = [
      Object.assign(new Error("overloaded"), { transient: true, retryAfterMs: 30_000 }),
      httpError(403, "You have exceeded a secondary rate limit", { "retry-after": "7" }),
    ];
    const queue = queueWith({
      handler: async (j) => {
        const e = errors[(j.attempts ?? 1) - 1];
        if (e) throw e;
      },
      sleep: async (ms) => void sleeps.push(ms),
    });
    await queue.enqueue(job("j", "k"));
    await queue.onIdle();
    expect(sleeps).toEqual([30_000, 7_000]);
  });

  it("does not retry permanent errors, calls onFailure once, and releases the id for a re-run", async () => {
    const sleeps: number[] = [];
    const failures: [Job, unknown][] = [];
    let runs = 0;
    const queue = queueWith({
      handler: async () => {
        runs++;
        throw httpError(404, "Not Found");
      },
      sleep: async (ms) => void sleeps.push(ms),
      onFailure: (j, e) => void failures.push([j, e]),
    });
    await queue.enqueue(job("j", "k", { pr: 15 }));
    await queue.onIdle();
    expect(runs).toBe(1);
    expect(sleeps).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[0]).toMatchObject({ id: "j", payload: { pr: 15 }, attempts: 1 });
    expect((failures[0]?.[1] as { status: number }).status).toBe(404);
    expect((await queue.enqueue(job("j", "k"))).accepted).toBe(true);
    await queue.onIdle();
  });

  it("uses the injected isTransient", async () => {
    let runs = 0;
    const queue = queueWith({
      handler: async () => {
        runs++;
        throw new Error("flaky");
      },
      isTransient: (e) => (e as Error).message === "flaky",
    });
    await queue.enqueue(job("j", "k"));
    await queue.onIdle();
    expect(runs).toBe(4);
  });

  it("keeps the key while waiting to retry, but frees the concurrency slot", async () => {
    const backoff = deferred();
    const started: string[] = [];
    let firstAttempt = true;
    const queue = createInProcessQueue({
      concurrency: 1,
      retry: fixedRetry,
      sleep: () => backoff.promise,
      handler: async (j) => {
        started.push(`${j.id}#${j.attempts}`);
        if (j.id === "a1" && firstAttempt) {
          firstAttempt = false;
          throw httpError(503);
        }
      },
    });
    await queue.enqueue(job("a1", "A"));
    await flush();
    await queue.enqueue(job("a2", "A"));
    await queue.enqueue(job("b1", "B"));
    await flush();
    expect(started).toEqual(["a1#1", "b1#1"]);

    backoff.resolve();
    await queue.onIdle();
    expect(started).toEqual(["a1#1", "b1#1", "a1#2", "a2#1"]);
  });
});

describe("in-process queue: onIdle and close", () => {
  it("onIdle resolves at once when empty, and only after running jobs and the failure hook finish", async () => {
    const queue0 = queueWith({ handler: async () => {} });
    await queue0.onIdle();

    const h = gatedHandler();
    const hook = deferred();
    let idle = false;
    const queue = queueWith({
      handler: async (j) => {
        await h.handler(j);
        throw httpError(400);
      },
      onFailure: () => hook.promise,
    });
    await queue.enqueue(job("j", "k"));
    void queue.onIdle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    h.release("j");
    await flush();
    expect(idle).toBe(false); // the failure hook is still running
    hook.resolve();
    await flush();
    expect(idle).toBe(true);
  });

  it("close refuses new jobs, reports abandoned ones, aborts the running handler's signal and waits for it", async () => {
    const gate = deferred();
    const failures: [string, unknown][] = [];
    let signal: AbortSignal | undefined;
    const queue = queueWith({
      concurrency: 1,
      handler: async (_j, ctx) => {
        signal = ctx.signal;
        await gate.promise;
      },
      onFailure: (j, e) => void failures.push([j.id, e]),
    });
    await queue.enqueue(job("running", "k"));
    await queue.enqueue(job("queued", "k"));
    await flush();

    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await flush();
    expect(signal?.aborted).toBe(true);
    expect(closed).toBe(false);
    expect(failures.map(([id]) => id)).toEqual(["queued"]);
    expect(failures[0]?.[1]).toBeInstanceOf(QueueClosedError);
    expect(await queue.enqueue(job("late", "k"))).toEqual({ accepted: false, reason: "closed" });

    gate.resolve();
    await closing;
    expect(closed).toBe(true);
    expect(failures.map(([id]) => id)).toEqual(["queued"]);
  });

  it("close cuts a retry's backoff short and reports the job as failed", async () => {
    const failures: unknown[] = [];
    const never = new Promise<void>(() => {});
    const queue = queueWith({
      handler: async () => {
        throw httpError(503);
      },
      sleep: () => never,
      onFailure: (_j, e) => void failures.push(e),
    });
    await queue.enqueue(job("j", "k"));
    await flush();
    await queue.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(QueueClosedError);
  });
});
