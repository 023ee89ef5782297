import type { DiffFile } from "./diff-files.js";
import { splitFileLines } from "./extend-hunks.js";
import { safeText } from "./render-review.js";
import type { ReviewFinding } from "./review-schema.js";
import { findingFingerprint, findingId, normaliseCode, normaliseTitle, type ReviewStateFinding, type SpecRow } from "./review-state.js";

/**
 * From the model's answer to the findings Baton posts, deterministically:
 * anchored to the code they quote (dropped when that code is not there),
 * de-duplicated against what earlier pushes reported (by path, title and
 * code), and the earlier open findings closed when a push fixed them.
 */

/** A finding of this run, anchored: the path as the diff spells it, the title neutralised, the lines where its code is. */
export interface NewFinding extends ReviewFinding {
  fingerprint: string;
  id: string;
  /** The range the quoted code was found at (startLine < line for several lines). */
  startLine?: number;
  line: number;
}

interface NumberedLine {
  n: number;
  text: string;
}

/** Where quoted code may be found, per path: each hunk's new side, and the whole new file when it was read. */
export type CodeSources = Map<string, NumberedLine[][]>;

export function codeSources(diffFiles: DiffFile[], headFiles: Record<string, string> = {}): CodeSources {
  const sources: CodeSources = new Map();
  for (const file of diffFiles) {
    if (file.binary || file.status === "deleted") continue;
    const runs = file.hunks.map((h) => h.lines.flatMap((l) => (l.newLine === undefined ? [] : [{ n: l.newLine, text: l.content }])));
    const head = headFiles[file.path];
    if (head !== undefined) runs.push(splitFileLines(head).map((text, i) => ({ n: i + 1, text })));
    sources.set(file.path, runs.map((run) => run.map((l) => ({ n: l.n, text: normaliseCode(l.text) })).filter((l) => l.text.length > 0)));
  }
  return sources;
}

/**
 * Where `code` is in `runs`: every quoted line (spacing ignored) contained
 * in consecutive non-blank lines; the match nearest `near` wins.
 */
export function locateCode(runs: NumberedLine[][], code: string, near: number): { start: number; end: number } | null {
  const quoted = normaliseCode(code).split("\n").filter((l) => l.length > 0);
  if (quoted.length === 0) return null;
  let best: { start: number; end: number } | null = null;
  for (const run of runs) {
    for (let i = 0; i + quoted.length <= run.length; i++) {
      if (!quoted.every((q, k) => run[i + k]!.text.includes(q))) continue;
      const found = { start: run[i]!.n, end: run[i + quoted.length - 1]!.n };
      if (!best || Math.abs(found.end - near) < Math.abs(best.end - near)) best = found;
    }
  }
  return best;
}

