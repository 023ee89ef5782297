import { Queue } from "bullmq";
import { Redis } from "ioredis";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { labelEvent } from "../../scripts/loopback/webhook-events.js";
import { toBullmqJobId } from "../../src/jobs/bullmq-queue.js";
import { deletePrefix, describeWithRedis } from "../support/redis.js";
import { Cluster } from "./fixtures/cluster.js";

/**
 * Issue 11: the queue holds up when processes die. Real processes (the
 * app's and workers' entry points), a real Redis, the loopback GitHub and
 * Anthropic; what is asserted is what exists on the fake GitHub afterwards.
 */

const PROCESS_TEST_MS = 120_000;

beforeAll(() => {
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
});

/** Everything the dev step for issue #2 leaves on GitHub. */
function devFootprint(c: Cluster) {
  const census = c.github.census();
  const devBranches = Object.keys(census.branches).filter((b) => b.startsWith("baton/dev/"));
  return {
    branches: devBranches,
    pulls: census.pulls.filter((p) => p.head.startsWith("baton/dev/")).length,
    devCommits: devBranches.length === 1 ? countCommitsSince(c, census.branches[devBranches[0]!]!) : -1,
    comments: census.comments.filter((m) => m.issueNumber === 2).length,
    checkRuns: census.checkRuns.filter((r) => r.name === "Baton: dev").map((r) => r.conclusion),
  };
}

/** Commits on a branch after main. */
function countCommitsSince(c: Cluster, tip: string): number {
  let n = 0;
  for (let sha: string | undefined = tip; sha && sha !== c.mainSha; sha = c.github.commits.get(sha)?.parents[0]) n++;
  return n;
}

const devDone = (c: Cluster) => () => c.github.checkRuns.some((r) => r.name === "Baton: dev" && r.status === "completed");
const devRunning = (c: Cluster) => () => c.github.checkRuns.some((r) => r.name === "Baton: dev" && r.status === "in_progress");

/** Labels issue #2 ready-for-dev and waits until the dev step is in its first model call, held at the gate. */
async function devHeldMidJob(c: Cluster, delivery?: string): Promise<void> {
  const held = c.gate.hold();
  expect((await c.deliver("issues", labelEvent(c.github, 2, "ready-for-dev"), delivery)).status).toBe(200);
  await held;
  await c.until("the dev check run in progress", devRunning(c));
}

