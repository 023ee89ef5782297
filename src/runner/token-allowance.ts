import type { StepDeclaration } from "../graph/step-declaration.js";
import type { Usage } from "../model/model-client.js";
import type { SharedState } from "../state/shared-state.js";
import { COST_CAP_TOKENS_PER_BUDGET_TOKEN } from "../steps/dev/dev-cost-cap.js";
import type { RepoTarget } from "./job-request.js";

/**
 * Daily token caps (`budgets.dailyTokens` per repository,
 * `budgets.dailyTokensPerStep`), checked before a step runs, so that a step
 * that could go over never calls the model. What counts: every token sent
 * and received (input, cache reads and writes, output), per UTC day.
 */

/** Room for the system prompt, the instruction, the answer and one repair call of a single-call step. */
const SINGLE_CALL_ALLOWANCE = 24_000;

/**
 * The most one run of the step can use: what the daily caps are checked
 * against. Dev stops at a cost cap, the price of `budgets.dev` × 10 input
 * tokens (dev-cost-cap.ts): that many tokens.
 */
export function maxRunTokens(step: StepDeclaration): number {
  return step.id === "dev" ? step.budget * COST_CAP_TOKENS_PER_BUDGET_TOKEN : step.budget + SINGLE_CALL_ALLOWANCE;
}

export function usageTokens(u: Usage): number {
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

export interface TokenUse {
  repository: number;
  step: number;
}

/** Why the run may not start, or null. Pure. */
export function overDailyCap(step: StepDeclaration, used: TokenUse): string | null {
  const need = maxRunTokens(step);
  const caps = step.dailyTokens;
  const fmt = (n: number) => n.toLocaleString("en-US");
  if (caps?.repository !== undefined && used.repository + need > caps.repository) {
    return `This repository has used ${fmt(used.repository)} of its ${fmt(caps.repository)} model tokens today (\`budgets.dailyTokens\`, UTC day), and one **${step.id}** run can use up to ${fmt(need)}.`;
  }
  if (caps?.step !== undefined && used.step + need > caps.step) {
    return `The **${step.id}** step has used ${fmt(used.step)} of its ${fmt(caps.step)} model tokens today in this repository (\`budgets.dailyTokensPerStep.${step.id}\`, UTC day), and one run can use up to ${fmt(need)}.`;
  }
  return null;
}

/** Token use per repository and step per UTC day, in SharedState (Redis with REDIS_URL: every process counts). */
export interface UsageLedger {
  used(target: RepoTarget, stepId: string): Promise<TokenUse>;
  add(target: RepoTarget, stepId: string, tokens: number): Promise<void>;
}

const TWO_DAYS_MS = 2 * 24 * 60 * 60_000;

export function createUsageLedger(state: SharedState, now: () => Date = () => new Date()): UsageLedger {
  const keys = (target: RepoTarget, stepId: string) => {
    const day = now().toISOString().slice(0, 10);
    const repo = `${target.owner}/${target.repo}`.toLowerCase();
    return [`tokens:${repo}:${day}`, `tokens:${repo}:${stepId}:${day}`] as const;
  };
  return {
    async used(target, stepId) {
      const [repository = 0, step = 0] = await state.read([...keys(target, stepId)]);
      return { repository, step };
    },
    async add(target, stepId, tokens) {
      if (tokens <= 0) return;
      for (const key of keys(target, stepId)) await state.increment(key, tokens, TWO_DAYS_MS);
    },
  };
}
