import { createHash } from "node:crypto";
import { hiddenMarker } from "../../writer/intents.js";
import { headerMarkers } from "../../writer/outgoing-text.js";
import { isSeverity, type Severity, type SpecRequirement } from "./review-schema.js";

/**
 * The review state lives in Baton's own summary comment on the PR (the
 * repository is the database): which commit was last reviewed, every
 * finding with its status (open until a push fixes it or a maintainer
 * dismisses it), and the spec table judged so far. One readable JSON object
 * in a hidden marker:
 *
 * ```json
 * { "lastReviewedSha": "…",
 *   "findings": [{ "id": "3f2a9c01", "path": "src/a.ts", "startLine": 10, "line": 12,
 *                  "code": "…", "severity": "high", "title": "…", "lesson": "…",
 *                  "status": "open", "sha": "…" }],
 *   "spec": [{ "requirement": "…", "status": "met", "evidence": "…", "sha": "…" }] }
 * ```
 *
 * Other parts of Baton read it (learning turns the lessons of resolved
 * findings into pitfalls on merge): `parseReviewState` is the one reader.
 */

export const SUMMARY_MARKER = hiddenMarker("review-summary", "pr");

const STATE_PREFIX = "<!-- baton:review-state ";
const STATE_SUFFIX = " -->";

/** Kept bounded so the summary comment stays well under GitHub's 65,536-character limit. */
export const MAX_STATE_FINDINGS = 80;
/** The state's JSON stays under this many characters: long fields are clipped first, then the oldest closed findings go, then the oldest open ones. */
const MAX_STATE_CHARS = 30_000;
const MAX_STATE_TITLE = 120;
// A path is how a push finds the finding's file again: kept whole but for absurd lengths (git allows 4096).
const MAX_STATE_PATH = 1024;
const MAX_STATE_CODE = 300;
const MAX_STATE_LESSON = 300;
const MAX_STATE_SPEC = 40;

