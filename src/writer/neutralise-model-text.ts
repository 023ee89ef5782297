import { inlineCode } from "../util/posted-text.js";
import { sanitizeUntrusted } from "../util/untrusted-text.js";

/**
 * Model output is untrusted before it reaches GitHub (a PR diff or an issue
 * can tell the model what to write). Whatever it says, what Baton posts:
 *
 * - hides nothing: invisible characters, HTML comments and markdown
 *   comments are removed (`sanitizeUntrusted`), so no hidden text and no
 *   forged `<!-- baton:… -->` marker;
 * - holds no raw HTML: every `<` outside code becomes `&lt;` (no tags, no
 *   `<https://…>` autolinks);
 * - loads nothing: an image is kept only when it is hosted by GitHub
 *   (`github.com`, `*.githubusercontent.com`) or relative to the repository;
 *   any other becomes its alt text and its address as code (a tracking
 *   pixel could carry data out in its URL);
 * - links nowhere it does not show: a link to another host becomes its
 *   text and its address as code; bare URLs (`https://…`, `www.…`) and
 *   e-mail addresses to other hosts are shown as code, which GitHub does
 *   not link;
 * - pings nobody: every `@user` / `@org/team` outside code is wrapped in a
 *   code span, wherever it stands (start of line, after a code span, in
 *   parentheses, in emphasis).
 *
 * Code is left as the model wrote it, and to be sure GitHub sees the same
 * code as this function does, Baton decides where code is: fenced blocks
 * are written again with a fence of its own (longer than any backtick run
 * inside, after a blank line, so no list or quote can swallow it), a code
 * span is honoured only when it opens and closes on one line, and every
 * other backtick is escaped. No backtick run can then pair up differently
 * on GitHub and expose text Baton took for code.
 *
 * One pass per line, each character looked at a bounded number of times
 * (the bracket and backtick lookups are precomputed): linear time on any
 * input, no backtracking regular expression.
 */
export function neutraliseModelText(text: string): string {
  const lines = sanitizeUntrusted(text).split("\n");
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = openingFence(line);
    if (!fence) {
      out.push(neutraliseLine(line));
      i += 1;
      continue;
    }
    const body: string[] = [];
    i += 1;
    while (i < lines.length && !closesFence(lines[i] as string, fence)) {
      body.push(stripIndent(lines[i] as string, fence.indent));
      i += 1;
    }
    i += 1; // the closing fence (or the end of the text, which closes it too)
    if (out.length > 0 && (out[out.length - 1] as string).trim() !== "") out.push("");
    const ticks = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
    out.push(`${ticks}${fence.info}`, ...body, ticks);
  }
  return out.join("\n").trim();
}

