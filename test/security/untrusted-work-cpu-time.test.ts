import { describe, expect, it } from "vitest";
import { TimeLimitError, WorkerPool } from "../../src/markdown/worker-pool.js";
import { threadCpuMs, WALL_BACKSTOP_FACTOR } from "../../src/util/thread-priority.js";

/**
 * A time limit on untrusted work counts the CPU its thread used: a task that
 * waits (as a parse waiting for a core on a saturated machine does) is not
 * stopped for waiting, and is stopped at the wall-clock backstop; a task that
 * spins is stopped at its limit. Outcomes only: no assertion on durations.
 */
const linux = process.platform === "linux" && threadCpuMs(Number(process.pid)) !== null;

describe.skipIf(!linux)("the time limit of untrusted work counts CPU time", () => {
  it("a task that waits past its limit without using the CPU finishes; one that spins is stopped", { timeout: 60_000 }, async () => {
    const pool = new WorkerPool(new URL("./fixtures/priority-probe-worker.ts", import.meta.url), 1);
    try {
      // Sleeps 600 ms, with a 300 ms limit: under the wall backstop (1,500 ms), and it used no CPU.
      expect(WALL_BACKSTOP_FACTOR * 300).toBeGreaterThan(600);
      expect(await pool.run("sleep", [600], 300)).toBe("slept");
      await expect(pool.run("runaway", [], 300)).rejects.toBeInstanceOf(TimeLimitError);
      // A wait longer than the backstop is still ended.
      await expect(pool.run("sleep", [WALL_BACKSTOP_FACTOR * 300 * 4], 300)).rejects.toBeInstanceOf(TimeLimitError);
      expect(await pool.run("sleep", [1], 300)).toBe("slept");
    } finally {
      await pool.close();
    }
  });
});
