import { describe, expect, it } from "vitest";
import { createBlobCache } from "../../src/snapshot/blob-cache.js";

describe("LRU blob cache", () => {
  it("evicts the least recently used entries once the byte budget is exceeded", () => {
    const cache = createBlobCache({ maxBytes: 3 * (1000 + 96) });
    const blob = (c: string): { text: string; size: number } => ({ text: c.repeat(1000), size: 1000 });
    cache.setBlob("a", blob("a"));
    cache.setBlob("b", blob("b"));
    cache.setBlob("c", blob("c"));
    expect(cache.getBlob("a")?.text?.[0]).toBe("a"); // a is now the most recent
    cache.setBlob("d", blob("d"));

    expect(cache.getBlob("b")).toBeUndefined();
    expect(cache.getBlob("a")).toBeDefined();
    expect(cache.getBlob("c")).toBeDefined();
    expect(cache.getBlob("d")).toBeDefined();
    expect(cache.stats()).toMatchObject({ entries: 3, evictions: 1 });
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it("does not cache an entry larger than the whole budget, and keeps the rest", () => {
    const cache = createBlobCache({ maxBytes: 1000 });
    cache.setBlob("small", { text: "x", size: 1 });
    cache.setBlob("big", { text: "y".repeat(5000), size: 5000 });
    expect(cache.getBlob("big")).toBeUndefined();
    expect(cache.getBlob("small")?.text).toBe("x");
  });

  it("counts binary entries (no text kept) at their overhead only", () => {
    const cache = createBlobCache({ maxBytes: 10_000 });
    for (let i = 0; i < 50; i++) cache.setBlob(`bin${i}`, { text: null, size: 50_000_000 });
    // 50 × 50 MB of binary would blow any budget if counted at blob size.
    expect(cache.stats().entries).toBe(50);
    expect(cache.getBlob("bin49")).toEqual({ text: null, size: 50_000_000 });
  });

  it("stores tree listings frozen, so one snapshot cannot corrupt another's view", () => {
    const cache = createBlobCache();
    const entries = [{ path: "a.md", sha: "1".repeat(40), size: 3 }];
    cache.setTree("gh:o/r@c", entries);
    entries[0]!.path = "changed-by-caller.md";
    const cached = cache.getTree("gh:o/r@c");
    expect(cached?.[0]?.path).toBe("a.md");
    expect(Object.isFrozen(cached?.[0])).toBe(true);
    expect(cache.getBlob("gh:o/r@c")).toBeUndefined(); // namespaces do not collide
  });
});
