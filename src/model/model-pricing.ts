import type { Usage } from "./model-client.js";

/**
 * Cost ESTIMATES, for manifests and check-run summaries: they tell a team
 * roughly what a step costs, they are not a bill. Figures are US dollars per
 * million tokens from Anthropic's public list prices at the time of writing,
 * by model family; prices change, batch and priority tiers differ, and
 * long-context surcharges are ignored. The Anthropic Console has the real
 * figures.
 *
 * Prompt caching: writing to the 5-minute cache costs 1.25x the input price,
 * reading from it 0.1x.
 */

export interface ModelPrice {
  family: "opus" | "sonnet" | "haiku";
  inputPerMTok: number;
  outputPerMTok: number;
  /** Why this price was chosen when the model is not one the table knows. */
  note?: string;
}

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

const SONNET: ModelPrice = { family: "sonnet", inputPerMTok: 3, outputPerMTok: 15 };

/** First match wins, so the specific older generations come before the family defaults. */
const PRICE_TABLE: Array<{ pattern: RegExp; price: ModelPrice }> = [
  // Opus 4.0/4.1 and Claude 3 Opus kept the old, higher price.
  { pattern: /opus-4-(0|1)\b|opus-4-\d{8}|3-opus/, price: { family: "opus", inputPerMTok: 15, outputPerMTok: 75 } },
  { pattern: /opus/, price: { family: "opus", inputPerMTok: 5, outputPerMTok: 25 } },
  { pattern: /sonnet/, price: SONNET },
  { pattern: /3-5-haiku|haiku-3-5/, price: { family: "haiku", inputPerMTok: 0.8, outputPerMTok: 4 } },
  { pattern: /3-haiku/, price: { family: "haiku", inputPerMTok: 0.25, outputPerMTok: 1.25 } },
  { pattern: /haiku/, price: { family: "haiku", inputPerMTok: 1, outputPerMTok: 5 } },
];

export function modelPrice(model: string): ModelPrice {
  const name = model.toLowerCase();
  for (const { pattern, price } of PRICE_TABLE) {
    if (pattern.test(name)) return price;
  }
  return { ...SONNET, note: `no price known for model "${model}": estimated at Sonnet prices` };
}

/** Estimated cost in US dollars, rounded to a millionth of a dollar. See the note at the top: an estimate. */
export function estimateCostUsd(model: string, usage: Usage): number {
  const price = modelPrice(model);
  const inputRate = price.inputPerMTok / 1_000_000;
  const cost =
    usage.inputTokens * inputRate +
    usage.cacheWriteTokens * inputRate * CACHE_WRITE_MULTIPLIER +
    usage.cacheReadTokens * inputRate * CACHE_READ_MULTIPLIER +
    usage.outputTokens * (price.outputPerMTok / 1_000_000);
  return Math.round(cost * 1_000_000) / 1_000_000;
}
