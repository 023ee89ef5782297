import type { ContextBlock, ContextCandidate } from "./context-candidate.js";
import type { ManifestOmission } from "./manifest.js";
import { countTokens, truncateToTokens } from "./token-count.js";

/** Below this many tokens a truncated input is more noise than help. */
const MIN_USEFUL_TOKENS = 200;

export interface Allocation {
  blocks: ContextBlock[];
  omitted: ManifestOmission[];
  usedTokens: number;
}

/**
 * Deterministic, priority-ordered budgeting: candidates arrive in priority
 * order (the step's declared input order, then each selector's own
 * relevance order). Each is taken whole if it fits; a truncatable one is cut
 * to what is left when at least MIN_USEFUL_TOKENS remain; anything else is
 * left out with the reason. Later, smaller candidates may still fit after a
 * larger one was left out: the budget is filled, not abandoned.
 */
export function allocateBudget(candidates: ContextCandidate[], budget: number): Allocation {
  const blocks: ContextBlock[] = [];
  const omitted: ManifestOmission[] = [];
  let used = 0;
  for (const candidate of candidates) {
    const tokens = countTokens(candidate.text);
    const left = budget - used;
    if (tokens <= left) {
      blocks.push({ ...candidate, tokens });
      omitted.push(...(candidate.partsLeftOut ?? []));
      used += tokens;
      continue;
    }
    if (candidate.fitTo && left >= MIN_USEFUL_TOKENS) {
      const fitted = candidate.fitTo(left);
      const fittedTokens = countTokens(fitted.text);
      if (fittedTokens <= left && fitted.text.length > 0) {
        blocks.push({
          ...candidate,
          text: fitted.text,
          tokens: fittedTokens,
          truncated: { fromTokens: tokens, reason: fitted.reason },
          ...(fitted.details ? { details: fitted.details } : {}),
        });
        omitted.push(...fitted.omitted);
        used += fittedTokens;
        continue;
      }
    }
    if (candidate.truncatable && left >= MIN_USEFUL_TOKENS) {
      const marker = `\n[… truncated by Baton: ${tokens} tokens, budget left ${left}]\n`;
      const cut = truncateToTokens(candidate.text, left - countTokens(marker)) + marker;
      const cutTokens = countTokens(cut);
      blocks.push({
        ...candidate,
        text: cut,
        tokens: cutTokens,
        truncated: { fromTokens: tokens, reason: `over budget: cut to ${cutTokens} of ${tokens} tokens` },
      });
      used += cutTokens;
      continue;
    }
    omitted.push({
      selector: candidate.selector,
      label: candidate.label,
      identity: candidate.identity,
      tokens,
      reason: `over budget: needs ${tokens} tokens, ${Math.max(0, left)} left`,
    });
  }
  return { blocks, omitted, usedTokens: used };
}
