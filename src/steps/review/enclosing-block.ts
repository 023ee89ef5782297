/**
 * The function or class around a change, found by a language-agnostic
 * heuristic over indentation and brackets (ADR 0013): no parser, so it
 * works the same for every language a repository holds, costs one linear
 * scan, and cannot fail on code a parser does not know. When it finds no
 * convincing block (top-level code, a block over the size limit) it says
 * so, and the hunk keeps the context the diff had.
 */

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

const TAB_WIDTH = 4;

function indentOf(line: string): number | undefined {
  if (line.trim() === "") return undefined;
  let width = 0;
  for (const ch of line) {
    if (ch === " ") width += 1;
    else if (ch === "\t") width += TAB_WIDTH - (width % TAB_WIDTH);
    else break;
  }
  return width;
}

// A declaration that opens a block, in the common languages: keywords, modifiers, arrow functions, and
// C-family signatures (`int parse(const char *s) {`). Control flow (`if`, `for`) is not a header: the
// search goes on outward to the function that holds it. Every test is linear in the line's length.
const KEYWORD = /\b(function|def|class|fn|func|fun|sub|interface|struct|impl|trait|enum|module|namespace|procedure|constructor)\b/;
const MODIFIER = /^\s*(public|private|protected|internal|static|async|export|override|virtual|abstract|final|pub|defp?|macro)\b/;
const ARROW = /=>\s*[{(]?$/;
const CONTROL = new Set(["if", "else", "for", "while", "switch", "catch", "return", "do", "try", "with", "elif", "unless", "until", "case", "when", "match", "foreach", "using", "lock", "await", "yield", "new", "throw", "delete", "typeof"]);
const TYPE_WORD = /^[\w$.<>[\],*&:]+$/;

/** Only a line's start is looked at: a minified line of megabytes costs no more than a short one. */
const HEADER_CHARS = 300;

export function isDeclaration(line: string): boolean {
  const head = line.slice(0, HEADER_CHARS);
  if (KEYWORD.test(head) || MODIFIER.test(head) || ARROW.test(head.trimEnd())) return true;
  const text = head.trim();
  if (text.endsWith(";") || text.endsWith(",")) return false;
  const paren = text.indexOf("(");
  if (paren <= 0) return false;
  const words = text.slice(0, paren).trim().split(/\s+/);
  // `foo(x);` is a call; `int foo(`, `void Foo::bar(` and a method `count() {` are signatures.
  if (CONTROL.has(words[0]!) || !words.every((w) => TYPE_WORD.test(w))) return false;
  return words.length >= 2 || text.endsWith("{");
}

const CLOSER = /^\s*([}\])]|end\b|<\/|fi\b|done\b|esac\b)/;
const ANNOTATION = /^\s*(@|#\[|\[[A-Z])/;

/**
 * The enclosing block of `range` in `lines` (the new file, one string per
 * line): from its header (with annotations such as `@Override` above it)
 * to its closing line. Null when the changed lines are at the top level, or
 * the block has more than `maxLines` lines.
 */
export function enclosingBlock(lines: readonly string[], range: LineRange, maxLines: number): LineRange | null {
  if (maxLines <= 0 || lines.length === 0) return null;
  const at = (n: number) => lines[n - 1] ?? "";
  const start = Math.max(1, Math.min(range.start, lines.length));
  const end = Math.max(start, Math.min(range.end, lines.length));

  let target = Infinity;
  for (let n = start; n <= end; n++) target = Math.min(target, indentOf(at(n)) ?? Infinity);
  if (target === Infinity) target = nearestIndent(lines, start, end) ?? 0;

  // A change that starts a block (a new or edited signature) is enclosed by that block itself.
  const header = isDeclaration(at(start)) && indentOf(at(start)) === target ? start : findHeader(lines, start, target);
  if (header === null) return null;

  const headerIndent = indentOf(at(header)) ?? 0;
  let last = Math.max(end, header);
  let close = lines.length;
  for (let n = last + 1; n <= lines.length; n++) {
    const indent = indentOf(at(n));
    if (indent === undefined) continue;
    if (indent <= headerIndent) {
      close = CLOSER.test(at(n)) ? n : lastNonBlank(lines, n - 1, last);
      break;
    }
    last = n;
    close = n;
  }
  let first = header;
  while (first > 1 && ANNOTATION.test(at(first - 1)) && indentOf(at(first - 1)) === headerIndent) first--;
  const block = { start: first, end: Math.max(close, end) };
  // A one-line declaration (`export const x = 1;`) encloses nothing more than the change.
  if (block.start >= start && block.end <= end) return null;
  return block.end - block.start + 1 <= maxLines ? block : null;
}

/** The nearest less-indented declaration above `start`; control-flow lines are passed through outward. */
function findHeader(lines: readonly string[], start: number, target: number): number | null {
  let indent = target;
  let outermost: number | null = null;
  for (let n = start - 1; n >= 1 && indent > 0; n--) {
    const line = lines[n - 1] ?? "";
    const i = indentOf(line);
    if (i === undefined || i >= indent) continue;
    let candidate = n;
    // A lone `{` or a `) {` after a signature that spans lines: the header is where the signature starts.
    if (/^\s*[{)\]]/.test(line)) {
      for (let m = n - 1; m >= 1 && m >= n - 8; m--) {
        const above = lines[m - 1] ?? "";
        const aboveIndent = indentOf(above);
        const text = above.trim();
        if (aboveIndent === undefined || aboveIndent < i || /[;{}]$/.test(text)) break;
        candidate = m;
      }
      n = candidate;
    }
    if (isDeclaration(lines[candidate - 1] ?? "")) return candidate;
    outermost = candidate;
    indent = i;
  }
  return outermost;
}

function nearestIndent(lines: readonly string[], start: number, end: number): number | undefined {
  for (let d = 1; d < lines.length; d++) {
    const after = indentOf(lines[end - 1 + d] ?? "");
    if (after !== undefined) return after;
    const before = start - 1 - d >= 0 ? indentOf(lines[start - 1 - d] ?? "") : undefined;
    if (before !== undefined) return before;
  }
  return undefined;
}

function lastNonBlank(lines: readonly string[], from: number, floor: number): number {
  for (let n = from; n > floor; n--) if (indentOf(lines[n - 1] ?? "") !== undefined) return n;
  return floor;
}
