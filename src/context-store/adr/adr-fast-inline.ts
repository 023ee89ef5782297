/**
 * Inline markdown for the fast tier of the ADR reader: one pass over a
 * paragraph's text that gives what the full tier's `flatten` gives (links as
 * tokens, emphasis markers gone, code spans as their text, HTML and images
 * dropped), or what titles keep (`inlineTitle`). Every construct is matched
 * with precomputed pairs or a bounded look-ahead, so the pass is linear in
 * the text whatever it holds (`*a_` repeated, brackets never closed).
 */
import { decodeNamedCharacterReference } from "decode-named-character-reference";
import { linkToken } from "./adr-flat-text.js";
import { DestinationEnds, isWhitespace, LOOKAHEAD, readDestination } from "./adr-link-destination.js";

export type InlineMode = "flat" | "title";

/** `[label]: url` definitions by normalised label (case-folded, whitespace collapsed), as CommonMark matches them. */
export type Definitions = ReadonlyMap<string, string>;

export function normaliseLabel(label: string): string {
  return label.replace(/\s+/g, " ").trim().toLowerCase().toUpperCase();
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

function isPunctuation(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
  return /[\p{P}\p{S}]/u.test(c);
}

/** Code spans: each backtick run paired with the next run of the same length (linear: one pointer per run length). */
function codeSpans(text: string): Map<number, { end: number; content: string }> {
  const runs: { at: number; length: number }[] = [];
  for (let i = text.indexOf("`"); i >= 0; i = text.indexOf("`", i)) {
    // A backtick after an odd number of backslashes is escaped (only outside a span, which is close enough here).
    let slashes = 0;
    while (text[i - 1 - slashes] === "\\") slashes++;
    let j = i;
    while (text[j] === "`") j++;
    if (slashes % 2 === 1) {
      if (j - i > 1) runs.push({ at: i + 1, length: j - i - 1 });
    } else runs.push({ at: i, length: j - i });
    i = j;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((r, index) => {
    const list = byLength.get(r.length);
    if (list) list.push(index);
    else byLength.set(r.length, [index]);
  });
  const spans = new Map<number, { end: number; content: string }>();
  const used = new Set<number>();
  const pointer = new Map<number, number>();
  for (let index = 0; index < runs.length; index++) {
    if (used.has(index)) continue;
    const run = runs[index]!;
    const same = byLength.get(run.length)!;
    let p = pointer.get(run.length) ?? 0;
    while (p < same.length && same[p]! <= index) p++;
    pointer.set(run.length, p);
    const closer = same[p];
    if (closer === undefined) continue;
    used.add(closer);
    pointer.set(run.length, p + 1);
    const close = runs[closer]!;
    let content = text.slice(run.at + run.length, close.at).replace(/\n/g, " ");
    if (content.length >= 2 && content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "") content = content.slice(1, -1);
    spans.set(run.at, { end: close.at + close.length, content });
    // Runs inside the span are not runs.
    for (let k = index + 1; k < closer; k++) used.add(k);
  }
  return spans;
}

/** Strikethrough runs (`~` or `~~`), each paired with the next run of the same length (one pointer per length: linear). */
function tildePairs(text: string): Map<number, number> {
  const open = new Map<number, number>();
  const pairs = new Map<number, number>();
  for (let i = text.indexOf("~"); i >= 0; i = text.indexOf("~", i)) {
    let j = i;
    while (text[j] === "~") j++;
    const length = j - i;
    if (length <= 2) {
      const opener = open.get(length);
      if (opener === undefined) open.set(length, i);
      else {
        pairs.set(opener, i);
        open.delete(length);
      }
    }
    i = j;
  }
  return pairs;
}

/** `]` for each `[`, outside code spans and escapes (a stack: linear). */
function bracketPairs(text: string, spans: Map<number, { end: number }>): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const span = c === "`" ? spans.get(i) : undefined;
    if (span) {
      i = span.end - 1;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "[") stack.push(i);
    else if (c === "]" && stack.length > 0) pairs.set(stack.pop()!, i);
  }
  return pairs;
}

/** The destination after a link's text, its `(` at `open`: read once per text (an image's `![` and its `[` ask for the same one). */
function inlineDestination(state: InlineState, open: number): { url: string; end: number } | null {
  const known = state.destinations.get(open);
  if (known !== undefined) return known;
  const found = readDestination(state.text, open, state.destinationEnds);
  state.destinations.set(open, found);
  return found;
}

const AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/y;
const EMAIL_AUTOLINK = /<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/y;
const INLINE_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/y;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** An HTML tag, comment or autolink starting at `<`: its end and, for an autolink, its URL. Matched in place, never on a copy. */
function angleConstruct(state: InlineState, at: number): { end: number; url: string | null } | null {
  const { text } = state;
  const autolink = sticky(AUTOLINK, text, at);
  if (autolink) return { end: at + autolink[0].length, url: autolink[1]! };
  const email = sticky(EMAIL_AUTOLINK, text, at);
  if (email) return { end: at + email[0].length, url: `mailto:${email[1]!}` };
  if (text.startsWith("<!--", at)) {
    // Where the next `-->` is, found once for the whole text: many unclosed comments stay linear.
    if (state.commentEnd.from <= at + 4) state.commentEnd = { from: at + 4, at: text.indexOf("-->", at + 4) };
    const close = state.commentEnd.at;
    return close < 0 ? null : { end: close + 3, url: null };
  }
  const tag = sticky(INLINE_TAG, text, at);
  return tag ? { end: at + tag[0].length, url: null } : null;
}

/** A `*`/`_`/`~` run that can open or close emphasis (CommonMark's flanking rules); unmatched runs stay text. */
function isDelimiterRun(text: string, at: number, length: number): boolean {
  const c = text[at];
  const before = text[at - 1];
  const after = text[at + length];
  const leftFlanking = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
  const rightFlanking = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
  if (c === "_") return (leftFlanking && (!rightFlanking || isPunctuation(before))) || (rightFlanking && (!leftFlanking || isPunctuation(after)));
  return leftFlanking || rightFlanking;
}

function decodeEntity(text: string, at: number): { value: string; end: number } | null {
  const m = /^&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/.exec(text.slice(at, at + 40));
  if (!m) return null;
  const name = m[1]!;
  if (name.startsWith("#")) {
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    const value = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(code);
    return { value, end: at + m[0].length };
  }
  const value = decodeNamedCharacterReference(name);
  return value === false ? null : { value, end: at + m[0].length };
}

interface InlineState {
  text: string;
  mode: InlineMode;
  defs: Definitions;
  gfm: boolean;
  spans: Map<number, { end: number; content: string }>;
  brackets: Map<number, number>;
  /** Links inside links are not links; past a few levels, brackets are text (keeps recursion shallow). */
  depth: number;
  /** The next `-->` after `from` (-1: none), cached across unclosed comments. */
  commentEnd: { from: number; at: number };
  /** Strikethrough: the closing tilde run of each opening one. */
  tildes: Map<number, number>;
  /** Inline destinations already read, by the position of their `(` (null: none there). */
  destinations: Map<number, { url: string; end: number } | null>;
  /** Every bare destination's end in the text, computed when a link first needs one. */
  destinationEnds: () => DestinationEnds;
  /** Where bare URLs may start (GFM only), ascending, and the first one not yet passed. */
  urls: number[];
  urlIndex: { at: number };
}

/** The first position in [from, stop) where a bare URL may start, or `stop`. */
function nextUrl(state: InlineState, from: number, stop: number): number {
  // Positions are visited in ascending order: a pointer that only moves forward keeps this linear.
  while (state.urlIndex.at < state.urls.length && state.urls[state.urlIndex.at]! < from) state.urlIndex.at++;
  const at = state.urls[state.urlIndex.at];
  return at === undefined || at >= stop ? stop : at;
}

function urlStarts(text: string, gfm: boolean): number[] {
  if (!gfm) return [];
  const out: number[] = [];
  const re = /(?:https?:\/\/|www\.)/gi;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m.index);
  return out;
}

const MAX_LINK_DEPTH = 4;

