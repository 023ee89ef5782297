import type { BatonConfig } from "../../config/config-schema.js";
import type { ResolvedContext } from "../../graph/resolve-context.js";
import { ZERO_USAGE, type ModelClient } from "../../model/model-client.js";
import { hiddenMarker, type CommentIntent, type InlineComment, type Intent, type ReviewIntent } from "../../writer/intents.js";
import { promptBlocks, type RepoRef, type StepOutcome } from "../step-types.js";
import { commentableLines, placeComments } from "./comment-placement.js";
import type { DiffFile } from "./diff-files.js";
import { code, countLabel, renderInlineComment, renderReviewBody, renderSummaryComment, safeText, bySeverity, type RenderedFinding } from "./render-review.js";
import { previousFindingsBlock, REVIEW_SYSTEM, reviewInstruction } from "./review-prompt.js";
import { reviewAnswerSchema, SEVERITY_RANK, type ReviewAnswer, type ReviewFinding } from "./review-schema.js";
import { findingFingerprint, SUMMARY_MARKER, type ReviewState, type ReviewStateFinding } from "./review-state.js";

export interface ReviewStepInput {
  context: ResolvedContext;
  repo: RepoRef;
  pull: { number: number; title: string; headSha: string; baseSha: string };
  /** What is reviewed now: the changes since the last reviewed commit, or the whole PR. */
  diffFiles: DiffFile[];
  incremental: boolean;
  /**
   * What makes this review one review: the head commit, so a redelivered push
   * posts nothing twice; plus the request's cause when a person asked again
   * (`/baton review`), which deserves a review of its own.
   */
  reviewKey?: string;
  /** The state read from Baton's summary comment, if there is one. */
  previous: ReviewState | null;
  config: BatonConfig;
  manifestMarkdown?: string;
}

export const REVIEW_SCHEMA_NAME = "submit_review";
const REVIEW_MAX_TOKENS = 8000;

/** A finding of this run, after de-duplication: the path as the diff spells it, the title neutralised. */
export interface NewFinding extends ReviewFinding {
  fingerprint: string;
}

/**
 * The review step: one model call, then everything else is deterministic.
 * Findings already reported (by fingerprint) are dropped whatever the model
 * says; inline comments go only on lines the diff shows; the rest, and what
 * is over the inline limit, goes in the review body. The summary comment
 * carries the state the next push is reviewed against.
 */
