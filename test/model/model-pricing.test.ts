import { describe, expect, it } from "vitest";
import { estimateCostUsd, modelPrice } from "../../src/model/model-pricing.js";

const usage = (inputTokens: number, outputTokens: number, cacheWriteTokens = 0, cacheReadTokens = 0) => ({ inputTokens, outputTokens, cacheWriteTokens, cacheReadTokens });

describe("estimateCostUsd", () => {
  it("prices by family per million tokens", () => {
    expect(estimateCostUsd("claude-sonnet-5-5", usage(1_000_000, 0))).toBe(3);
    expect(estimateCostUsd("claude-sonnet-5-5", usage(0, 1_000_000))).toBe(15);
    expect(estimateCostUsd("claude-opus-5-5", usage(1_000_000, 1_000_000))).toBe(30);
    expect(estimateCostUsd("claude-haiku-4-5-20251001", usage(1_000_000, 1_000_000))).toBe(6);
    expect(estimateCostUsd("claude-opus-4-1-20250805", usage(1_000_000, 0))).toBe(15);
  });

  it("charges cache writes at 1.25x and cache reads at 0.1x the input price", () => {
    expect(estimateCostUsd("claude-sonnet-5-5", usage(0, 0, 1_000_000, 0))).toBe(3.75);
    expect(estimateCostUsd("claude-sonnet-5-5", usage(0, 0, 0, 1_000_000))).toBe(0.3);
    expect(estimateCostUsd("claude-sonnet-5-5", usage(12_000, 800, 4_000, 40_000))).toBeCloseTo(0.036 + 0.012 + 0.015 + 0.012, 6);
  });

  it("falls back to Sonnet prices for an unknown model, with a note", () => {
    const price = modelPrice("some-compatible-model");
    expect(price.family).toBe("sonnet");
    expect(price.note).toContain('no price known for model "some-compatible-model"');
    expect(modelPrice("claude-sonnet-5-5").note).toBeUndefined();
    expect(estimateCostUsd("some-compatible-model", usage(1_000_000, 0))).toBe(3);
    expect(estimateCostUsd("recorded", usage(0, 0))).toBe(0);
  });
});
