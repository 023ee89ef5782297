import { describe, expect, it, vi } from "vitest";
import { createBullmqQueue, createQueueFromEnv, toBullmqJobId } from "../../src/jobs/bullmq-queue.js";
import type { BullmqModule, QueueFactories } from "../../src/jobs/bullmq-queue.js";
import type { JobQueue } from "../../src/jobs/job.js";
import { httpError } from "./helpers.js";

const fakeQueue = (name: string): JobQueue & { name: string } => ({
  name,
  enqueue: async () => ({ accepted: true }),
  onIdle: async () => {},
  drain: async () => {},
  counts: async () => ({ waiting: 0, running: 0 }),
  close: async () => {},
});

function factories() {
  const inProcess = vi.fn<QueueFactories["inProcess"]>(() => fakeQueue("in-process"));
  const bullmq = vi.fn<QueueFactories["bullmq"]>(async () => fakeQueue("bullmq"));
  return { inProcess, bullmq };
}

describe("createQueueFromEnv", () => {
  const handler = async () => {};

  it("uses the in-process queue without REDIS_URL", async () => {
    const f = factories();
    const queue = (await createQueueFromEnv({}, { handler, concurrency: 3 }, f)) as ReturnType<typeof fakeQueue>;
    expect(queue.name).toBe("in-process");
    expect(f.inProcess).toHaveBeenCalledWith({ handler, concurrency: 3 });
    expect(f.bullmq).not.toHaveBeenCalled();
  });

  it("treats a blank REDIS_URL as unset", async () => {
    const f = factories();
    await createQueueFromEnv({ REDIS_URL: "  " }, { handler }, f);
    expect(f.inProcess).toHaveBeenCalledOnce();
  });

  it("uses BullMQ when REDIS_URL is set, passing the url and options through", async () => {
    const f = factories();
    const queue = (await createQueueFromEnv({ REDIS_URL: "redis://cache:6379/2" }, { handler, queueName: "baton-test" }, f)) as ReturnType<
      typeof fakeQueue
    >;
    expect(queue.name).toBe("bullmq");
    expect(f.bullmq).toHaveBeenCalledWith({ handler, queueName: "baton-test", redisUrl: "redis://cache:6379/2" });
    expect(f.inProcess).not.toHaveBeenCalled();
  });
});

