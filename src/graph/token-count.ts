/**
 * Deterministic token estimate. Budgeting must give the same answer on every
 * machine and offline, so we do not call a tokenizer service; Claude's
 * tokenizer averages a little under 4 characters per token on English and
 * code, so chars/3.5 errs on the side of over-counting (staying within budget).
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.ceil(text.length / 3.5);
}

/** The longest prefix of `text` (cut at a line end when possible) that fits in `tokens`. */
export function truncateToTokens(text: string, tokens: number): string {
  const maxChars = Math.max(0, Math.floor(tokens * 3.5));
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const lastNewline = cut.lastIndexOf("\n");
  return lastNewline > maxChars * 0.5 ? cut.slice(0, lastNewline + 1) : cut;
}
