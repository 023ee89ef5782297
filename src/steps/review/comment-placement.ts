import type { InlineComment } from "../../writer/intents.js";
import { fromGitHubFiles, type DiffFile, type GitHubPullFile } from "./diff-files.js";

/**
 * GitHub accepts an inline review comment only on a line that is part of the
 * diff; one bad line makes it reject the whole review with 422. So every
 * finding is checked against the lines the diff shows on the RIGHT (new)
 * side: kept, moved a little, or handed back to go in the review summary.
 */

export interface PlaceableFinding {
  path: string;
  line: number;
  body: string;
  severity?: string;
}

export type { InlineComment };

export interface Placement<F extends PlaceableFinding> {
  inline: InlineComment[];
  /** Findings no diff line can carry: for the summary. */
  unplaced: F[];
}

/** Per path, the new-side lines the diff shows (added and context lines). */
export function commentableLines(files: DiffFile[]): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  for (const file of files) {
    if (file.binary || file.status === "deleted") continue;
    const lines = result.get(file.path) ?? new Set<number>();
    for (const hunk of file.hunks)
      for (const line of hunk.lines) if (line.type !== "del" && line.newLine !== undefined) lines.add(line.newLine);
    if (lines.size > 0) result.set(file.path, lines);
  }
  return result;
}

/** The model may write "./src/x.ts" or "b/src/x.ts" for "src/x.ts". */
function resolvePath(path: string, commentable: Map<string, Set<number>>): string | undefined {
  if (commentable.has(path)) return path;
  const candidates = [path.replace(/^\.?\//, ""), path.replace(/^[ab]\//, "")];
  return candidates.find((candidate) => commentable.has(candidate));
}

/**
 * The line to comment on for a finding at `line`: itself when the diff shows
 * it; else the nearest shown line within `maxDistance` (the closer one, the
 * earlier one on a tie). Shown lines come in runs, one per hunk (hunks are
 * separated by lines the diff does not show), so a nearby line is in the
 * hunk the finding is about.
 */
export function nearestCommentableLine(lines: ReadonlySet<number>, line: number, maxDistance = 3): number | undefined {
  if (!Number.isInteger(line) || line < 1) return undefined;
  if (lines.has(line)) return line;
  for (let distance = 1; distance <= maxDistance; distance++) {
    if (lines.has(line - distance)) return line - distance;
    if (lines.has(line + distance)) return line + distance;
  }
  return undefined;
}

export function placeComments<F extends PlaceableFinding>(
  findings: F[],
  commentable: Map<string, Set<number>>,
  opts: { maxDistance?: number } = {},
): Placement<F> {
  const inline: InlineComment[] = [];
  const unplaced: F[] = [];
  for (const finding of findings) {
    const path = resolvePath(finding.path, commentable);
    const lines = path === undefined ? undefined : commentable.get(path);
    const line = lines ? nearestCommentableLine(lines, finding.line, opts.maxDistance) : undefined;
    if (path === undefined || line === undefined) {
      unplaced.push(finding);
      continue;
    }
    // A moved comment says which line it means: the reader sees it beside a neighbour.
    const body = line === finding.line ? finding.body : `${finding.body}\n\n_(About line ${finding.line}, which is not part of the diff.)_`;
    inline.push({ path, line, side: "RIGHT", body });
  }
  return { inline, unplaced };
}

/** Per path, each new-side line the diff shows, with the index of its hunk: a multi-line comment stays in one hunk. */
export function commentableHunks(files: DiffFile[]): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  for (const file of files) {
    if (file.binary || file.status === "deleted") continue;
    const lines = result.get(file.path) ?? new Map<number, number>();
    file.hunks.forEach((hunk, h) => {
      for (const line of hunk.lines) if (line.type !== "del" && line.newLine !== undefined) lines.set(line.newLine, h);
    });
    if (lines.size > 0) result.set(file.path, lines);
  }
  return result;
}

/**
 * GitHub's rules for an inline comment, as its API applies them: `line` is a
 * line the diff shows on the RIGHT side; a multi-line comment's `start_line`
 * is before `line`, on the same side, in the same hunk.
 */
export function commentFits(comment: Pick<InlineComment, "path" | "line" | "startLine" | "startSide" | "side">, hunks: Map<string, Map<number, number>>): boolean {
  const lines = hunks.get(comment.path);
  const hunk = lines?.get(comment.line);
  if (hunk === undefined) return false;
  if (comment.startLine === undefined) return true;
  return comment.startLine < comment.line && (comment.startSide ?? "RIGHT") === comment.side && lines!.get(comment.startLine) === hunk;
}

/** The comments GitHub would refuse against the pull request's files as they are now. */
export function refusedComments(comments: InlineComment[], pullFiles: GitHubPullFile[]): InlineComment[] {
  const hunks = commentableHunks(fromGitHubFiles(pullFiles));
  return comments.filter((c) => !commentFits(c, hunks));
}

export interface RangePlacement {
  comment: InlineComment;
  /** The comment covers exactly the finding's lines, so a suggestion for them applies. */
  exact: boolean;
}

/**
 * A finding on lines `startLine..line` as an inline comment: the whole
 * range when GitHub allows it (same hunk), else its last line, else the
 * nearest line the diff shows (saying which line it means); null when no
 * line of the diff is near.
 */
export function placeRange(finding: { path: string; startLine?: number; line: number; body: string }, hunks: Map<string, Map<number, number>>, maxDistance = 3): RangePlacement | null {
  const lines = hunks.get(finding.path);
  if (!lines) return null;
  const base = { path: finding.path, side: "RIGHT" as const };
  if (finding.startLine !== undefined && finding.startLine < finding.line) {
    const ranged: InlineComment = { ...base, startLine: finding.startLine, startSide: "RIGHT", line: finding.line, body: finding.body };
    if (commentFits(ranged, hunks)) return { comment: ranged, exact: true };
  }
  const line = nearestCommentableLine(new Set(lines.keys()), finding.line, maxDistance);
  if (line === undefined) return null;
  const exact = line === finding.line && finding.startLine === undefined;
  const about = finding.startLine !== undefined && finding.startLine < finding.line ? `lines ${finding.startLine}–${finding.line}` : `line ${finding.line}`;
  const body = line === finding.line && finding.startLine === undefined ? finding.body : `${finding.body}\n\n_(About ${about}, not all of which GitHub can comment on here.)_`;
  return { comment: { ...base, line, body }, exact };
}