export async function runReviewStep(input: ReviewStepInput, model: ModelClient): Promise<StepOutcome> {
  const { context, pull, diffFiles, config } = input;
  const previous = input.previous?.findings ?? [];
  const reviewable = diffFiles.filter((f) => !f.binary && f.hunks.length > 0);
  if (reviewable.length === 0) {
    // Nothing the model could read: no comment either, so the state keeps the
    // last reviewed commit and the next push's diff still covers this one.
    return {
      intents: [],
      title: diffFiles.length ? `Nothing to review: ${diffFiles.length} file${diffFiles.length === 1 ? "" : "s"} without a readable diff` : "Nothing to review",
      summary: diffFiles.length ? `Changed files had no text diff (binary, or patch omitted by GitHub): ${diffFiles.map((f) => code(f.path)).join(", ")}.` : "No changes since the last review.",
      conclusion: "neutral",
      usage: { ...ZERO_USAGE },
      model: context.step.model,
    };
  }

  const blocks = promptBlocks(context);
  const previousBlock = previousFindingsBlock(previous);
  if (previousBlock) blocks.push(previousBlock);
  const result = await model.generateStructured({
    stepId: "review",
    model: context.step.model,
    system: REVIEW_SYSTEM,
    context: blocks,
    instruction: reviewInstruction({ pullNumber: pull.number, pullTitle: pull.title, incremental: input.incremental, fileCount: diffFiles.length, hasPrevious: previousBlock !== null }),
    schema: reviewAnswerSchema,
    schemaName: REVIEW_SCHEMA_NAME,
    schemaDescription: "Submit the review of the pull request: spec compliance, ADR conformance and findings.",
    maxTokens: REVIEW_MAX_TOKENS,
  });
  const answer = result.value;

  const { fresh, repeated } = dedupeFindings(answer.findings, previous, diffFiles);
  const sinceSha = input.incremental ? input.previous?.lastReviewedSha : undefined;
  const placed = placeFindings(fresh, diffFiles, config.review.maxInlineComments);

  const intents: Intent[] = [];
  // Skip an empty incremental review: nothing new to say on this push, the summary says the rest.
  if (fresh.length > 0 || !input.incremental) {
    const review: ReviewIntent = {
      kind: "review",
      pullNumber: pull.number,
      commitId: pull.headSha,
      marker: hiddenMarker("review", input.reviewKey ?? pull.headSha),
      body: renderReviewBody({
        headSha: pull.headSha,
        ...(sinceSha ? { sinceSha } : {}),
        newFindings: fresh.map(toRendered),
        unplaced: placed.unplaced.map(toRendered),
        overflow: placed.overflow.map(toRendered),
        maxInline: config.review.maxInlineComments,
      }),
      // Always COMMENT, never REQUEST_CHANGES or APPROVE: Baton informs and people
      // decide. A blocking review from a bot would also need a person to dismiss it
      // when the model is wrong; the check run (review.failOn) is the gate, which
      // branch protection can require or not.
      event: "COMMENT",
      comments: placed.inline,
    };
    intents.push(review);
  }

  const state: ReviewState = {
    lastReviewedSha: pull.headSha,
    findings: [...previous, ...fresh.map((f): ReviewStateFinding => ({ fingerprint: f.fingerprint, path: f.path, title: f.title, severity: f.severity, line: f.line, sha: pull.headSha }))],
  };
  const summaryComment: CommentIntent = {
    kind: "comment",
    issueNumber: pull.number,
    marker: SUMMARY_MARKER,
    mode: "upsert",
    body: renderSummaryComment({
      headSha: pull.headSha,
      ...(sinceSha ? { sinceSha } : {}),
      summary: answer.summary,
      specCompliance: answer.specCompliance,
      adrConformance: answer.adrConformance,
      findings: [...previous.map(previousToRendered), ...fresh.map(toRendered)],
      ...(input.manifestMarkdown ? { manifestMarkdown: input.manifestMarkdown } : {}),
      state,
    }),
  };
  intents.push(summaryComment);

  // The gate fails on new findings; a second review of the same commit (a redelivered
  // event, a restart, `/baton review`) must come to the same verdict, so what an earlier
  // review found on this very commit still counts.
  const failing = failingFindings([...fresh, ...previous.filter((f) => f.sha === pull.headSha)], config.review.failOn);
  const files = `${reviewable.length} file${reviewable.length === 1 ? "" : "s"}`;
  return {
    intents,
    title: fresh.length ? `${countLabel(fresh, "new finding")} on ${files}` : `No new findings on ${files}`,
    summary: stepSummary(answer, fresh, repeated, placed, failing.length, config.review.failOn),
    conclusion: failing.length > 0 ? "failure" : "success",
    usage: result.usage,
    model: result.model,
    findings: fresh.map((f) => ({ severity: f.severity, path: f.path, line: f.line, title: f.title, body: f.body, source: f.source })),
    // The terminal shows the same summary a PR would get, without the hidden state.
    reportMarkdown: summaryComment.body.replace(/<!--[\s\S]*?-->\n?/g, "").trim(),
  };
}

/** The findings that fail the check run: at or above `review.failOn`; none when it is "none". */
export function failingFindings<F extends { severity: ReviewFinding["severity"] }>(findings: F[], failOn: BatonConfig["review"]["failOn"]): F[] {
  if (failOn === "none") return [];
  const threshold = SEVERITY_RANK[failOn];
  return findings.filter((f) => SEVERITY_RANK[f.severity] >= threshold);
}

