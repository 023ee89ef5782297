import { modelPrice } from "../../model/model-pricing.js";

/**
 * How much one dev run may spend, derived from the dev budget: the price of
 * `budgets.dev` × 10 input tokens of the step's model (with the default
 * 120,000 on a Sonnet model, $3.60). Both runners stop there. Spending is
 * counted at each kind of token's price (estimateCostUsd: cache reads at a
 * tenth, cache writes at 1.25×, output at the output price), so a loop that
 * re-reads a cached context is not stopped as if it paid full price for it.
 */
export const COST_CAP_TOKENS_PER_BUDGET_TOKEN = 10;

export function devCostCapUsd(model: string, budgetTokens: number): number {
  return Math.round(budgetTokens * COST_CAP_TOKENS_PER_BUDGET_TOKEN * modelPrice(model).inputPerMTok) / 1_000_000;
}
