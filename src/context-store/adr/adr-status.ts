import type { AdrStatus } from "./adr-record.js";

/**
 * Status words as teams write them, mapped to the few states Baton reasons
 * about. Anything explicit that is not listed ("on hold", "reverted", "TBD")
 * is `other`: it is a status, just not one the graph can act on.
 */
const STATUS_WORDS: ReadonlyMap<string, AdrStatus> = new Map<string, AdrStatus>([
  ...["accepted", "approved", "implemented", "agreed", "adopted", "done", "decided", "active"].map(
    (w) => [w, "accepted"] as const,
  ),
  ...["proposed", "draft", "pending", "review", "rfc", "open", "wip"].map((w) => [w, "proposed"] as const),
  ...["deprecated", "obsolete", "retired"].map((w) => [w, "deprecated"] as const),
  ...["superseded", "superceded", "superseeded", "supersceded", "replaced"].map((w) => [w, "superseded"] as const),
  ...["rejected", "declined"].map((w) => [w, "rejected"] as const),
]);

/** A negation in front turns any status word into something else ("not accepted"). */
const NEGATIONS = new Set(["not", "no", "never", "non"]);

/**
 * How far into the status text a status word may stand: far enough for
 * "partly superseded" or "under review", not so far that a sentence about
 * something else decides.
 */
const WORD_WINDOW = 3;

/** Emoji, their modifiers and joiners: "✅ Accepted" is "Accepted". */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f\u20e3]/gu;

/** A template placeholder left in place: `{proposed | accepted | …}`, `[status]`, `<status>`. */
export function isPlaceholder(text: string): boolean {
  const t = text.trim();
  if (/^\{.*\}$/s.test(t)) return true;
  // `[proposed | accepted | …]`: a bracketed choice list, not a bracketed status such as `[Accepted]`.
  return /^[[<].*[\]>]$/s.test(t) && t.includes("|");
}

/** Status text with emoji, markdown punctuation and a leading `Status:` label removed. */
export function cleanStatusText(text: string): string {
  return text
    .replace(EMOJI, " ")
    .replace(/[*_`~>#|[\](){}]/g, " ")
    .replace(/^\s*status\s*[:=\-–—]\s*/i, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The normalised status of a status text, or null when the text holds no
 * status at all (empty, only punctuation, a template placeholder).
 */
export function normaliseStatus(text: string): AdrStatus | null {
  if (isPlaceholder(text)) return null;
  const words = cleanStatusText(text).toLowerCase().match(/\p{L}+/gu);
  if (!words || words.length === 0) return null;
  if (NEGATIONS.has(words[0] ?? "")) return "other";
  for (const word of words.slice(0, WORD_WINDOW)) {
    const status = STATUS_WORDS.get(word);
    if (status) return status;
  }
  return "other";
}