describe("createBullmqQueue", () => {
  it("explains what to do when bullmq is not installed", async () => {
    const missing = Object.assign(new Error("Cannot find package 'bullmq'"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(
      createBullmqQueue({ redisUrl: "redis://localhost:6379", handler: async () => {}, importBullmq: () => Promise.reject(missing) }),
    ).rejects.toThrow(/install bullmq and set REDIS_URL/);
  });

  it("maps job ids to BullMQ-safe, distinct ids", () => {
    const ids = ["review:o/r#15@abc", "review%3Ao/r#15@abc", "review:o/r#15@abd", "12345"];
    const mapped = ids.map(toBullmqJobId);
    for (const id of mapped) {
      expect(id).not.toContain(":");
      expect(/^\d+$/.test(id)).toBe(false);
    }
    expect(new Set(mapped).size).toBe(ids.length);
  });

  /** A stand-in for bullmq's classes, enough to drive the processor without Redis. */
  function fakeBullmq() {
    const locks = new Map<string, string>();
    const added: { name: string; data: unknown; opts: Record<string, unknown> }[] = [];
    let processor: ((job: never, token?: string) => Promise<void>) | undefined;
    let workerOpts: Record<string, unknown> = {};
    const redis = {
      async set(key: string, value: string) {
        if (locks.has(key)) return null;
        locks.set(key, value);
        return "OK";
      },
      async eval(script: string, _n: number, key: string | number, token: string | number) {
        if (locks.get(String(key)) !== String(token)) return 0;
        if (!script.includes("pexpire")) locks.delete(String(key));
        return 1;
      },
    };
    class UnrecoverableError extends Error {}
    class DelayedError extends Error {}
    const module: BullmqModule = {
      Queue: class {
        client = Promise.resolve(redis);
        async add(name: string, data: unknown, opts: Record<string, unknown>) {
          added.push({ name, data, opts });
        }
        async getJob(id: string) {
          return added.some((a) => a.opts.jobId === id) ? { getState: async () => "completed" } : undefined;
        }
        async getJobCounts() {
          return { waiting: 0, active: 0, delayed: 0 };
        }
        async close() {}
      } as unknown as BullmqModule["Queue"],
      Worker: class {
        constructor(_name: string, p: typeof processor, opts: Record<string, unknown>) {
          processor = p;
          workerOpts = opts;
        }
        on() {}
        async close() {}
      } as unknown as BullmqModule["Worker"],
      UnrecoverableError,
      DelayedError,
    };
    const run = (data: unknown, attemptsMade = 0) => {
      const delayedTo: number[] = [];
      const job = { id: "x", name: "review", data, attemptsMade, opts: { attempts: 4 }, moveToDelayed: async (t: number) => void delayedTo.push(t) };
      return { promise: processor!(job as never, "token"), delayedTo };
    };
    return { module, added, locks, run, workerOpts: () => workerOpts, UnrecoverableError, DelayedError };
  }

  it("dedupes by job id, serialises per key with a lock, and sorts errors into retry or failure", async () => {
    const fake = fakeBullmq();
    const failures: unknown[] = [];
    let behaviour: () => Promise<void> = async () => {};
    const queue = await createBullmqQueue({
      redisUrl: "redis://localhost:6379",
      handler: () => behaviour(),
      onFailure: (_j, e) => void failures.push(e),
      now: () => 1000,
      keyBusyDelayMs: 500,
      importBullmq: async () => fake.module,
    });

    const job = { id: "review:o/r#15@abc", key: "o/r#15", kind: "review", payload: { pr: 15 } };
    expect(await queue.enqueue(job)).toEqual({ accepted: true });
    expect(await queue.enqueue(job)).toEqual({ accepted: false, reason: "duplicate" });
    expect(fake.added).toHaveLength(1);
    expect(fake.added[0]?.opts).toMatchObject({ jobId: "baton-review%3Ao/r#15@abc", attempts: 4, removeOnFail: true });
    const data = fake.added[0]?.data;

    // success releases the lock
    await fake.run(data).promise;
    expect(fake.locks.size).toBe(0);

    // key busy: moved back to delayed, handler not called
    fake.locks.set("baton:lock:o/r#15", "someone-else");
    let called = false;
    behaviour = async () => void (called = true);
    const busy = fake.run(data);
    await expect(busy.promise).rejects.toBeInstanceOf(fake.DelayedError);
    expect(busy.delayedTo).toEqual([1500]);
    expect(called).toBe(false);
    fake.locks.clear();

    // transient before the last attempt: rethrown for BullMQ to retry, no failure hook,
    // and the key stays locked for this job through the backoff
    behaviour = async () => {
      throw httpError(503);
    };
    await expect(fake.run(data, 1).promise).rejects.toMatchObject({ status: 503 });
    expect(failures).toHaveLength(0);
    expect(fake.locks.get("baton:lock:o/r#15")).toBe("review:o/r#15@abc");
    const other = fake.run({ ...(data as object), id: "review:o/r#15@def" });
    await expect(other.promise).rejects.toBeInstanceOf(fake.DelayedError);

    // transient on the last attempt, and permanent: failure hook, then no retry
    await expect(fake.run(data, 3).promise).rejects.toBeInstanceOf(fake.UnrecoverableError);
    behaviour = async () => {
      throw httpError(404);
    };
    await expect(fake.run(data, 0).promise).rejects.toBeInstanceOf(fake.UnrecoverableError);
    expect(failures).toHaveLength(2);
    expect(fake.locks.size).toBe(0);

    const strategy = (fake.workerOpts().settings as { backoffStrategy: (n: number, t: string, e: unknown) => number }).backoffStrategy;
    expect(strategy(1, "baton", Object.assign(new Error(), { retryAfterMs: 9000 }))).toBe(9000);
    await queue.close();
  });
});
