import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BoundedInputError, matchPaths, MATCH_TIME_LIMIT_MS } from "../../src/policy/bounded-match.js";
import { TimeLimitError, WorkerPool } from "../../src/markdown/worker-pool.js";

/**
 * Issue 7, "the process never blocks": a runaway parse or match runs in a
 * worker thread, which on a busy machine competes with the event loop for a
 * core. Past its grace period the thread is moved to the lowest CPU
 * priority (Linux keeps one per thread), is never reused for the next
 * input, and is still stopped at its time limit and reported with it.
 */

/** A thread's nice value from its stat line (the name in field 2 may hold spaces). */
function niceOf(statPath: string): number | null {
  try {
    const stat = readFileSync(statPath, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  } catch {
    return null; // the thread ended between listing and reading
  }
}
const mainThreadNice = () => niceOf(`/proc/self/task/${process.pid}/stat`)!;
const threadNices = () => readdirSync("/proc/self/task").map((tid) => niceOf(`/proc/self/task/${tid}/stat`));

const linuxBelowLowest = process.platform === "linux" && mainThreadNice() < 19;

let pool: WorkerPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe.skipIf(!linuxBelowLowest)("untrusted work that runs long gives the CPU to the event loop", () => {
  it("a pool task is lowered to the lowest priority past its grace period; its thread is not reused, and a runaway is stopped at its limit", { timeout: 60_000 }, async () => {
    pool = new WorkerPool(new URL("./fixtures/priority-probe-worker.ts", import.meta.url), 1);
    const normal = mainThreadNice();

    expect(await pool.run("nice", [], 30_000)).toBe(normal);
    // Returns only once its own thread is at nice 19; without the lowering it would run into its time limit.
    expect(await pool.run("untilLowered", [], 30_000)).toBe("lowered");
    // The next input runs on a fresh thread, at the process's priority.
    expect(await pool.run("nice", [], 30_000)).toBe(normal);

    const runaway = pool.run("runaway", [], 1_500);
    await expect(runaway).rejects.toBeInstanceOf(TimeLimitError);
    await expect(runaway).rejects.toThrow("took longer than 1500 ms");
    expect(await pool.run("nice", [], 30_000)).toBe(normal);
  });

  it("a model glob still matching past its grace period runs at the lowest priority, is stopped and named with its limit; the next glob matches", { timeout: 60_000 }, async () => {
    const seen = new Set<number | null>();
    const watch = setInterval(() => threadNices().forEach((n) => seen.add(n)), 20);
    const hostile = matchPaths("*a*a*a*a*a*a*a*a*b", ["a".repeat(60)]).catch((error: unknown) => error);
    const error = await hostile;
    clearInterval(watch);

    expect(seen.has(19)).toBe(true);
    expect(error).toBeInstanceOf(BoundedInputError);
    expect(error).toMatchObject({ input: "glob", limit: `${MATCH_TIME_LIMIT_MS} ms` });
    expect(await matchPaths("src/*.ts", ["src/a.ts", "README.md", "src/b.ts"])).toEqual(["src/a.ts", "src/b.ts"]);
  });
});