/**
 * Drops findings reported before (by fingerprint: path and normalised
 * visible title) and repeats within the answer. Paths are first matched to the diff's own
 * spelling, so "./src/x.ts" and "src/x.ts" are one finding.
 */
export function dedupeFindings(findings: ReviewFinding[], previous: ReviewStateFinding[], diffFiles: DiffFile[]): { fresh: NewFinding[]; repeated: number } {
  const known = new Set(previous.map((f) => f.fingerprint));
  const paths = new Set(diffFiles.map((f) => f.path));
  const fresh: NewFinding[] = [];
  let repeated = 0;
  for (const finding of findings) {
    const path = diffPath(finding.path, paths);
    // The visible title identifies a finding: it is what the model is shown as already reported.
    const title = safeText(finding.title).replace(/\s+/g, " ").trim() || "Untitled finding";
    const fingerprint = findingFingerprint({ path, title });
    if (known.has(fingerprint)) {
      repeated++;
      continue;
    }
    known.add(fingerprint);
    fresh.push({ ...finding, path, title, fingerprint });
  }
  return { fresh, repeated };
}

function diffPath(path: string, paths: Set<string>): string {
  const trimmed = path.trim();
  if (paths.has(trimmed)) return trimmed;
  for (const candidate of [trimmed.replace(/^\.?\//, ""), trimmed.replace(/^[ab]\//, "")]) if (paths.has(candidate)) return candidate;
  return trimmed.replace(/^\.\//, "");
}

export interface PlacedFindings {
  inline: InlineComment[];
  /** On no line of the diff: listed in the review body. */
  unplaced: NewFinding[];
  /** Placeable, but over `review.maxInlineComments`: listed in the review body. */
  overflow: NewFinding[];
}

/** Most severe first, so the inline limit keeps the findings that matter most. */
export function placeFindings(findings: NewFinding[], diffFiles: DiffFile[], maxInline: number): PlacedFindings {
  const commentable = commentableLines(diffFiles);
  const out: PlacedFindings = { inline: [], unplaced: [], overflow: [] };
  for (const finding of bySeverity(findings)) {
    // One at a time, so each inline comment stays tied to its finding.
    const placement = placeComments([{ path: finding.path, line: finding.line, body: renderInlineComment(finding), severity: finding.severity }], commentable);
    const comment = placement.inline[0];
    if (!comment) out.unplaced.push(finding);
    else if (out.inline.length >= maxInline) out.overflow.push(finding);
    else out.inline.push(comment);
  }
  return out;
}

function toRendered(f: NewFinding): RenderedFinding {
  return { severity: f.severity, path: f.path, line: f.line, title: f.title, body: f.body, source: f.source, isNew: true };
}

function previousToRendered(f: ReviewStateFinding): RenderedFinding {
  return { severity: f.severity, path: f.path, title: f.title, isNew: false, ...(f.line !== undefined ? { line: f.line } : {}), ...(f.sha !== undefined ? { sha: f.sha } : {}) };
}

function stepSummary(answer: ReviewAnswer, fresh: NewFinding[], repeated: number, placed: PlacedFindings, failing: number, failOn: string): string {
  const lines = [safeText(answer.summary), ""];
  lines.push(`- ${countLabel(fresh, "new finding")}: ${placed.inline.length} inline, ${placed.unplaced.length} not on a diff line, ${placed.overflow.length} over the inline limit.`);
  if (repeated) lines.push(`- ${repeated} finding${repeated === 1 ? "" : "s"} already reported on an earlier push: not repeated.`);
  if (failOn !== "none") lines.push(`- ${failing} finding${failing === 1 ? "" : "s"} on this commit at or above \`${failOn}\` (review.failOn).`);
  return lines.join("\n");
}