export const FINDING_STATUSES = ["open", "resolved", "dismissed"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface ReviewStateFinding {
  /** Short stable id (8 hex), shown to people: `/baton dismiss <id>`. */
  id: string;
  /** Identity across pushes: path, normalised title and the anchored code, hashed. */
  fingerprint: string;
  path: string;
  /** New-side lines when reported; lines move, so they are informative only. */
  startLine?: number;
  line?: number;
  /** The code the finding is anchored to, as it was when reported. */
  code?: string;
  severity: Severity;
  title: string;
  /** A rule that generalises beyond this PR: learning proposes it as a pitfall once the finding is resolved. */
  lesson?: string;
  status: FindingStatus;
  /** Head commit of the review that first reported it. */
  sha?: string;
  /** When it stopped being open: the commit, and who or what closed it ("push", "model", "thread", or a login). */
  closedSha?: string;
  closedBy?: string;
}

export interface SpecRow extends SpecRequirement {
  /** Head commit of the review that last judged this requirement. */
  sha?: string;
}

export interface ReviewState {
  lastReviewedSha: string;
  findings: ReviewStateFinding[];
  /** The spec table so far, over every push of the PR. */
  spec?: SpecRow[];
}

/**
 * Titles are compared without case, punctuation, markup or spacing, so
 * "Missing `await` on save()" and "missing await on save" are one finding.
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Code compared without its indentation or inner spacing: re-indenting is not a fix. */
export function normaliseCode(code: string): string {
  return code
    .split("\n")
    .map((l) => l.replace(/\s+/g, " ").trim())
    .filter((l) => l.length > 0)
    .join("\n");
}

/**
 * Stable identity of a finding across pushes: path, normalised title and
 * the normalised code it is anchored to (not the line: lines move). Two
 * problems with the same title at two places are two findings.
 */
export function findingFingerprint(f: { path: string; title: string; code?: string }): string {
  const path = f.path.trim().replace(/^\.?\//, "");
  const code = f.code === undefined ? "" : `\n${normaliseCode(f.code)}`;
  return createHash("sha256").update(`${path}\n${normaliseTitle(f.title)}${code}`).digest("hex").slice(0, 16);
}

export function findingId(fingerprint: string): string {
  return fingerprint.slice(0, 8);
}

/** Findings that still count: for `review.failOn` and for the reader. */
export function openFindings<F extends { status: FindingStatus }>(findings: F[]): F[] {
  return findings.filter((f) => f.status === "open");
}

/**
 * The state as a hidden marker. `--` and `>` inside the JSON are written as
 * JSON unicode escapes, so no text in a title or path can close the HTML
 * comment early (and JSON.parse reads them back unchanged).
 */
export function renderReviewState(state: ReviewState): string {
  // Open findings go last for room: the oldest closed ones go first, then the oldest open ones.
  const open = state.findings.filter((f) => f.status === "open").slice(-MAX_STATE_FINDINGS);
  const room = MAX_STATE_FINDINGS - open.length;
  const closed = room > 0 ? state.findings.filter((f) => f.status !== "open").slice(-room) : [];
  const keep = new Set([...open, ...closed]);
  let findings = state.findings.filter((f) => keep.has(f));
  let json = stateJson(state, findings, 1);
  for (let shrink = 2; json.length > MAX_STATE_CHARS; shrink = Math.min(8, shrink * 2)) {
    const closedLeft = findings.filter((f) => f.status !== "open");
    const drop = new Set((closedLeft.length ? closedLeft : findings).slice(0, Math.ceil((closedLeft.length || findings.length) / 2)));
    if (shrink === 8 || findings.length === 0) findings = findings.filter((f) => !drop.has(f));
    json = stateJson(state, findings, shrink);
    if (findings.length === 0) break;
  }
  return `${STATE_PREFIX}${json}${STATE_SUFFIX}`;
}

function stateJson(state: ReviewState, findings: ReviewStateFinding[], shrink: number): string {
  const kept = {
    lastReviewedSha: state.lastReviewedSha,
    findings: findings.map((f) => ({
      id: f.id,
      fingerprint: f.fingerprint,
      path: clip(f.path, MAX_STATE_PATH),
      // JSON.stringify leaves out a field that is undefined.
      startLine: f.startLine,
      line: f.line,
      ...(f.code !== undefined ? { code: clipCode(f.code, MAX_STATE_CODE / shrink) } : {}),
      severity: f.severity,
      title: clip(f.title, MAX_STATE_TITLE),
      ...(f.lesson !== undefined ? { lesson: clip(f.lesson, MAX_STATE_LESSON / shrink) } : {}),
      status: f.status,
      sha: f.sha,
      closedSha: f.closedSha,
      ...(f.closedBy !== undefined ? { closedBy: clip(f.closedBy, 60) } : {}),
    })),
    ...(state.spec?.length
      ? {
          spec: state.spec.slice(0, MAX_STATE_SPEC).map((r) => ({
            requirement: clip(r.requirement, 300 / shrink),
            status: r.status,
            evidence: clip(r.evidence, 300 / shrink),
            ...(r.sha ? { sha: r.sha } : {}),
          })),
        }
      : {}),
  };
  return JSON.stringify(kept)
    .replace(/-(?=-)/g, "\\u002d")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
}

/**
 * Reads the state back from a summary comment: only from its header (the
 * hidden markers at the top, where Baton writes it), never from text
 * further down, where a file name or a model's words could hold a forged
 * one. Tolerant: no marker or unreadable JSON gives null (the PR is then
 * reviewed whole); a malformed entry is dropped rather than failing the
 * whole state. A state written before findings had a status reads as all open.
 */
export function parseReviewState(commentBody: string): ReviewState | null {
  const marker = headerMarkers(commentBody).find((m) => m.startsWith(STATE_PREFIX));
  if (!marker) return null;
  let data: unknown;
  try {
    data = JSON.parse(marker.slice(STATE_PREFIX.length, -STATE_SUFFIX.length));
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  const sha = data.lastReviewedSha;
  if (typeof sha !== "string" || !/^[0-9a-f]{7,64}$/i.test(sha)) return null;
  const findings: ReviewStateFinding[] = [];
  for (const entry of Array.isArray(data.findings) ? data.findings : []) {
    const f = readFinding(entry);
    if (f) findings.push(f);
  }
  const spec: SpecRow[] = [];
  for (const entry of Array.isArray(data.spec) ? data.spec : []) {
    const row = readSpecRow(entry);
    if (row) spec.push(row);
  }
  return { lastReviewedSha: sha, findings, ...(spec.length ? { spec } : {}) };
}

const SHA = /^[0-9a-f]{7,64}$/i;

function readFinding(entry: unknown): ReviewStateFinding | null {
  if (!isRecord(entry)) return null;
  const { fingerprint, path, title, severity, line, startLine, sha, code, lesson, status, id, closedSha, closedBy } = entry;
  if (typeof fingerprint !== "string" || !/^[0-9a-f]{8,64}$/.test(fingerprint)) return null;
  if (typeof path !== "string" || typeof title !== "string" || !isSeverity(severity)) return null;
  const out: ReviewStateFinding = {
    id: typeof id === "string" && /^[0-9a-f]{8}$/.test(id) ? id : findingId(fingerprint),
    fingerprint,
    path,
    severity,
    title,
    status: (FINDING_STATUSES as readonly unknown[]).includes(status) ? (status as FindingStatus) : "open",
  };
  if (isLine(startLine)) out.startLine = startLine;
  if (isLine(line)) out.line = line;
  if (typeof code === "string") out.code = code;
  if (typeof lesson === "string" && lesson.trim()) out.lesson = lesson;
  if (typeof sha === "string" && SHA.test(sha)) out.sha = sha;
  if (typeof closedSha === "string" && SHA.test(closedSha)) out.closedSha = closedSha;
  if (typeof closedBy === "string") out.closedBy = closedBy;
  return out;
}

function readSpecRow(entry: unknown): SpecRow | null {
  if (!isRecord(entry)) return null;
  const { requirement, status, evidence, sha } = entry;
  if (typeof requirement !== "string" || typeof evidence !== "string") return null;
  if (!["met", "partial", "missing", "not-applicable"].includes(status as string)) return null;
  return { requirement, status: status as SpecRow["status"], evidence, ...(typeof sha === "string" && SHA.test(sha) ? { sha } : {}) };
}

function isLine(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

/** Display fields only: the fingerprint, not the text, identifies a finding. */
function clip(text: string, max: number): string {
  const limit = clipLimit(max);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/**
 * The next push looks for a finding's code in the file to tell whether it was
 * fixed (review-findings.ts): a prefix of the code is found wherever the whole
 * is, while a clipped line ending in "…" is found nowhere and would close the
 * finding as fixed.
 */
function clipCode(code: string, max: number): string {
  return code.slice(0, clipLimit(max));
}

function clipLimit(max: number): number {
  return Math.max(20, Math.floor(max));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
