/**
 * Inline link destinations for the fast tier of the ADR reader:
 * `(dest "title")` after a link's text, read as CommonMark reads it, in
 * time linear in the paragraph whatever it holds.
 *
 * A bare destination runs to whitespace, or to the `)` that closes it,
 * through at most 32 levels of nested parentheses (CommonMark's and
 * micromark's limit). Scanning it from each `(` anew is linear per link but
 * not per paragraph: a line of `[a](` repeated starts a scan every four
 * characters, and each runs 32 levels deep (128 KB took tens of ms on the
 * main thread). So the ends of every bare destination of a paragraph are
 * found at once, in two passes over it (`DestinationEnds`), and each link
 * looks its end up.
 */

/** How far a link destination, an HTML tag or an autolink may run: further than that, the characters are text. */
export const LOOKAHEAD = 2000;
/** CommonMark (and micromark) allow 32 levels of parentheses in a destination; past that it is no link. */
export const MAX_DESTINATION_DEPTH = 32;

const BACKSLASH = 92;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const NEVER = 0x7fffffff;

export function isWhitespace(c: string | undefined): boolean {
  if (c === undefined) return true;
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(c);
}

/**
 * Where a bare destination starting at `from` ends, scanned character by
 * character: the whitespace or closing `)`, -1 past the depth limit, or the
 * look-ahead `limit` (one further when the character before it is a
 * backslash, which takes the next character with it). The reference that
 * `DestinationEnds` answers in constant time.
 */
export function scanBareDestination(text: string, from: number, limit: number): number {
  let depth = 0;
  let i = from;
  for (; i < limit; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "(") {
      if (++depth > MAX_DESTINATION_DEPTH) return -1;
    } else if (c === ")") {
      if (depth === 0) return i;
      depth--;
    } else if (isWhitespace(c)) return i;
  }
  return i;
}

/**
 * Every bare destination's end in a paragraph, found in two passes.
 *
 * Read left to right, a backslash takes the character after it; a scan that
 * starts after any character other than a backslash (a destination starts
 * after `(` or whitespace) reads the same characters as the pass over the
 * whole paragraph. With P(x) the number of read `(` minus read `)` up to x,
 * a scan from `s` ends at the first read whitespace at or after `s`, or at
 * the first x where P(x) reaches P(s-1) - 1 (its closing `)`) or
 * P(s-1) + 33 (too deep), whichever comes first: P moves one step at a
 * time, so a right-to-left pass that remembers where each value of P is
 * next reached answers every start at once.
 */
export class DestinationEnds {
  /** For each start: the position where its scan stops, NEVER when it does not (then the look-ahead decides). */
  private readonly stop: Int32Array;
  /** For each start: whether the scan stops there because it is too deep. */
  private readonly tooDeep: Uint8Array;
  /** Positions holding a backslash that takes the next character. */
  private readonly escapes: Uint8Array;

  constructor(private readonly text: string) {
    const n = text.length;
    this.escapes = new Uint8Array(n + 1);
    const read = new Uint8Array(n);
    const level = new Int32Array(n + 1); // level[x + 1] = P(x); level[0] = 0
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      read[i] = 1;
      let step = 0;
      if (code === BACKSLASH) {
        this.escapes[i] = 1;
        level[i + 1] = level[i]!;
        if (i + 1 < n) level[i + 2] = level[i]!;
        i++;
        continue;
      }
      if (code === OPEN_PAREN) step = 1;
      else if (code === CLOSE_PAREN) step = -1;
      level[i + 1] = level[i]! + step;
    }
    // Each value of P, offset so that it is a non-negative index: the positions where it is next reached.
    // P lies in [-n, n]; a scan asks for P(s-1) - 1 and P(s-1) + 33.
    const nextReach = new Int32Array(2 * n + MAX_DESTINATION_DEPTH + 4).fill(NEVER);
    const offset = n + 1;
    this.stop = new Int32Array(n + 1).fill(NEVER);
    this.tooDeep = new Uint8Array(n + 1);
    let nextSpace = NEVER;
    for (let s = n - 1; s >= 0; s--) {
      const code = text.charCodeAt(s);
      if (read[s]) {
        if (code === OPEN_PAREN || code === CLOSE_PAREN) nextReach[level[s + 1]! + offset] = s;
        else if (code === 32 || (code >= 9 && code <= 13) || (code >= 128 && isWhitespace(text[s]))) nextSpace = s;
      }
      // A scan starts only at a read character (it follows `(` or whitespace).
      if (!read[s]) continue;
      const base = level[s]! + offset;
      const closing = nextReach[base - 1]!;
      const deep = nextReach[base + MAX_DESTINATION_DEPTH + 1]!;
      const first = Math.min(closing, deep, nextSpace);
      this.stop[s] = first;
      this.tooDeep[s] = first !== NEVER && first === deep ? 1 : 0;
    }
  }

  /** What `scanBareDestination(text, from, limit)` returns, in constant time. */
  end(from: number, limit: number): number {
    if (from >= limit) return from;
    const stop = this.stop[from]!;
    if (stop < limit) return this.tooDeep[from] ? -1 : stop;
    return this.escapes[limit - 1] ? limit + 1 : limit;
  }
}

/** `c` from `from` up to `limit` (included), or -1: a search that never reads past the look-ahead. */
function indexWithin(text: string, c: string, from: number, limit: number): number {
  const at = text.slice(from, limit + 1).indexOf(c);
  return at < 0 ? -1 : from + at;
}

/**
 * `(dest "title")` after a link's text, its `(` at `open`: the destination
 * and where the construct ends, or null. Bounded look-ahead.
 */
export function readDestination(text: string, open: number, ends: () => DestinationEnds): { url: string; end: number } | null {
  const limit = Math.min(text.length, open + LOOKAHEAD);
  let i = open + 1;
  while (i < limit && isWhitespace(text[i])) i++;
  let url = "";
  if (text[i] === "<") {
    const close = indexWithin(text, ">", i, limit);
    if (close < 0 || text.slice(i, close).includes("\n")) return null;
    url = text.slice(i + 1, close);
    i = close + 1;
  } else {
    const start = i;
    i = ends().end(i, limit);
    if (i < 0) return null;
    url = text.slice(start, i);
  }
  while (i < limit && isWhitespace(text[i])) i++;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === "(") {
    const closer = quote === "(" ? ")" : quote;
    const close = indexWithin(text, closer, i + 1, limit);
    if (close < 0) return null;
    i = close + 1;
    while (i < limit && isWhitespace(text[i])) i++;
  }
  if (text[i] !== ")") return null;
  return { url: url.replace(/\\([!-/:-@[-`{-~])/g, "$1"), end: i + 1 };
}
