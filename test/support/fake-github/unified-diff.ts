/**
 * Line diffs as GitHub shows them: the `patch` of a file of a pull request
 * or comparison (real unified-diff hunks), and the lines of a patch a review
 * comment may land on.
 */

type Op = { kind: "same" | "add" | "del"; text: string };

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === "") return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith("\n");
  const lines = (finalNewline ? text.slice(0, -1) : text).split("\n");
  return { lines, finalNewline };
}

/** Line diff by longest common subsequence (files here are small); a whole replacement past a size bound. */
function diffLines(a: string[], b: string[]): Op[] {
  if (a.length * b.length > 4_000_000) return [...a.map((text): Op => ({ kind: "del", text })), ...b.map((text): Op => ({ kind: "add", text }))];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      ops.push({ kind: "del", text: a[i++]! });
    } else {
      ops.push({ kind: "add", text: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: "del", text: a[i++]! });
  while (j < m) ops.push({ kind: "add", text: b[j++]! });
  return ops;
}

/**
 * The `patch` GitHub gives for one file of a pull request or comparison:
 * unified-diff hunks with 3 lines of context, without the ---/+++ header.
 */
export function unifiedPatch(before: string, after: string, context = 3): { patch: string; additions: number; deletions: number } {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a.lines, b.lines);
  const additions = ops.filter((o) => o.kind === "add").length;
  const deletions = ops.filter((o) => o.kind === "del").length;
  if (additions === 0 && deletions === 0) return { patch: "", additions, deletions };

  // Old and new line numbers (1-based) of each op.
  const numbered: { op: Op; oldLine: number; newLine: number }[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops) {
    numbered.push({ op, oldLine, newLine });
    if (op.kind !== "add") oldLine++;
    if (op.kind !== "del") newLine++;
  }
  // Group changes closer than 2*context into one hunk.
  const changed = numbered.map((x, i) => (x.op.kind === "same" ? -1 : i)).filter((i) => i >= 0);
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * context) last[1] = i;
    else groups.push([i, i]);
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const start = Math.max(0, first - context);
    const end = Math.min(numbered.length - 1, last + context);
    const slice = numbered.slice(start, end + 1);
    const oldCount = slice.filter((x) => x.op.kind !== "add").length;
    const newCount = slice.filter((x) => x.op.kind !== "del").length;
    const oldStart = oldCount === 0 ? slice[0]!.oldLine - 1 : slice.find((x) => x.op.kind !== "add")!.oldLine;
    const newStart = newCount === 0 ? slice[0]!.newLine - 1 : slice.find((x) => x.op.kind !== "del")!.newLine;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const x of slice) out.push(`${x.op.kind === "add" ? "+" : x.op.kind === "del" ? "-" : " "}${x.op.text}`);
    if (end === numbered.length - 1) {
      // Git's marker when the last line of a side has no newline.
      const lastOp = slice[slice.length - 1]!.op;
      if (!b.finalNewline && lastOp.kind !== "del") out.push("\\ No newline at end of file");
      else if (!a.finalNewline && lastOp.kind === "del") out.push("\\ No newline at end of file");
    }
  }
  return { patch: out.join("\n"), additions, deletions };
}

/** New-side line numbers a review comment may use: added and context lines of the hunks. */
export function rightSideLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let right = 0;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      right = Number(hunk[1]);
      continue;
    }
    if (line.startsWith("-") || line.startsWith("\\")) continue;
    if (line.startsWith("+") || line.startsWith(" ")) lines.add(right++);
  }
  return lines;
}

/** Added (`+`) or removed (`-`) lines of a patch, without the ---/+++ header lines. */
export function countPatchLines(patch: string | undefined, sign: "+" | "-"): number {
  if (!patch) return 0;
  return patch.split("\n").filter((l) => l.startsWith(sign) && !l.startsWith(`${sign}${sign}${sign} `)).length;
}

/** New-side line → hunk index, for each line a review comment may use on the RIGHT side. */
export function rightSideHunks(patch: string): Map<number, number> {
  const lines = new Map<number, number>();
  let right = 0;
  let hunk = -1;
  for (const line of patch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      right = Number(header[1]);
      hunk++;
      continue;
    }
    if (line.startsWith("-") || line.startsWith("\\")) continue;
    if (line.startsWith("+") || line.startsWith(" ")) lines.set(right++, hunk);
  }
  return lines;
}

/**
 * Why GitHub would refuse an inline review comment on a file with this
 * patch, as its API says it (null: accepted). Its rules: `line` is in the
 * diff on `side`; a multi-line comment's `start_line` precedes `line`, on
 * the same side, in the same hunk. Only the RIGHT side is modelled.
 */
export function reviewCommentProblem(patch: string | undefined, c: { line: number; side?: string; start_line?: number; start_side?: string }): string | null {
  if (typeof patch !== "string") return "Line could not be resolved";
  const side = c.side ?? "RIGHT";
  if (side !== "RIGHT") return "Line could not be resolved";
  const hunks = rightSideHunks(patch);
  const hunk = hunks.get(c.line);
  if (hunk === undefined) return "Line could not be resolved";
  if (c.start_line === undefined) return null;
  if (!(c.start_line < c.line)) return "pull_request_review_thread.start_line must precede the end line.";
  if ((c.start_side ?? side) !== side) return "pull_request_review_thread.start_side must be the same as side.";
  const startHunk = hunks.get(c.start_line);
  if (startHunk === undefined) return "pull_request_review_thread.start_line must be part of the diff.";
  if (startHunk !== hunk) return "pull_request_review_thread.start_line must be part of the same hunk as the line.";
  return null;
}
