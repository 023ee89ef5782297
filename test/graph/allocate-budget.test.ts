import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateBudget } from "../../src/graph/allocate-budget.js";
import type { ContextCandidate } from "../../src/graph/context-candidate.js";
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
