import { describe, expect, it } from "vitest";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { createMemoryGroupPauses, gitHubRateLimitWaitMs } from "../../src/jobs/group-pauses.js";
import type { Job } from "../../src/jobs/job.js";
import { createRetryPolicy } from "../../src/jobs/retry-policy.js";
import { deferred, flush, httpError } from "./helpers.js";
import type { Deferred } from "./helpers.js";

const retry = createRetryPolicy({ baseDelayMs: 1000, random: () => 0 });

function job(id: string, group: string, key = id): Job {
  return { id, key, kind: "test", payload: null, group };
}

/** Each job waits for the test to release it; `started` records the order jobs got a slot. */
function gated() {
  const gates = new Map<string, Deferred>();
  const gate = (id: string) => gates.get(id) ?? gates.set(id, deferred()).get(id)!;
  const started: string[] = [];
  return {
    started,
    release: async (id: string) => {
      gate(id).resolve();
      await flush();
    },
    handler: async (j: Job) => {
      started.push(j.id);
      await gate(j.id).promise;
    },
  };
}

/** An Octokit RequestError as GitHub's secondary rate limit produces it. */
function secondaryLimit(retryAfterSeconds: number): Error {
  return Object.assign(new Error("You have exceeded a secondary rate limit"), {
    status: 403,
    request: { method: "POST", url: "https://api.github.com/repos/o/r/pulls/1/reviews", headers: {} },
    response: { status: 403, url: "", headers: { "retry-after": String(retryAfterSeconds) }, data: {} },
  });
}

describe("in-process queue: fairness between installations", () => {
  it("one installation's backlog delays another's first job by at most one job", async () => {
    const h = gated();
    const queue = createInProcessQueue({ handler: h.handler, concurrency: 1, retry, sleep: async () => {} });
    for (let i = 1; i <= 6; i++) await queue.enqueue(job(`a${i}`, "install-A"));
    await flush();
    await queue.enqueue(job("b1", "install-B"));
    await queue.enqueue(job("c1", "install-C"));
    await queue.enqueue(job("b2", "install-B"));
    expect(h.started).toEqual(["a1"]);

    for (const id of ["a1", "a2", "b1", "c1", "a3", "b2", "a4", "a5", "a6"]) await h.release(id);
    await queue.onIdle();
    // a1 was running; a2 had the turn already queued; then the groups alternate.
    expect(h.started).toEqual(["a1", "a2", "b1", "c1", "a3", "b2", "a4", "a5", "a6"]);
  });

  it("with one installation, jobs start in arrival order", async () => {
    const h = gated();
    const queue = createInProcessQueue({ handler: h.handler, concurrency: 2, retry, sleep: async () => {} });
    for (const id of ["x", "y", "z", "w"]) await queue.enqueue(job(id, "only"));
    await flush();
    for (const id of ["y", "x", "z", "w"]) await h.release(id);
    await queue.onIdle();
    expect(h.started).toEqual(["x", "y", "z", "w"]);
  });
});

describe("in-process queue: bounded", () => {
  it("refuses jobs from the edge when full, says so, and still takes the work an accepted job fans out into", async () => {
    const h = gated();
    const queue = createInProcessQueue({ handler: h.handler, concurrency: 1, retry, maxQueued: 2 });
    expect(await queue.enqueue(job("one", "g"))).toEqual({ accepted: true });
    expect(await queue.enqueue(job("two", "g"))).toEqual({ accepted: true });
    expect(await queue.enqueue(job("three", "g"))).toEqual({ accepted: false, reason: "full" });
    expect(await queue.enqueue(job("fan-out", "g"), { fanOut: true })).toEqual({ accepted: true });
    expect(await queue.counts()).toEqual({ waiting: 2, running: 1 });

    for (const id of ["one", "two", "fan-out"]) await h.release(id);
    await queue.onIdle();
    expect(h.started).toEqual(["one", "two", "fan-out"]);
    expect(await queue.enqueue(job("three", "g"))).toEqual({ accepted: true });
    await h.release("three");
    await queue.onIdle();
  });
});

describe("in-process queue: drain", () => {
  it("refuses new events but runs every accepted job, fan-out included, before it resolves", async () => {
    const h = gated();
    const queue = createInProcessQueue({ handler: h.handler, concurrency: 1, retry });
    await queue.enqueue(job("running", "g"));
    await queue.enqueue(job("queued", "g"));
    await flush();
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    expect(await queue.enqueue(job("late", "g"))).toEqual({ accepted: false, reason: "closed" });
    expect(await queue.enqueue(job("child", "g"), { fanOut: true })).toEqual({ accepted: true });
    await h.release("running");
    expect(drained).toBe(false);
    await h.release("queued");
    await h.release("child");
    await draining;
    expect(drained).toBe(true);
    expect(h.started).toEqual(["running", "queued", "child"]);
  });
});

describe("in-process queue: GitHub's wait pauses one installation only", () => {
  it("holds the rate-limited installation's jobs until retry-after has passed, while others run", async () => {
    let clock = 0;
    const now = () => clock;
    const sleeps: Deferred[] = [];
    const started: string[] = [];
    let limited = true;
    const queue = createInProcessQueue({
      concurrency: 1,
      retry,
      now,
      pauses: createMemoryGroupPauses(now),
      sleep: () => {
        const d = deferred();
        sleeps.push(d);
        return d.promise;
      },
      handler: async (j) => {
        started.push(`${j.id}#${j.attempts}`);
        if (j.id === "a1" && limited) {
          limited = false;
          throw secondaryLimit(30);
        }
      },
    });
    await queue.enqueue(job("a1", "A"));
    await flush();
    await queue.enqueue(job("a2", "A"));
    await queue.enqueue(job("b1", "B"));
    await flush();
    // a1 failed and waits to retry; a2 waits for the pause; b1 (another installation) ran.
    expect(started).toEqual(["a1#1", "b1#1"]);

    clock = 30_000;
    for (const s of sleeps.splice(0)) s.resolve();
    await flush();
    for (const s of sleeps.splice(0)) s.resolve();
    await queue.onIdle();
    expect(started).toEqual(["a1#1", "b1#1", "a1#2", "a2#1"]);
  });

  it("reads the wait from GitHub's errors only: retry-after, the reset time, or a minute for a bare secondary limit", () => {
    const now = () => 1_000_000;
    expect(gitHubRateLimitWaitMs(secondaryLimit(30), now)).toBe(30_000);
    const primary = Object.assign(new Error("API rate limit exceeded"), {
      status: 403,
      request: { method: "GET", url: "u", headers: {} },
      response: { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1060" } },
    });
    expect(gitHubRateLimitWaitMs(primary, now)).toBe(60_000);
    const bare = secondaryLimit(0);
    delete (bare as unknown as { response: { headers: Record<string, string> } }).response.headers["retry-after"];
    expect(gitHubRateLimitWaitMs(bare, now)).toBe(60_000);
    // The model provider's 429 is not the installation's limit; nor is a plain 404.
    expect(gitHubRateLimitWaitMs(Object.assign(new Error("rate limited"), { status: 429, headers: { "retry-after": "5" } }), now)).toBeUndefined();
    expect(gitHubRateLimitWaitMs(httpError(404), now)).toBeUndefined();
  });
});
