import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateBudget } from "../../src/graph/allocate-budget.js";
import type { ContextCandidate } from "../../src/graph/context-candidate.js";
import type { ManifestOmission } from "../../src/graph/manifest.js";
import { countTokens } from "../../src/graph/token-count.js";
import { assertProperty } from "../support/property.js";

const candidate = (label: string, text: string, truncatable = false): ContextCandidate => ({ selector: "spec", label, identity: `${label}@x`, text, truncatable, trusted: true });

describe("allocateBudget", () => {
  it("never exceeds the budget and accounts for every candidate exactly once", () => {
    assertProperty(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 3000 }), fc.boolean()), { maxLength: 20 }), fc.integer({ min: 0, max: 5000 }), (items, budget) => {
        const cands = items.map(([t, tr], i) => candidate(`c${i}`, t, tr));
        const a = allocateBudget(cands, budget);
        expect(a.usedTokens).toBeLessThanOrEqual(budget);
        expect(a.usedTokens).toBe(a.blocks.reduce((n, b) => n + b.tokens, 0));
        const seen = [...a.blocks.map((b) => b.label), ...a.omitted.map((o) => o.label)].sort();
        expect(seen).toEqual(cands.map((c) => c.label).sort());
      }),
    );
  });

  it("takes inputs in priority order, cuts a truncatable one, and lets a later small one fill the rest", () => {
    const a = allocateBudget([candidate("first", "a".repeat(700)), candidate("big", "b".repeat(7000)), candidate("small", "c".repeat(70))], 400);
    expect(a.blocks.map((b) => b.label)).toEqual(["first", "small"]);
    expect(a.omitted).toEqual([expect.objectContaining({ label: "big", reason: expect.stringMatching(/over budget: needs 2000 tokens/) })]);
    const cut = allocateBudget([candidate("spec", "line\n".repeat(2000), true)], 500);
    expect(cut.blocks[0]!.truncated?.fromTokens).toBe(countTokens("line\n".repeat(2000)));
    expect(cut.blocks[0]!.text).toContain("truncated by Baton");
    expect(cut.usedTokens).toBeLessThanOrEqual(500);
  });
});

describe("manifestToMarkdown", () => {
  it("shows at most the row limit and sums up the rest by input kind", async () => {
    const { manifestToMarkdown } = await import("../../src/graph/render-manifest.js");
    const omitted = Array.from({ length: 100 }, (_, i) => ({ selector: "guidance:modules" as const, label: `g${i}`, identity: `x${i}@sha`, tokens: 10, reason: "over budget" }));
    const md = manifestToMarkdown({ step: { id: "review", version: "1" }, model: "m", commit: "c".repeat(40), budget: 100, usedTokens: 0, inputs: [], omitted, notes: [] }, { maxRows: 10 });
    expect(md.match(/\| guidance:modules — g\d+/g)).toHaveLength(10);
    expect(md).toContain("… and 90 more: guidance:modules ×90 (900 tokens)");
  });
});

describe("allocateBudget at its edges", () => {
  /** Text of exactly `tokens` tokens (3.5 characters each; an even count). */
  const ofTokens = (tokens: number, ch = "x") => ch.repeat((tokens * 7) / 2);
  const omission = (label: string): ManifestOmission => ({ selector: "diff", label, identity: `${label}@d`, tokens: 9, reason: "binary" });

  it("takes a candidate that fits exactly, and counts what it used", () => {
    const a = allocateBudget([candidate("exact", ofTokens(100))], 100);
    expect(a.blocks.map((b) => [b.label, b.tokens])).toEqual([["exact", 100]]);
    expect(a).toMatchObject({ usedTokens: 100, omitted: [] });
    expect(allocateBudget([candidate("over", ofTokens(102))], 100).omitted).toEqual([
      { selector: "spec", label: "over", identity: "over@x", tokens: 102, reason: "over budget: needs 102 tokens, 100 left" },
    ]);
  });

  it("says how much was left after the inputs before it, never less than zero", () => {
    const a = allocateBudget([candidate("a", ofTokens(60)), candidate("b", ofTokens(50))], 100);
    expect(a.omitted.map((o) => o.reason)).toEqual(["over budget: needs 50 tokens, 40 left"]);
    expect(a.usedTokens).toBe(60);
    expect(allocateBudget([candidate("b", ofTokens(6))], -3).omitted[0]!.reason).toBe("over budget: needs 6 tokens, 0 left");
  });

  it("cuts a truncatable input only when at least 200 tokens are left", () => {
    const at200 = allocateBudget([candidate("spec", "line\n".repeat(400), true)], 200);
    expect(at200.blocks).toHaveLength(1);
    expect(at200.blocks[0]!.truncated).toEqual({ fromTokens: countTokens("line\n".repeat(400)), reason: `over budget: cut to ${at200.blocks[0]!.tokens} of ${countTokens("line\n".repeat(400))} tokens` });
    expect(at200.blocks[0]!.text).toMatch(/\[… truncated by Baton: 572 tokens, budget left 200\]\n$/);
    expect(at200.usedTokens).toBe(at200.blocks[0]!.tokens);
    expect(at200.usedTokens).toBeLessThanOrEqual(200);
    const at199 = allocateBudget([candidate("spec", "line\n".repeat(400), true)], 199);
    expect(at199.blocks).toEqual([]);
    expect(at199.omitted.map((o) => o.label)).toEqual(["spec"]);
  });

  it("fits an input that knows how to shrink, listing what it left out; an empty or oversize fit is left out whole", () => {
    const fitting: ContextCandidate = {
      ...candidate("diff", ofTokens(1000)),
      fitTo: (tokens) => ({ text: ofTokens(Math.min(tokens, 150), "d"), reason: `kept ${Math.min(tokens, 150)}`, omitted: [omission("big.bin")], details: ["hunks extended to their function"] }),
      partsLeftOut: [omission("never-sent.png")],
    };
    const a = allocateBudget([fitting], 300);
    expect(a.blocks.map((b) => [b.tokens, b.truncated, b.details])).toEqual([[150, { fromTokens: 1000, reason: "kept 150" }, ["hunks extended to their function"]]]);
    expect(a.omitted.map((o) => o.label)).toEqual(["big.bin"]);
    expect(a.usedTokens).toBe(150);
    // Taken whole, its parts that are never sent are listed.
    expect(allocateBudget([fitting], 1000).omitted.map((o) => o.label)).toEqual(["never-sent.png"]);
    // Under 200 tokens left, it is not asked to shrink.
    expect(allocateBudget([fitting], 199).omitted.map((o) => o.label)).toEqual(["diff"]);
    // A fit of exactly what is left is taken.
    const exact: ContextCandidate = { ...fitting, fitTo: (tokens) => ({ text: ofTokens(tokens), reason: "all of it", omitted: [] }) };
    expect(allocateBudget([exact], 200)).toMatchObject({ usedTokens: 200, omitted: [] });
    const empty: ContextCandidate = { ...fitting, fitTo: () => ({ text: "", reason: "nothing fits", omitted: [] }) };
    expect(allocateBudget([empty], 300).omitted.map((o) => o.label)).toEqual(["diff"]);
    const oversize: ContextCandidate = { ...fitting, fitTo: () => ({ text: ofTokens(301), reason: "too big", omitted: [] }) };
    expect(allocateBudget([oversize], 300).omitted.map((o) => o.label)).toEqual(["diff"]);
  });
});
