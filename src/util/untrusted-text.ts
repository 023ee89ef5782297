/**
 * Text from issues, comments, PR bodies and diffs is data, never
 * instructions. Two defences, both deterministic (same input, same prompt,
 * so manifests and recordings stay stable):
 *
 * 1. Strip what a person reading the issue on GitHub cannot see but a model
 *    reads: HTML comments, zero-width and bidi control characters, Unicode
 *    tag characters (which can spell out ASCII invisibly).
 * 2. Delimit the text in a tag whose closing tag the text cannot forge: any
 *    look-alike of the tag inside the text is escaped.
 */

// Zero-width and joiners (U+200B–U+200F, which includes LRM/RLM), bidi
// embeddings and overrides (U+202A–U+202E), invisible operators
// (U+2060–U+2064), bidi isolates (U+2066–U+2069), BOM / zero-width no-break
// space (U+FEFF), Arabic letter mark (U+061C, a bidi mark like LRM), and the
// Unicode tag block (U+E0000–U+E007F).
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u061C]|[\u{E0000}-\u{E007F}]/gu;

// C0 controls other than tab and newline, DEL and C1 controls: invisible in
// a rendered issue, and never meaningful to the model.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Unify line endings (CRLF, CR, and the Unicode line/paragraph separators) to `\n`. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, "\n");
}

/** Remove zero-width, bidi control, Unicode tag and other invisible control characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "").replace(CONTROL, "");
}

/**
 * Remove HTML comments, terminated or not: GitHub hides everything after an
 * unterminated `<!--`, so we drop it too. One linear scan (a regex would be
 * quadratic on a body full of `<!--`, which anyone can post), checking the
 * output as it grows, so that removing one comment cannot assemble another
 * (`<!-<!-- x -->- hidden -->`): the result never contains `<!--`.
 */
export function stripHtmlComments(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    out.push(ch);
    i += 1;
    const n = out.length;
    if (ch === "-" && n >= 4 && out[n - 2] === "-" && out[n - 3] === "!" && out[n - 4] === "<") {
      out.length = n - 4;
      const close = text.indexOf("-->", i);
      if (close === -1) break;
      i = close + 3;
    }
  }
  return out.join("");
}

/**
 * Sanitize text written outside the team's review (issue bodies, comments,
 * PR descriptions). Invisible characters go first, so that `<!\u200B--`
 * cannot slip a comment past the comment stripping.
 */
export function sanitizeUntrusted(text: string): string {
  return stripMarkdownComments(stripHtmlComments(stripInvisible(normalizeLineEndings(text))));
}

/**
 * Markdown "comments": a link reference definition nobody links to, such as
 * `[//]: # (hidden)` or `[comment]: <> "hidden"`. GitHub renders nothing for
 * them, so they hide text from people exactly as HTML comments do. Only
 * definitions whose target is `#` or `<>` are removed: real link targets stay.
 */
export function stripMarkdownComments(text: string): string {
  return text.replace(/^ {0,3}\[[^\]\n]*\]:[ \t]*(?:#|<>)(?:[ \t]+(?:\([^\n]*\)|"[^\n]*"|'[^\n]*'))?[ \t]*(?:\n|$)/gm, "");
}

const TAG_NAME = /^[a-z][a-z0-9_-]*$/;

function escapeAttribute(value: string): string {
  return stripInvisible(value)
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

/**
 * Every `<tag` or `</tag` look-alike in `text` (any case, spaces allowed,
 * ASCII or full-width `<`) with its `<` escaped as `&lt;`, so the text cannot
 * close or open a `<tag>` block. Idempotent.
 */
export function escapeTagLookAlikes(tag: string, text: string): string {
  if (!TAG_NAME.test(tag)) throw new Error(`invalid delimiter tag name: ${JSON.stringify(tag)}`);
  const lookAlike = new RegExp(`[<\\uFF1C\\uFE64](\\s*/?\\s*${escapeRegExp(tag)}(?![a-z0-9_-]))`, "gi");
  return text.replace(lookAlike, "&lt;$1");
}

/**
 * Wrap text in `<tag label="…">…</tag>` so the text cannot end the block
 * early or open a fake one: every `<tag` or `</tag` inside (any case, spaces
 * allowed, ASCII or full-width `<`) has its `<` escaped as `&lt;`. The text
 * is otherwise left alone: callers choose the sanitizing (see
 * {@link delimitUntrusted}). Run any stripping before this, never after, or
 * stripping could reassemble a tag.
 */
export function delimitText(tag: string, label: string, text: string): string {
  const body = escapeTagLookAlikes(tag, text);
  const newline = body.endsWith("\n") ? "" : "\n";
  return `<${tag} label="${escapeAttribute(label)}">\n${body}${newline}</${tag}>`;
}

/** Sanitize untrusted text and wrap it in a delimiter it cannot forge. */
export function delimitUntrusted(label: string, text: string, tag = "untrusted"): string {
  return delimitText(tag, label, sanitizeUntrusted(text));
}
