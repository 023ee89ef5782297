import { describe, expect, it } from "vitest";
import { createLimiter } from "../../src/snapshot/limit-concurrency.js";

describe("limiter", () => {
  it("never runs more than the limit at once and releases slots on failure", async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const task = (fail: boolean) => async (): Promise<number> => {
      active++;
      peak = Math.max(peak, active);
      for (let i = 0; i < 5; i++) await Promise.resolve();
      active--;
      if (fail) throw new Error("boom");
      return 1;
    };
    const results = [true, false, false, false, true, false].map((fail) => limit(task(fail)).catch(() => 0));
    expect(await Promise.all(results)).toEqual([0, 1, 1, 1, 0, 1]);
    expect(peak).toBe(2);
    expect(active).toBe(0);
  });
});