/** `https://x`, `www.x` as GFM links them: trailing punctuation and unbalanced `)` left out. */
function bareUrl(text: string, at: number): { url: string; end: number } | null {
  if (at > 0 && /[\p{L}\p{N}_]/u.test(text[at - 1] ?? "")) return null;
  const m = /^(?:https?:\/\/|www\.)[^\s<]{1,2000}/i.exec(text.slice(at, at + LOOKAHEAD + 10));
  if (!m) return null;
  let url = m[0];
  for (;;) {
    const trimmed = url.replace(/[?!.,:*_~'"]+$/, "");
    const open = (trimmed.match(/\(/g) ?? []).length;
    const close = (trimmed.match(/\)/g) ?? []).length;
    const next = trimmed.endsWith(")") && close > open ? trimmed.slice(0, -1) : trimmed;
    if (next === url) break;
    url = next;
  }
  return /^(?:https?:\/\/|www\.)\S/i.test(url) ? { url, end: at + url.length } : null;
}

/** Characters that may start an inline construct; everything else is copied as it is, a run at a time. */
const SPECIAL = /[`\\&![<*_~]/g;

function flattenRange(state: InlineState, from: number, to: number): string {
  const { text, mode } = state;
  let out = "";
  for (let i = from; i < to; i++) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(text);
    const stop = next === null || next.index >= to ? to : next.index;
    const url = state.urls.length > 0 ? nextUrl(state, i, stop) : stop;
    if (url > i) {
      out += text.slice(i, url);
      i = url - 1;
      continue;
    }
    const c = text[i]!;
    const span = c === "`" ? state.spans.get(i) : undefined;
    if (span && span.end <= to) {
      out += mode === "title" ? text.slice(i, span.end) : span.content;
      i = span.end - 1;
      continue;
    }
    if (c === "\\" && i + 1 < to && ASCII_PUNCTUATION.test(text[i + 1]!)) {
      out += text[i + 1];
      i++;
      continue;
    }
    if (c === "&") {
      const entity = decodeEntity(text, i);
      if (entity && entity.end <= to) {
        out += entity.value;
        i = entity.end - 1;
        continue;
      }
    }
    if (c === "!" && text[i + 1] === "[") {
      const link = linkAt(state, i + 1, to);
      if (link) {
        // An image: its alt text in a title, nothing in flattened text.
        if (mode === "title") out += flattenRange({ ...state, mode: "flat" }, i + 2, link.close).replace(/[\uE000-\uE002]/g, "");
        i = link.end - 1;
        continue;
      }
    }
    if (c === "[" && state.depth < MAX_LINK_DEPTH) {
      const link = linkAt(state, i, to);
      if (link) {
        const label = flattenRange({ ...state, depth: state.depth + 1 }, i + 1, link.close);
        out += mode === "title" ? label : linkToken(link.url, label);
        i = link.end - 1;
        continue;
      }
    }
    if (c === "<") {
      const angle = angleConstruct(state, i);
      if (angle && angle.end <= to) {
        if (angle.url !== null) out += mode === "title" ? angle.url : linkToken(angle.url, angle.url);
        i = angle.end - 1;
        continue;
      }
    }
    if (state.urls.length > 0 && mode === "flat" && (c === "h" || c === "H" || c === "w" || c === "W")) {
      const url = bareUrl(text, i);
      if (url && url.end <= to) {
        out += linkToken(url.url.toLowerCase().startsWith("www.") ? `http://${url.url}` : url.url, url.url);
        i = url.end - 1;
        continue;
      }
    }
    if (c === "*" || c === "_" || (c === "~" && state.gfm)) {
      let j = i;
      while (j < to && text[j] === c) j++;
      if (c === "~" && mode === "flat") {
        // Struck-through text is left out: `~~Proposed~~ Accepted` is accepted.
        const close = state.tildes.get(i);
        if (close !== undefined && close < to && isDelimiterRun(text, i, j - i)) {
          i = close + (j - i) - 1;
          continue;
        }
      }
      if (mode === "title" || c === "~" || !isDelimiterRun(text, i, j - i)) out += text.slice(i, j);
      i = j - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** A link or reference starting at `[` (`at`), ending before `to`: its URL, where its text closes and where it ends. */
function linkAt(state: InlineState, at: number, to: number): { url: string; close: number; end: number } | null {
  const close = state.brackets.get(at);
  if (close === undefined || close >= to) return null;
  const { text, defs } = state;
  if (text[close + 1] === "(") {
    const dest = inlineDestination(state, close + 1);
    if (dest && dest.end <= to) return { url: dest.url, close, end: dest.end };
  }
  // Without definitions, no reference can resolve: skip normalising labels.
  if (defs.size === 0) return null;
  if (text[close + 1] === "[") {
    const labelClose = state.brackets.get(close + 1);
    if (labelClose !== undefined && labelClose < to) {
      const label = text.slice(close + 2, labelClose);
      const url = defs.get(normaliseLabel(label === "" ? text.slice(at + 1, close) : label));
      if (url !== undefined) return { url, close, end: labelClose + 1 };
    }
  }
  const url = defs.get(normaliseLabel(text.slice(at + 1, close)));
  return url === undefined ? null : { url, close, end: close + 1 };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A paragraph's (or heading's, or cell's) inline text, flattened as `flatten` does or as `inlineTitle` does. */
export function flattenInline(text: string, defs: Definitions, opts: { mode: InlineMode; gfm: boolean }): string {
  const spans = codeSpans(text);
  const state: InlineState = { text, mode: opts.mode, defs, gfm: opts.gfm, spans, brackets: bracketPairs(text, spans), depth: 0, urls: opts.mode === "flat" ? urlStarts(text, opts.gfm) : [], urlIndex: { at: 0 }, destinations: new Map(), destinationEnds: once(() => new DestinationEnds(text)), commentEnd: { from: -1, at: -1 }, tildes: opts.gfm ? tildePairs(text) : new Map() };
  return flattenRange(state, 0, text.length);
}
