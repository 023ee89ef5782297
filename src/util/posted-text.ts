/**
 * Text that Baton posts to GitHub (comments, reviews, check runs, PR titles
 * and bodies) often quotes repository-, user- or model-controlled text: file
 * names, branch names, ADR titles, module names, the model's prose. Quoted
 * text is data: it must render as the characters it holds and nothing more —
 * no HTML, no hidden `<!-- baton:… -->` markers, no images, no links, no
 * `@mentions`, no table cells or headings of its own.
 *
 * One function per markdown context, because what is safe depends on where
 * the text lands:
 *
 * - {@link escapeMarkdownInline}: running text, a list item, a heading, a
 *   table cell (it is all of these at once: one line, every markdown
 *   character escaped, pipes included).
 * - {@link inlineCode}: a code span for names people copy (paths, branches),
 *   which survives backticks in the name.
 * - {@link tableCell}: markdown that Baton (or the neutraliser) already made
 *   safe, fitted into a table cell (pipes, newlines).
 *
 * Raw `<`, `>` and `&` never pass through {@link escapeMarkdownInline}: they
 * become entities, so the raw body of a Baton comment holds no `<!--` that
 * came from someone else, and Baton's marker readers cannot be fooled by it.
 *
 * Secrets are a separate concern with one function, {@link redactSecrets}
 * (`redact-secrets.ts`), applied where text leaves Baton.
 */
import { stripInvisible } from "./untrusted-text.js";

export { redactSecrets, type RedactionOptions } from "./redact-secrets.js";

// CommonMark lets any ASCII punctuation be backslash-escaped. These start or
// end an inline construct anywhere in a line: emphasis, code, links and
// images (`[`), tables, strikethrough, math (`$`), and the escape itself.
// Block markers (`#`, `-`, `+`, `=`, `1.`) only matter at the start, and a
// run of `#` only at the end (a heading's closing sequence): escaped there.
const ESCAPED = new Set([..."\\`*_[]|~$"]);

const ENTITIES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/** A word GitHub could turn into a link or a notification: a URL, `www.…`, an e-mail address, an `@mention`. */
const LINKABLE = /:\/\/|www\.|@/i;

/** One line: line breaks (any kind) become spaces; invisible and control characters go. */
function oneLine(text: string): string {
  return stripInvisible(text.replace(/\r\n?|[\n\u2028\u2029\u0085\t\v\f]/g, " "));
}

function escapeWord(word: string): string {
  let out = "";
  for (const ch of word) out += ENTITIES[ch] ?? (ESCAPED.has(ch) ? "\\" + ch : ch);
  return out;
}

/**
 * The first word of the text may land at the start of a line or a list
 * item, where `-`, `+`, `=`, `>` or `1.` / `1)` would open a list, a quote
 * or an underline: its first such character is escaped.
 */
function escapeStart(escaped: string): string {
  const ordered = /^(\d{1,9})([.)])/.exec(escaped);
  if (ordered) return `${ordered[1]}\\${ordered[2]}${escaped.slice(ordered[0].length)}`;
  return /^[-+=#]/.test(escaped) ? `\\${escaped}` : escaped;
}

/**
 * Escape repository-controlled text for any inline markdown context: running
 * text, a heading, a list item or a table cell. The result is one line that
 * GitHub renders as exactly the characters given (invisible and control
 * characters removed, line breaks turned into spaces), with:
 * - every character that opens or closes inline markdown backslash-escaped
 *   (pipes included, so a table cell cannot be split), and a list, quote or
 *   underline marker at the start;
 * - `<`, `>`, `&` as entities (no HTML, no comment, no hidden marker);
 * - each word that GitHub could link or notify from (a URL, `www.…`, an
 *   e-mail address, `@name`, `@org/team`) shown as a code span: GitHub's
 *   autolinks work on the text after escapes are resolved, so escaping does
 *   not stop them, but nothing inside code is linked or notifies anyone.
 *   Words are split at spaces and pipes, so no pipe lands in a code span.
 *
 * One linear pass over the text.
 */
