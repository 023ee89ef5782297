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

/** Accepted as written, never suggested. */
const MISSPELLINGS = new Set(["superceded", "superseeded", "supersceded"]);

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
 * The first `count` words of the cleaned, lower-cased status text. Cleaning
 * works character by character (only a leading label looks further), so the
 * words of a prefix that holds more than `count` of them begin the words of
 * the whole text: a 128 KB status line is cleaned a few hundred characters
 * at a time, not whole, unless it holds few words.
 */
function firstStatusWords(text: string, count: number): string[] {
  for (let size = 256; ; size *= 8) {
    const words = cleanStatusText(text.slice(0, size)).toLowerCase().match(/\p{L}+/gu) ?? [];
    if (words.length > count || size >= text.length) return words.slice(0, count);
  }
}

/**
 * The normalised status of a status text, or null when the text holds no
 * status at all (empty, only punctuation, a template placeholder).
 */
export function normaliseStatus(text: string): AdrStatus | null {
  if (isPlaceholder(text)) return null;
  const words = firstStatusWords(text, WORD_WINDOW);
  if (words.length === 0) return null;
  if (NEGATIONS.has(words[0] ?? "")) return "other";
  for (const word of words) {
    const status = STATUS_WORDS.get(word);
    if (status) return status;
  }
  return "other";
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The status word a misspelt status most likely meant (`acepted` → "accepted"),
 * or null when the first word is a known word, or not close to one.
 */
export function statusSuggestion(text: string): string | null {
  const word = firstStatusWords(text, 1)[0];
  if (!word || word.length < 4 || STATUS_WORDS.has(word) || NEGATIONS.has(word)) return null;
  const max = word.length >= 7 ? 2 : 1;
  let best: { word: string; distance: number } | null = null;
  for (const known of STATUS_WORDS.keys()) {
    if (known.length < 4 || MISSPELLINGS.has(known)) continue;
    const distance = editDistance(word, known, max);
    if (distance <= max && (!best || distance < best.distance)) best = { word: known, distance };
  }
  return best?.word ?? null;
}
