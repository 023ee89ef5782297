import type { RepoSnapshot } from "../../snapshot/repo-snapshot.js";
import type { DiffFile, DiffHunk, DiffLine } from "./diff-files.js";
import { enclosingBlock, type LineRange } from "./enclosing-block.js";

/**
 * GitHub's diff shows 3 lines around a change: too little to judge it. With
 * the new file's text, each hunk is widened to its enclosing function or
 * class (enclosing-block.ts), or to the whole file when the file is small;
 * hunks that meet are merged. Only unchanged lines are added, each with its
 * old and new line numbers, so the result is still a valid diff of the same
 * change.
 */

export interface ExtendOptions {
  /** A file of at most this many lines is shown whole (0: never). */
  wholeFileLines: number;
  /** Largest enclosing block shown (0: no extension to blocks). */
  enclosingBlockLines: number;
}

export interface ExtendedFile {
  file: DiffFile;
  /** What the manifest says, e.g. "sent whole (120 lines)"; absent when nothing was added. */
  detail?: string;
  /** Lines of context added beyond the diff's own. */
  addedLines: number;
}

export function splitFileLines(text: string): string[] {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The hunk's new-side span: its first and last new line numbers. */
function newSpan(hunk: DiffHunk): LineRange | null {
  const numbers = hunk.lines.flatMap((l) => (l.newLine === undefined ? [] : [l.newLine]));
  if (numbers.length === 0) return null;
  return { start: Math.min(...numbers), end: Math.max(...numbers) };
}

/** What changed in the hunk on the new side; a pure deletion is located between its neighbours. */
function changedSpan(hunk: DiffHunk): LineRange {
  const added = hunk.lines.flatMap((l) => (l.type === "add" && l.newLine !== undefined ? [l.newLine] : []));
  if (added.length) return { start: Math.min(...added), end: Math.max(...added) };
  const i = hunk.lines.findIndex((l) => l.type === "del");
  const before = hunk.lines.slice(0, Math.max(0, i)).reverse().find((l) => l.newLine !== undefined)?.newLine;
  const after = hunk.lines.slice(Math.max(0, i)).find((l) => l.newLine !== undefined)?.newLine;
  const at = before ?? after ?? hunk.newStart;
  return { start: at, end: after ?? at };
}

/** The diff's lines agree with the file: otherwise the text is not this change's new side, and nothing is added. */
function matchesFile(file: DiffFile, lines: string[]): boolean {
  return file.hunks.every((h) =>
    h.lines.every((l) => l.newLine === undefined || (lines[l.newLine - 1] ?? null) === (l.content.endsWith("\r") ? l.content.slice(0, -1) : l.content)),
  );
}

export function extendFile(file: DiffFile, newText: string | undefined, opts: ExtendOptions): ExtendedFile {
  if (newText === undefined || file.binary || file.status === "deleted" || file.hunks.length === 0) return { file, addedLines: 0 };
  const lines = splitFileLines(newText);
  if (!matchesFile(file, lines)) return { file, addedLines: 0, detail: "not extended: the file read at the head does not match the diff" };
  const whole = opts.wholeFileLines > 0 && lines.length <= opts.wholeFileLines;

  const hunks = [...file.hunks].sort((a, b) => a.newStart - b.newStart);
  let blocks = 0;
  const wanted = hunks.map((h): LineRange => {
    const span = newSpan(h) ?? { start: h.newStart, end: h.newStart };
    if (whole) return { start: 1, end: lines.length };
    const block = enclosingBlock(lines, changedSpan(h), opts.enclosingBlockLines);
    if (!block || (block.start >= span.start && block.end <= span.end)) return span;
    blocks++;
    return { start: Math.min(block.start, span.start), end: Math.max(block.end, span.end) };
  });

  const out: DiffHunk[] = [];
  let current: DiffLine[] | null = null;
  let emittedTo = 0; // last new line emitted
  let delta = 0; // new minus old line numbers, outside hunks, before the current hunk
  let added = 0;
  const context = (from: number, to: number) => {
    const made: DiffLine[] = [];
    for (let n = from; n <= to; n++) made.push({ type: "context", content: lines[n - 1] ?? "", newLine: n, oldLine: n - delta });
    added += made.length;
    return made;
  };
  hunks.forEach((hunk, i) => {
    const span = newSpan(hunk) ?? { start: hunk.newStart, end: hunk.newStart - 1 };
    const want = wanted[i]!;
    const prefixFrom = Math.max(want.start, emittedTo + 1);
    if (current && prefixFrom <= emittedTo + 1) {
      current.push(...context(emittedTo + 1, span.start - 1));
    } else {
      if (current) out.push(toHunk(current, file.hunks.length));
      current = context(prefixFrom, span.start - 1);
    }
    current.push(...hunk.lines);
    delta += hunk.newLines - hunk.oldLines;
    emittedTo = Math.max(emittedTo, span.end);
    const next = hunks[i + 1];
    const suffixTo = Math.min(want.end, next ? (newSpan(next)?.start ?? next.newStart) - 1 : lines.length);
    if (suffixTo > emittedTo) {
      current.push(...context(emittedTo + 1, suffixTo));
      emittedTo = suffixTo;
    }
  });
  if (current) out.push(toHunk(current, file.hunks.length));
  if (added === 0) return { file, addedLines: 0 };
  const detail = whole ? `sent whole (${lines.length} lines)` : `${blocks} of ${hunks.length} hunk${hunks.length === 1 ? "" : "s"} extended to the enclosing block (+${added} lines)`;
  return { file: { ...file, hunks: out }, detail, addedLines: added };
}

function toHunk(lines: DiffLine[], originalCount: number): DiffHunk {
  const oldNumbers = lines.flatMap((l) => (l.oldLine === undefined ? [] : [l.oldLine]));
  const newNumbers = lines.flatMap((l) => (l.newLine === undefined ? [] : [l.newLine]));
  const oldStart = oldNumbers[0] ?? 0;
  const newStart = newNumbers[0] ?? 0;
  const note = originalCount > 0 ? " context extended by Baton" : "";
  return {
    header: `@@ -${oldStart},${oldNumbers.length} +${newStart},${newNumbers.length} @@${note}`,
    oldStart,
    oldLines: oldNumbers.length,
    newStart,
    newLines: newNumbers.length,
    lines,
  };
}

/** Changed files whose new side is worth reading: text, not deleted, at most this size. */
const MAX_HEAD_FILE_BYTES = 200_000;
const MAX_HEAD_FILES = 300;

/**
 * The new side of the changed files, read at the head commit (path → text).
 * Bounded in count and size; a file that cannot be read is simply not extended.
 */
export async function readHeadFiles(head: RepoSnapshot, files: DiffFile[]): Promise<Record<string, string>> {
  const wanted = new Set(files.filter((f) => !f.binary && f.status !== "deleted" && f.hunks.length > 0).map((f) => f.path));
  const entries = (await head.listFiles()).filter((e) => wanted.has(e.path) && (e.size ?? 0) <= MAX_HEAD_FILE_BYTES).slice(0, MAX_HEAD_FILES);
  const blobs = await head.readFiles(entries.map((e) => e.path));
  const out: Record<string, string> = {};
  for (const [path, blob] of blobs) if (blob.text !== null) out[path] = blob.text;
  return out;
}