/** The model may write "./src/x.ts" or "b/src/x.ts" for "src/x.ts". */
export function diffPath(path: string, paths: ReadonlySet<string>): string {
  const trimmed = path.trim();
  if (paths.has(trimmed)) return trimmed;
  for (const candidate of [trimmed.replace(/^\.?\//, ""), trimmed.replace(/^[ab]\//, "")]) if (paths.has(candidate)) return candidate;
  return trimmed.replace(/^\.\//, "");
}

export interface AnchorOutcome {
  fresh: NewFinding[];
  /** Below `review.minConfidence`. */
  unconfident: number;
  /** Their code is not in the diff. */
  unanchored: number;
  /** Reported before (open, resolved with the same code, or dismissed), or twice in this answer. */
  repeated: number;
}

/**
 * Confidence first, then the anchor, then de-duplication: a finding is
 * known when its fingerprint (path, title, code) was reported before, or an
 * open or dismissed finding has the same path, a similar title
 * (`similarTitles`) and one quote holds the other.
 */
export function anchorFindings(findings: ReviewFinding[], previous: ReviewStateFinding[], sources: CodeSources, minConfidence: number): AnchorOutcome {
  const out: AnchorOutcome = { fresh: [], unconfident: 0, unanchored: 0, repeated: 0 };
  const known = new Set(previous.map((f) => f.fingerprint));
  const paths = new Set(sources.keys());
  for (const finding of findings) {
    if (finding.confidence < minConfidence) {
      out.unconfident++;
      continue;
    }
    const path = diffPath(finding.path, paths);
    const range = locateCode(sources.get(path) ?? [], finding.code, finding.line);
    if (!range) {
      out.unanchored++;
      continue;
    }
    // The visible title identifies a finding: it is what the model is shown as already reported.
    const title = safeText(finding.title).replace(/\s+/g, " ").trim() || "Untitled finding";
    const fingerprint = findingFingerprint({ path, title, code: finding.code });
    // Reworded: the same place and nearly the same words as a finding still open, or one a maintainer dismissed (they said no once).
    const sameProblem = previous.some((p) => p.status !== "resolved" && p.path === path && similarTitles(p.title, title) && quotesOverlap(p.code, finding.code));
    if (known.has(fingerprint) || sameProblem) {
      out.repeated++;
      continue;
    }
    known.add(fingerprint);
    const { startLine: _model, ...rest } = finding;
    out.fresh.push({ ...rest, path, title, fingerprint, id: findingId(fingerprint), line: range.end, ...(range.start < range.end ? { startLine: range.start } : {}) });
  }
  return out;
}

/**
 * Two titles for one problem: the same words once normalised, or at least two
 * words of three letters or more in common, making up 60% of the shorter
 * title's words ("SQL injection in search" and "Search query open to SQL
 * injection"). One shared word is not enough: "N+1 query" and "Unbounded
 * query" on the same line are two problems, and a real finding hidden as a
 * repeat costs more than a repeat shown.
 */
export function similarTitles(a: string, b: string): boolean {
  const [x, y] = [normaliseTitle(a), normaliseTitle(b)];
  if (x === y) return true;
  const words = (t: string) => new Set(t.split(" ").filter((w) => w.length >= 3));
  const [wx, wy] = [words(x), words(y)];
  const shared = [...wx].filter((w) => wy.has(w)).length;
  return shared >= 2 && shared >= 0.6 * Math.min(wx.size, wy.size);
}

function quotesOverlap(a: string | undefined, b: string): boolean {
  if (a === undefined) return true;
  const x = normaliseCode(a);
  const y = normaliseCode(b);
  return x.includes(y) || y.includes(x);
}

export interface Closing {
  /** Ids closed as fixed by this push, with who said so: "push" (its code changed or is gone) or "model". */
  resolved: Map<string, "push" | "model">;
  /** Ids dismissed by a maintainer (a resolved review thread, or `/baton dismiss`), with who. */
  dismissed: Map<string, string>;
}

/**
 * Which earlier open findings this push closes. A finding is fixed when its
 * file changed in this push and its code is no longer in the new file (or
 * the file is gone), or when the model says so; dismissals come from people.
 */
export function closeFindings(
  previous: ReviewStateFinding[],
  diffFiles: DiffFile[],
  headFiles: Record<string, string>,
  modelResolved: readonly string[],
  dismissed: ReadonlyMap<string, string>,
): Closing {
  const resolved = new Map<string, "push" | "model">();
  const changed = new Map(diffFiles.map((f) => [f.path, f]));
  const saidByModel = new Set(modelResolved.map((id) => id.trim().toLowerCase()));
  for (const f of previous) {
    if (f.status !== "open" || dismissed.has(f.id)) continue;
    const file = changed.get(f.path);
    const head = headFiles[f.path];
    if (file?.status === "deleted") resolved.set(f.id, "push");
    else if (file && head !== undefined && f.code !== undefined && !locateCode([splitFileLines(head).map((text, i) => ({ n: i + 1, text: normaliseCode(text) })).filter((l) => l.text)], f.code, f.line ?? 1)) resolved.set(f.id, "push");
    else if (saidByModel.has(f.id)) resolved.set(f.id, "model");
  }
  return { resolved, dismissed: new Map([...dismissed].filter(([id]) => previous.some((f) => f.id === id && f.status === "open"))) };
}

/** The state's findings after this review: earlier ones with their new status, then this run's. */
export function nextStateFindings(previous: ReviewStateFinding[], closing: Closing, fresh: NewFinding[], headSha: string): ReviewStateFinding[] {
  const earlier = previous.map((f): ReviewStateFinding => {
    const by = closing.dismissed.get(f.id);
    if (by !== undefined) return { ...f, status: "dismissed", closedSha: headSha, closedBy: by };
    const fix = closing.resolved.get(f.id);
    if (fix !== undefined) return { ...f, status: "resolved", closedSha: headSha, closedBy: fix };
    return f;
  });
  const added = fresh.map(
    (f): ReviewStateFinding => ({
      id: f.id,
      fingerprint: f.fingerprint,
      path: f.path,
      ...(f.startLine !== undefined ? { startLine: f.startLine } : {}),
      line: f.line,
      code: f.code,
      severity: f.severity,
      title: f.title,
      ...(f.lesson?.trim() ? { lesson: safeText(f.lesson).replace(/\s+/g, " ").trim() } : {}),
      status: "open",
      sha: headSha,
    }),
  );
  return [...earlier, ...added];
}

/**
 * The spec table over the whole PR: this push's judgement replaces an
 * earlier row for the same requirement, except "not-applicable" (an
 * incremental review says so of what the push did not touch), which keeps
 * the earlier judgement.
 */
export function mergeSpecRows(previous: SpecRow[], current: SpecRow[], headSha: string): SpecRow[] {
  const key = (r: SpecRow) => normaliseTitle(r.requirement);
  const out = previous.map((r) => ({ ...r }));
  for (const row of current) {
    const i = out.findIndex((r) => key(r) === key(row));
    const fresh = { ...row, sha: headSha };
    if (i < 0) out.push(fresh);
    else if (row.status !== "not-applicable" || out[i]!.status === "not-applicable") out[i] = fresh;
  }
  return out;
}