describeWithRedis("worker processes on a real Redis", (url) => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await new Cluster(url).start();
  });
  afterEach(async () => {
    await cluster.stop();
    await deletePrefix(url, cluster.redisPrefix);
  });

  it(
    "kill -9 of a worker in the middle of a job: another worker completes it exactly once",
    async () => {
      await cluster.startApp("webhooks", { BATON_CONCURRENCY: "0" });
      const first = await cluster.startWorker("worker-1");
      await devHeldMidJob(cluster);
      await cluster.startWorker("worker-2");

      expect(await first.kill9()).toBe("SIGKILL");
      cluster.gate.release();
      await cluster.until("the dev check run completed by worker-2", devDone(cluster));

      expect(devFootprint(cluster)).toEqual({ branches: [expect.stringMatching(/^baton\/dev\/2-/)], pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });
      expect(cluster.github.unmatched).toEqual([]);
    },
    PROCESS_TEST_MS,
  );

  it(
    "SIGTERM: the worker finishes its running job, then exits 0; work it had not started is left for others",
    async () => {
      await cluster.startApp("webhooks", { BATON_CONCURRENCY: "0" });
      const worker = await cluster.startWorker("worker-1");
      await devHeldMidJob(cluster);
      const exit = worker.term();
      await cluster.until("the worker heard SIGTERM", () => worker.output().includes("draining"));
      // An event while it drains: accepted by the app, run by whoever takes jobs.
      expect((await cluster.deliver("issues", labelEvent(cluster.github, 1, "needs-architecture"))).status).toBe(200);
      expect(worker.child.exitCode).toBeNull();

      cluster.gate.release();
      expect(await exit).toBe("0");
      expect(devFootprint(cluster)).toMatchObject({ pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });

      await cluster.startWorker("worker-2");
      await cluster.until("the architecture review done", () => cluster.github.checkRuns.some((r) => r.name === "Baton: architecture-review" && r.status === "completed"));
      expect([...cluster.github.pulls.values()].filter((p) => p.headRef.startsWith("baton/adr/"))).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  it(
    "a restarted app finds the check run it left in progress: the job still in Redis is finished, exactly once",
    async () => {
      const app = await cluster.startApp("app");
      await devHeldMidJob(cluster);
      await app.kill9();
      cluster.gate.release();

      await cluster.startApp("app, restarted");
      await cluster.until("the dev check run completed after the restart", devDone(cluster));
      expect(devFootprint(cluster)).toMatchObject({ pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });
    },
    PROCESS_TEST_MS,
  );

  it(
    "a restarted app re-queues a check run left in progress whose job Redis no longer holds, and finishes it once",
    async () => {
      const app = await cluster.startApp("app");
      await devHeldMidJob(cluster);
      await app.kill9();
      cluster.gate.release();
      // The queue lost its jobs (flushed, or removed by hand); only the journal of open check runs remains.
      const redis = new Redis(url, { maxRetriesPerRequest: null });
      const queue = new Queue("jobs", { connection: redis, prefix: cluster.redisPrefix });
      await queue.obliterate({ force: true });
      await queue.close();
      redis.disconnect();

      const restarted = await cluster.startApp("app, restarted");
      await cluster.until("the dev check run completed after the restart", devDone(cluster));
      expect(restarted.output()).toContain("queued again");
      expect(devFootprint(cluster)).toMatchObject({ pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });
      // The same check run was finished: no second one.
      expect(cluster.github.checkRuns.filter((r) => r.name === "Baton: dev")).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  it(
    "a job longer than its lock keeps it: the slow model call is not taken for stalled and paid twice",
    async () => {
      await cluster.startApp("webhooks", { BATON_CONCURRENCY: "0" });
      await cluster.startWorker("worker-1", { BATON_JOB_LOCK_MS: "2000" });
      await cluster.startWorker("worker-2", { BATON_JOB_LOCK_MS: "2000" });
      const delivery = "lock-test-delivery";
      await devHeldMidJob(cluster, delivery);
      const redis = new Redis(url, { maxRetriesPerRequest: null });
      try {
        const lock = `${cluster.redisPrefix}:jobs:${toBullmqJobId(`dev:acme/widgets#2/label-${delivery}`)}:lock`;
        // Three renewals seen (the lock's time to live jumps back up): well past one lock duration.
        let renewals = 0;
        let last = Number.POSITIVE_INFINITY;
        await cluster.until("three lock renewals", async () => {
          const ttl = await redis.pttl(lock);
          if (ttl > last) renewals++;
          if (ttl > 0) last = ttl;
          return renewals >= 3;
        });
      } finally {
        redis.disconnect();
      }
      cluster.gate.release();
      await cluster.until("the dev check run completed", devDone(cluster));
      // The held call and the loop's second call; a stalled re-run would have opened the loop again.
      expect(cluster.gate.arrivals).toHaveLength(2);
      expect(devFootprint(cluster)).toMatchObject({ pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });
    },
    PROCESS_TEST_MS,
  );
});

describe("the in-process queue, one process", () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await new Cluster().start();
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it(
    "after kill -9, the next start closes the check run the crash left in progress, saying so",
    async () => {
      const app = await cluster.startApp("app");
      await devHeldMidJob(cluster);
      await app.kill9();

      const restarted = await cluster.startApp("app, restarted");
      await cluster.until("the orphaned check run closed", devDone(cluster));
      const run = cluster.github.checkRuns.find((r) => r.name === "Baton: dev")!;
      expect(run.conclusion).toBe("cancelled");
      expect(run.output?.summary).toContain("Baton stopped (a crash or a restart without draining) while this step was running");
      expect(run.output?.summary).toContain("Press **Re-run**");
      expect(restarted.output()).toContain("cancelled");
      expect(devFootprint(cluster)).toMatchObject({ branches: [], pulls: 0 });
    },
    PROCESS_TEST_MS,
  );

  it(
    "SIGTERM: the app answers no new webhook, finishes what it accepted, and exits 0",
    async () => {
      const app = await cluster.startApp("app");
      await devHeldMidJob(cluster);
      const exit = app.term();
      await cluster.until("the app heard SIGTERM", () => app.output().includes("draining"));
      // No longer listening: GitHub sees the delivery fail and can redeliver it to the next process.
      await expect(cluster.deliver("issues", labelEvent(cluster.github, 1, "needs-architecture"))).rejects.toThrow();
      cluster.gate.release();
      expect(await exit).toBe("0");
      expect(devFootprint(cluster)).toMatchObject({ pulls: 1, devCommits: 1, comments: 1, checkRuns: ["success"] });
    },
    PROCESS_TEST_MS,
  );
});
