/**
 * Code and diff text reach the model exactly as committed. Prose written by
 * people (issue bodies, comments, PR text) is neutralised by
 * `sanitizeUntrusted` (untrusted-text.ts); code is not: an `"<!--"` in a
 * string literal, or HTML comments in a template, are part of the change
 * under review and must not be cut.
 *
 * What code does get: every character a reader cannot see (zero-width,
 * bidirectional controls, Unicode tag characters, C0/C1 controls) is
 * replaced by a visible `<U+XXXX>` and counted, so a Trojan Source line
 * (CVE-2021-42574) is shown for what it is and flagged, never silently
 * dropped. CRLF line endings become LF (the one normalisation: a line ending
 * carries no meaning the model needs); a lone CR is revealed.
 *
 * Idempotent: revealed text holds no invisible character, so revealing it
 * again changes nothing. Deterministic, linear in the text's length.
 */

// Zero-width and joiners, LRM/RLM (U+200B–U+200F); bidi embeddings and
// overrides (U+202A–U+202E); invisible operators (U+2060–U+2064); bidi
// isolates (U+2066–U+2069); BOM (U+FEFF); Arabic letter mark (U+061C);
// soft hyphen (U+00AD), combining grapheme joiner (U+034F), Hangul and
// Khmer fillers and Mongolian vowel separators often used to hide text;
// variation selectors (which can carry hidden bytes); the Unicode tag
// block; line/paragraph separators (line breaks to a JS parser, none to a
// reader); C0 controls other than tab and newline, DEL and C1 controls.
const HIDDEN =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u2069\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;

/** Short names for the characters people most need to recognise. */
const NAMES: Record<number, string> = {
  0x200b: "zero width space",
  0x200c: "zero width non-joiner",
  0x200d: "zero width joiner",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
  0xfeff: "byte order mark",
  0x2028: "line separator",
  0x2029: "paragraph separator",
  0x000d: "carriage return",
  0x0000: "NUL",
  0x001b: "escape",
};

export interface RevealedCharacter {
  /** `U+202E` */
  codePoint: string;
  name?: string;
  count: number;
}

export interface RevealedText {
  text: string;
  /** Each character made visible, with how often; in order of first appearance. */
  revealed: RevealedCharacter[];
}

/** `<U+202E>`: how a hidden character is shown in code sent to the model. */
export function visibleForm(codePoint: number): string {
  return `<${codePointLabel(codePoint)}>`;
}

function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Code as the model sees it: CRLF as LF, hidden characters as `<U+XXXX>`, everything else untouched. */
export function revealInvisible(text: string): RevealedText {
  const counts = new Map<number, number>();
  const out = text.replace(/\r\n/g, "\n").replace(HIDDEN, (ch) => {
    const cp = ch.codePointAt(0) as number;
    counts.set(cp, (counts.get(cp) ?? 0) + 1);
    return visibleForm(cp);
  });
  const revealed = [...counts.entries()].map(([cp, count]): RevealedCharacter => {
    const name = NAMES[cp];
    return { codePoint: codePointLabel(cp), count, ...(name ? { name } : {}) };
  });
  return { text: out, revealed };
}

/** The text only, for callers that do not report (already revealed text, Baton's own text). */
export function codeText(text: string): string {
  return revealInvisible(text).text;
}

/** Adds `more` into `into` (counts summed per code point), keeping first-appearance order. */
export function mergeRevealed(into: RevealedCharacter[], more: RevealedCharacter[]): RevealedCharacter[] {
  for (const r of more) {
    const existing = into.find((x) => x.codePoint === r.codePoint);
    if (existing) existing.count += r.count;
    else into.push({ ...r });
  }
  return into;
}

/** "U+202E right-to-left override ×2, U+200B zero width space ×1". */
export function describeRevealed(revealed: RevealedCharacter[]): string {
  return revealed.map((r) => `${r.codePoint}${r.name ? ` ${r.name}` : ""} ×${r.count}`).join(", ");
}

/** What the model is told when code it reads holds hidden characters. */
export function revealedNote(where: string, revealed: RevealedCharacter[]): string {
  const total = revealed.reduce((sum, r) => sum + r.count, 0);
  return (
    `Note from Baton: ${where} contains ${total} invisible or bidirectional character${total === 1 ? "" : "s"} (${describeRevealed(revealed)}). ` +
    "Each is shown as <U+XXXX> exactly where it is in the committed text; a reader of the code on GitHub or in an editor may not see it, " +
    "and bidirectional controls can make code read differently from how it runs."
  );
}