export function escapeMarkdownInline(text: string): string {
  const parts = oneLine(text).split(/( +|\|)/);
  // Words sit at even indexes; the first and last non-empty ones are where block markers and a closing `#` run count.
  const words = parts.flatMap((part, i) => (i % 2 === 0 && part !== "" ? [i] : []));
  const [first, last] = [words[0], words[words.length - 1]];
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part === "|" ? "\\|" : part;
      if (LINKABLE.test(part)) return inlineCode(part);
      if (i === last && /^#+$/.test(part)) return part.replace(/#/g, "\\#");
      const escaped = escapeWord(part);
      return i === first ? escapeStart(escaped) : escaped;
    })
    .join("");
}

/**
 * A heading's text. Same rules as {@link escapeMarkdownInline} (a heading is
 * one inline line; `#` is escaped so none closes the heading early); a
 * separate name so call sites say which context they write.
 */
export function escapeHeading(text: string): string {
  return escapeMarkdownInline(text);
}

/**
 * Repository-controlled text as the whole content of a table cell: escaped
 * as {@link escapeMarkdownInline} (which already escapes `|` and removes line
 * breaks). For markdown that is already safe, use {@link tableCell}.
 */
export function escapeTableCell(text: string): string {
  return escapeMarkdownInline(text);
}

/**
 * Fit markdown that is already safe (Baton's own, {@link inlineCode}
 * output, or model prose after `neutraliseModelText`) into one table cell:
 * line breaks become spaces, and every pipe not already escaped gets a
 * backslash. GFM splits cells on `|` even inside code spans, and removes the
 * backslash of `\|` there, so a code span with a pipe still shows it.
 */
export function tableCell(markdown: string): string {
  const lines = markdown.replace(/\r\n?|[\u2028\u2029]/g, "\n").split("\n");
  const joined = lines.map((l) => l.trim()).filter((l) => l.length > 0).join(" ");
  let out = "";
  let backslashes = 0;
  for (const ch of joined) {
    if (ch === "|" && backslashes % 2 === 0) out += "\\";
    out += ch;
    backslashes = ch === "\\" ? backslashes + 1 : 0;
  }
  return out;
}

/** A code span holding `text` as is: see {@link inlineCode}. */
function codeSpan(text: string): string {
  let longest = 0;
  let run = 0;
  for (const ch of text) {
    run = ch === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = "`".repeat(longest + 1);
  const edge = (c: string): boolean => c === "`" || c === " ";
  const pad = text.trim().length > 0 && (edge(text[0] as string) || edge(text[text.length - 1] as string)) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A code span showing `text` verbatim (one line): the fence is one backtick
 * longer than the longest run of backticks inside, padded with a space when
 * the text starts or ends with a backtick or a space (CommonMark strips one
 * space from each side of such a span). GitHub neither links nor notifies
 * inside code, so URLs and `@mentions` in the text stay inert.
 *
 * A code span shows `<!--` as text, but the raw body would still hold it,
 * and Baton finds its own state by `<!-- baton:` markers in raw bodies. So
 * the span is cut between `<!` and `--`, the two spans joined by an
 * (invisible) zero-width space entity: the raw body never holds `<!--` that
 * came from someone else.
 *
 * In a table cell, pass the result through {@link tableCell} (GFM splits
 * cells on `|` even inside code).
 */
export function inlineCode(text: string): string {
  const line = oneLine(text);
  if (line.length === 0) return "<code></code>";
  const pieces = line.split("<!--");
  return pieces.map((piece, i) => codeSpan((i > 0 ? "--" : "") + piece + (i < pieces.length - 1 ? "<!" : ""))).join("&#8203;");
}

/**
 * A markdown link to a repository path relative to the page it is posted on
 * (`../blob/main/docs/adr/0001-x.md`): the text escaped, every path segment
 * percent-encoded, so a folder or file name cannot end the link, add a
 * title, or point somewhere else (`.` and `..` stay as they are). `encodeURIComponent`
 * leaves `(` and `)` as they are, and an unbalanced `)` ends a markdown link: those are encoded too.
 */
export function relativeLink(text: string, path: string): string {
  const target = path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29")))
    .join("/");
  return `[${escapeMarkdownInline(text)}](${target})`;
}

/**
 * A fenced code block showing `text` as is: the fence is longer than any
 * run of backticks inside, so the text cannot close it early.
 */
export function codeBlock(text: string, info = ""): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/\n$/, "")}\n${fence}`;
}
