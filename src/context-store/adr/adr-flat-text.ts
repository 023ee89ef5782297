/**
 * Flattened text, the form in which both tiers of the ADR reader hand inline
 * markdown to the rules: text with links as tokens that carry their target's
 * ADR number. Plain string work, no markdown parser, so the fast tier can
 * use it on any thread.
 */
import { numberFromAdrId } from "./adr-file-names.js";

/**
 * A GFM table needs a delimiter row (`|---|:--:|`): a line of pipes, dashes,
 * colons and blanks with at least one pipe and one dash. Scanned line by line
 * without a regular expression over the whole text.
 */
export function hasTableDelimiterRow(text: string): boolean {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let pipe = false;
    let dash = false;
    let other = false;
    for (let i = start; i < end && !other; i++) {
      const c = text.charCodeAt(i);
      if (c === 124) pipe = true;
      else if (c === 45) dash = true;
      else if (c !== 58 && c !== 32 && c !== 9 && c !== 13) other = true;
    }
    if (pipe && dash && !other) return true;
    start = end + 1;
  }
  return false;
}

/**
 * The GFM syntax the reader relies on (tables, strikethrough, task lists,
 * footnotes) cannot occur without these marks. GFM parsing costs two to three
 * times plain CommonMark, and most Nygard and MADR files use none of it. Bare
 * URLs, the other GFM addition, read the same either way: a URL is never an
 * ADR reference.
 */
export function needsGfm(text: string): boolean {
  return (
    text.includes("~~") ||
    text.includes("[^") ||
    text.includes("[x]") ||
    text.includes("[X]") ||
    text.includes("[ ]") ||
    (text.includes("|") && hasTableDelimiterRow(text))
  );
}

/**
 * A link in flattened text: OPEN target SEP text CLOSE, where target is
 * `#<n>` (a relative link to a file whose name carries ADR number n), `-` (a
 * relative link to anything else) or `@` (an absolute URL: never an ADR reference).
 */
export const LINK_OPEN = "\uE000";
export const LINK_SEP = "\uE001";
export const LINK_CLOSE = "\uE002";
const LINK_TOKEN = /\uE000([^\uE001]*)\uE001([^\uE002]*)\uE002/g;

export function linkTarget(url: string): string {
  const u = url.trim();
  if (u === "") return "-";
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith("//") || /^www\./i.test(u)) return "@";
  if (u.startsWith("#")) return "-";
  let path = u.split(/[?#]/)[0] ?? "";
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: read the path as written.
  }
  const base = path.split("/").filter((p) => p !== "").pop() ?? "";
  const n = numberFromAdrId(base);
  return n === null ? "-" : `#${n}`;
}

export function linkToken(url: string, text: string): string {
  return `${LINK_OPEN}${linkTarget(url)}${LINK_SEP}${text.replace(/[\uE000-\uE002]/g, "")}${LINK_CLOSE}`;
}

/** Flattened text with links shown as their text. */
export function plainText(flat: string): string {
  return flat.replace(LINK_TOKEN, (_m, _target: string, text: string) => text);
}

/**
 * The same flattening for markdown held in a plain string (a front-matter
 * value), which was never parsed: links, autolinks and bare URLs become tokens.
 */
export function flattenString(text: string): string {
  const linked = text
    .replace(/[\uE000-\uE002]/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'][^)]*["'])?\s*\)/g, (_m, t: string, u: string) => linkToken(u, t))
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, (_m, u: string) => linkToken(u, u));
  // Bare URLs only outside the tokens just made (a link's text may itself be a URL).
  return linked
    .split(/(\uE000[^\uE002]*\uE002)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/https?:\/\/\S+/gi, (u) => linkToken(u, u)).replace(/\*\*|__|`/g, ""),
    )
    .join("");
}