interface Fence {
  char: "`" | "~";
  length: number;
  indent: number;
  /** The info string (a language name), kept only when it is one plain word. */
  info: string;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

function openingFence(line: string): Fence | null {
  const m = FENCE.exec(line);
  if (!m) return null;
  const indent = m[1] as string;
  const run = m[2] as string;
  const rest = m[3] as string;
  // A backtick fence's info string cannot hold a backtick (CommonMark): then it is text with code spans.
  if (run[0] === "`" && rest.includes("`")) return null;
  const info = rest.trim();
  return { char: run[0] as "`" | "~", length: run.length, indent: indent.length, info: /^[A-Za-z0-9_+#.-]{1,30}$/.test(info) ? info : "" };
}

function closesFence(line: string, fence: Fence): boolean {
  const m = FENCE.exec(line);
  return m !== null && (m[2] as string)[0] === fence.char && (m[2] as string).length >= fence.length && (m[3] as string).trim() === "";
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === " ") n += 1;
  return line.slice(n);
}

function longestBacktickRun(lines: string[]): number {
  let longest = 0;
  for (const line of lines) {
    let run = 0;
    for (const ch of line) {
      run = ch === "`" ? run + 1 : 0;
      if (run > longest) longest = run;
    }
  }
  return longest;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * One line outside fenced code: code spans that open and close on it are
 * kept as they are; every other backtick is escaped; the text between is
 * neutralised.
 */
export function neutraliseLine(line: string): string {
  // Maximal backtick runs, by length, in order: a closer is the next run of exactly the opener's length.
  const runs = new Map<number, number[]>();
  for (let p = 0; p < line.length; ) {
    if (line[p] !== "`") {
      p += 1;
      continue;
    }
    let q = p;
    while (line[q] === "`") q += 1;
    const list = runs.get(q - p) ?? [];
    list.push(p);
    runs.set(q - p, list);
    p = q;
  }
  const cursor = new Map<number, number>();
  const nextRun = (length: number, after: number): number | undefined => {
    const list = runs.get(length);
    if (!list) return undefined;
    let k = cursor.get(length) ?? 0;
    while (k < list.length && (list[k] as number) < after) k += 1;
    cursor.set(length, k);
    return list[k];
  };

  const pieces: string[] = [];
  let text = "";
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (ch === "\\" && i + 1 < line.length && PUNCTUATION.test(line[i + 1] as string)) {
      // Already literal on GitHub (`\``, `\<`, `\[`): kept as written.
      text += ch + (line[i + 1] as string);
      i += 2;
      continue;
    }
    if (ch !== "`") {
      text += ch;
      i += 1;
      continue;
    }
    let end = i;
    while (line[end] === "`") end += 1;
    const length = end - i;
    const close = nextRun(length, end);
    if (close === undefined) {
      text += "\\`".repeat(length);
      i = end;
      continue;
    }
    pieces.push(neutraliseText(text), line.slice(i, close + length));
    text = "";
    i = close + length;
  }
  pieces.push(neutraliseText(text));
  return joinApart(pieces);
}

/**
 * Joins pieces so that no two backtick runs touch: a mention wrapped in code
 * right after a code span (`` `a``@b` ``) would make one longer run and
 * re-pair the spans on GitHub, exposing code as text. A zero-width space
 * (as an entity, so it is visible in the source) keeps them apart.
 */
function joinApart(pieces: string[]): string {
  let out = "";
  for (const piece of pieces) {
    out += out.endsWith("`") && piece.startsWith("`") ? `&#8203;${piece}` : piece;
  }
  return out;
}

/**
 * Text without code: links and images first (a link's text may span
 * words), then word by word.
 */
function neutraliseText(text: string): string {
  // For each `[`, the next `]`; for each `]`, the next `)`: O(1) lookups, so `[[[[…` stays linear.
  const nextClose = new Int32Array(text.length + 1).fill(-1);
  const nextParen = new Int32Array(text.length + 1).fill(-1);
  for (let p = text.length - 1; p >= 0; p -= 1) {
    nextClose[p] = text[p] === "]" ? p : (nextClose[p + 1] as number);
    nextParen[p] = text[p] === ")" ? p : (nextParen[p + 1] as number);
  }
  let out = "";
  let plain = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const image = ch === "!" && text[i + 1] === "[";
    const open = image ? i + 1 : ch === "[" ? i : -1;
    const link = open >= 0 ? inlineLink(text, open, nextClose, nextParen) : null;
    if (!link) {
      if (ch === "\\" && i + 1 < text.length && PUNCTUATION.test(text[i + 1] as string)) {
        plain += ch + (text[i + 1] as string);
        i += 2;
      } else {
        plain += ch;
        i += 1;
      }
      continue;
    }
    out += neutraliseWords(plain);
    plain = "";
    const label = neutraliseWords(link.text);
    if (image) out += allowedTarget(link.target) ? `![${label}](${link.target})` : `${label} (image: ${inlineCode(link.target)})`;
    else out += allowedTarget(link.target) ? `[${label}](${link.target})` : `${label} (${inlineCode(link.target)})`;
    i = link.end;
  }
  return out + neutraliseWords(plain);
}

/** `[text](target)` at `open`, with a plain target (no spaces, brackets, title): anything else is not kept as a link. */
function inlineLink(text: string, open: number, nextClose: Int32Array, nextParen: Int32Array): { text: string; target: string; end: number } | null {
  const close = nextClose[open + 1] as number;
  if (close < 0 || text[close + 1] !== "(") return null;
  const label = text.slice(open + 1, close);
  if (label.includes("[")) return null;
  const paren = nextParen[close + 2] as number;
  if (paren < 0) return null;
  const target = text.slice(close + 2, paren);
  if (target === "" || /[\s()<>[\]`\\]/.test(target)) return null;
  return { text: label, target, end: paren + 1 };
}

/** Hosts GitHub itself serves: images from them load nothing from elsewhere, links to them stay on GitHub. */
function githubHost(host: string): boolean {
  // A URL's host name is already lower case.
  return host === "github.com" || host.endsWith(".github.com") || host === "githubusercontent.com" || host.endsWith(".githubusercontent.com");
}

/** A link or image target that may stay: relative to the repository (not `//host`), or https on a GitHub host. */
function allowedTarget(target: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) {
    try {
      const url = new URL(target);
      return url.protocol === "https:" && url.username === "" && url.password === "" && githubHost(url.hostname);
    } catch {
      return false;
    }
  }
  return true;
}

const BARE_URL = /(?:https?:\/\/|www\.)/i;
const EMAIL = /[A-Za-z0-9._+-]@[A-Za-z0-9-]+\./;
const MENTION = /@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?/y;
// Character references that render as `@` or `:` (a mention, or a URL's scheme, in the rendered text).
const ENTITY = /&(?:#0*64;|#x0*40;|commat;|#0*58;|#x0*3a;|colon;)/iy;

/**
 * Plain text, word by word: a word with a URL or an e-mail address to a
 * host other than GitHub's becomes code as a whole; otherwise `<`, `[` and
 * `]` are escaped and every mention is wrapped in a code span.
 */
function neutraliseWords(text: string): string {
  return text
    .split(/(\s+)/)
    .map((word, k) => (k % 2 === 1 ? word : neutraliseWord(word)))
    .join("");
}

function neutraliseWord(word: string): string {
  if (BARE_URL.test(word) || EMAIL.test(word)) {
    // Kept as written only when the whole word, after emphasis or a parenthesis, is an https URL on a
    // GitHub host: the host is read from the whole word, as GitHub links it (`https://github.com)x.example`
    // is not on GitHub). A word never holds a bare backtick here (each is code or escaped).
    const url = word.replace(/^[(*_~]+/, "");
    if (/^https:\/\//i.test(url) && !/[<>[\]\\@]/.test(word) && allowedTarget(url)) return word;
    return inlineCode(word);
  }
  let out = "";
  // GitHub finds mentions in the rendered text: after a wrapped mention, or after emphasis
  // (`_@x_`), an `@` starts a new run of text. Only a letter or digit that stays next to it hides it.
  let joined = false;
  let i = 0;
  while (i < word.length) {
    const ch = word[i] as string;
    if (ch === "\\" && word[i + 1] === "@") {
      // `\@x` renders as `@x`: a mention like any other.
      i += 1;
      continue;
    }
    if (ch === "\\" && i + 1 < word.length && PUNCTUATION.test(word[i + 1] as string)) {
      out += ch + (word[i + 1] as string);
      joined = false;
      i += 2;
      continue;
    }
    // Sticky: matches only a mention that starts at `i`. The character test first is only a fast path (the
    // pattern starts with `@`): this loop runs on every character of every model text Baton posts.
    if (ch === "@") {
      MENTION.lastIndex = i;
      const m = MENTION.exec(word);
      if (m && !joined) {
        out += `\`${m[0]}\``;
        i += m[0].length;
        continue;
      }
    }
    // `&#64;x` and `&commat;x` render as `@x` too: such entities are shown as written instead (sticky, and a fast path, as above).
    if (ch === "&") {
      ENTITY.lastIndex = i;
      if (ENTITY.test(word)) {
        out += "&amp;";
        i += 1;
        continue;
      }
    }
    out += ch === "<" ? "&lt;" : ch === "[" || ch === "]" ? `\\${ch}` : ch;
    joined = /[A-Za-z0-9]/.test(ch);
    i += 1;
  }
  return out;
}
