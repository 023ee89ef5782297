import type { DiffFile } from "./diff-files.js";

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

export interface InlineComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

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
