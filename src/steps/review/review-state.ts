import { createHash } from "node:crypto";
import { hiddenMarker } from "../../writer/intents.js";
import { headerMarkers } from "../../writer/outgoing-text.js";
import { isSeverity, type Severity } from "./review-schema.js";

/**
 * The review state lives in Baton's own summary comment on the PR (the
 * repository is the database): which commit was last reviewed, and what was
 * already reported, so a push is reviewed incrementally and a finding is
 * reported once, however often the model repeats it.
 */

export const SUMMARY_MARKER = hiddenMarker("review-summary", "pr");

const STATE_PREFIX = "<!-- baton:review-state ";
const STATE_SUFFIX = " -->";

/** Kept bounded so the summary comment stays well under GitHub's 65,536-character limit. */
export const MAX_STATE_FINDINGS = 150;
const MAX_STATE_TITLE = 120;
const MAX_STATE_PATH = 200;

export interface ReviewStateFinding {
  fingerprint: string;
  path: string;
  title: string;
  severity: Severity;
  /** New-side line when reported; lines move, so it is informative only. */
  line?: number;
  /** Head commit of the review that first reported it. */
  sha?: string;
}

export interface ReviewState {
  lastReviewedSha: string;
  findings: ReviewStateFinding[];
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

/** Stable identity of a finding across pushes: path and normalised title, not the line (lines move). */
export function findingFingerprint(f: { path: string; title: string }): string {
  const path = f.path.trim().replace(/^\.?\//, "");
  return createHash("sha256").update(`${path}\n${normaliseTitle(f.title)}`).digest("hex").slice(0, 16);
}

/**
 * The state as a hidden marker. `--` and `>` inside the JSON are written as
 * JSON unicode escapes, so no text in a title or path can close the HTML
 * comment early (and JSON.parse reads them back unchanged).
 */
export function renderReviewState(state: ReviewState): string {
  const kept: ReviewState = {
    lastReviewedSha: state.lastReviewedSha,
    findings: state.findings.slice(-MAX_STATE_FINDINGS).map((f) => ({
      fingerprint: f.fingerprint,
      path: clip(f.path, MAX_STATE_PATH),
      title: clip(f.title, MAX_STATE_TITLE),
      severity: f.severity,
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.sha !== undefined ? { sha: f.sha } : {}),
    })),
  };
  const json = JSON.stringify(kept)
    .replace(/-(?=-)/g, "\\u002d")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
  return `${STATE_PREFIX}${json}${STATE_SUFFIX}`;
}

/**
 * Reads the state back from a summary comment: only from its header (the
 * hidden markers at the top, where Baton writes it), never from text
 * further down, where a file name or a model's words could hold a forged
 * one. Tolerant: no marker or unreadable JSON gives null (the PR is then
 * reviewed whole); a malformed entry is dropped rather than failing the
 * whole state.
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
  return { lastReviewedSha: sha, findings };
}

function readFinding(entry: unknown): ReviewStateFinding | null {
  if (!isRecord(entry)) return null;
  const { fingerprint, path, title, severity, line, sha } = entry;
  if (typeof fingerprint !== "string" || !/^[0-9a-f]{8,64}$/.test(fingerprint)) return null;
  if (typeof path !== "string" || typeof title !== "string" || !isSeverity(severity)) return null;
  const out: ReviewStateFinding = { fingerprint, path, title, severity };
  if (typeof line === "number" && Number.isInteger(line) && line > 0) out.line = line;
  if (typeof sha === "string" && /^[0-9a-f]{7,64}$/i.test(sha)) out.sha = sha;
  return out;
}

/** Display fields only: the fingerprint, not the text, identifies a finding. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
