import type { BatonConfig } from "../../config/config-schema.js";
import type { ResolvedContext } from "../../graph/resolve-context.js";
import { addUsage, ZERO_USAGE, type ModelClient } from "../../model/model-client.js";
import { hiddenMarker, type CommentIntent, type InlineComment, type Intent, type ReviewIntent } from "../../writer/intents.js";
import { promptBlocks, type RepoRef, type StepOutcome } from "../step-types.js";
import { commentableHunks, placeRange } from "./comment-placement.js";
import type { DiffFile } from "./diff-files.js";
import { bySeverity, code, countLabel, renderedFromState, renderInlineComment, renderReviewBody, renderSummaryComment, safeText, type RenderedFinding } from "./render-review.js";
import { anchorFindings, closeFindings, codeSources, mergeSpecRows, nextStateFindings, type AnchorOutcome, type Closing, type NewFinding } from "./review-findings.js";
import { previousFindingsBlock, REVIEW_SYSTEM, reviewInstruction } from "./review-prompt.js";
import { reviewAnswerSchema, SEVERITY_RANK, type ReviewAnswer, type ReviewFinding } from "./review-schema.js";
import { openFindings, SUMMARY_MARKER, type ReviewState, type ReviewStateFinding } from "./review-state.js";
import { verifyFindings } from "./verify-findings.js";

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
  /** The new side of the changed files (path → text): anchors findings, and tells whether earlier ones were fixed. */
  headFiles?: Record<string, string>;
  /** The whole pull request's files, for placing inline comments (defaults to `diffFiles`). */
  pullFiles?: DiffFile[];
  /** Earlier findings a maintainer dismissed since the last review (resolved thread): id → who. */
  dismissed?: ReadonlyMap<string, string>;
}

export const REVIEW_SCHEMA_NAME = "submit_review";
const REVIEW_MAX_TOKENS = 8000;

export type { NewFinding } from "./review-findings.js";

/**
 * The review step: one model call (and a second to verify high and
 * critical findings), then everything else is deterministic. Findings are
 * anchored to the code they quote, de-duplicated against earlier pushes,
 * and earlier ones closed when this push fixed them; inline comments go
 * only on lines the pull request's diff shows; the rest, and what is over
 * the inline limit, goes in the review body. The summary comment carries
 * the state the next push is reviewed against.
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
  const previousBlock = previousFindingsBlock(openFindings(previous));
  if (previousBlock) blocks.push(previousBlock);
  const result = await model.generateStructured({
    stepId: "review",
    model: context.step.model,
    system: REVIEW_SYSTEM,
    context: blocks,
    instruction: reviewInstruction({ pullNumber: pull.number, pullTitle: pull.title, incremental: input.incremental, fileCount: diffFiles.length, hasPrevious: previousBlock !== null }),
    schema: reviewAnswerSchema,
    schemaName: REVIEW_SCHEMA_NAME,
    schemaDescription: "Submit the review of the pull request: findings first, then spec compliance, ADR conformance and the verdict.",
    maxTokens: REVIEW_MAX_TOKENS,
  });
  const answer = result.value;
  let usage = result.usage;

  const headFiles = input.headFiles ?? {};
  const anchored = anchorFindings(answer.findings, previous, codeSources(diffFiles, headFiles), config.review.minConfidence);
  let fresh = anchored.fresh;
  let removed: { finding: NewFinding; reason: string }[] = [];
  if (config.review.verify) {
    const verification = await verifyFindings(fresh, { model, modelName: context.step.model, system: REVIEW_SYSTEM, context: blocks });
    fresh = verification.kept;
    removed = verification.removed;
    usage = addUsage(usage, verification.usage);
  }

  const closing = closeFindings(previous, diffFiles, headFiles, answer.resolved, input.dismissed ?? new Map());
  const spec = mergeSpecRows(input.previous?.spec ?? [], answer.specCompliance, pull.headSha);
  const state: ReviewState = { lastReviewedSha: pull.headSha, findings: nextStateFindings(previous, closing, fresh, pull.headSha), spec };
  const sinceSha = input.incremental ? input.previous?.lastReviewedSha : undefined;
  // Comments are placed against the whole pull request's diff: that is what GitHub resolves lines against.
  const placed = placeFindings(fresh, input.pullFiles ?? diffFiles, config.review.maxInlineComments);

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

  const summaryComment: CommentIntent = {
    kind: "comment",
    issueNumber: pull.number,
    marker: SUMMARY_MARKER,
    mode: "upsert",
    body: renderSummaryComment({
      headSha: pull.headSha,
      ...(sinceSha ? { sinceSha } : {}),
      summary: answer.summary,
      specCompliance: spec,
      adrConformance: answer.adrConformance,
      findings: state.findings.map((f) => stateToRendered(f, fresh)),
      ...(input.manifestMarkdown ? { manifestMarkdown: input.manifestMarkdown } : {}),
      state,
    }),
  };
  intents.push(summaryComment);

  // The gate counts every finding still open, whichever push reported it: an unfixed critical
  // finding keeps the check failing; a fix or a dismissal turns it green.
  const failing = failingFindings(openFindings(state.findings), config.review.failOn);
  const files = `${reviewable.length} file${reviewable.length === 1 ? "" : "s"}`;
  const open = openFindings(state.findings).length;
  return {
    intents,
    title: fresh.length ? `${countLabel(fresh, "new finding")} on ${files}, ${open} open` : `No new findings on ${files}, ${open} open`,
    summary: stepSummary({ answer, fresh, anchored, removed, closing, placed, failing: failing.length, failOn: config.review.failOn, minConfidence: config.review.minConfidence }),
    conclusion: failing.length > 0 ? "failure" : "success",
    usage,
    model: result.model,
    findings: fresh.map((f) => ({
      id: f.id,
      severity: f.severity,
      path: f.path,
      startLine: f.startLine,
      line: f.line,
      code: f.code,
      confidence: f.confidence,
      title: f.title,
      body: f.body,
      source: f.source,
      ...(f.lesson ? { lesson: f.lesson } : {}),
    })),
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

export interface PlacedFindings {
  inline: InlineComment[];
  /** On no line of the diff: listed in the review body. */
  unplaced: NewFinding[];
  /** Placeable, but over `review.maxInlineComments`: listed in the review body. */
  overflow: NewFinding[];
}

/** Most severe first, so the inline limit keeps the findings that matter most. */
export function placeFindings(findings: NewFinding[], diffFiles: DiffFile[], maxInline: number): PlacedFindings {
  const hunks = commentableHunks(diffFiles);
  const out: PlacedFindings = { inline: [], unplaced: [], overflow: [] };
  for (const finding of bySeverity(findings)) {
    const placement = placeRange({ path: finding.path, line: finding.line, body: "", startLine: finding.startLine }, hunks);
    if (!placement) out.unplaced.push(finding);
    else if (out.inline.length >= maxInline) out.overflow.push(finding);
    else {
      const body = renderInlineComment(finding, { exact: placement.exact });
      out.inline.push({ ...placement.comment, body: placement.comment.body ? `${body}${placement.comment.body}` : body });
    }
  }
  return out;
}

function toRendered(f: NewFinding): RenderedFinding {
  return {
    id: f.id,
    severity: f.severity,
    path: f.path,
    line: f.line,
    startLine: f.startLine,
    title: f.title,
    body: f.body,
    source: f.source,
    isNew: true,
    status: "open",
  };
}

function stateToRendered(f: ReviewStateFinding, fresh: NewFinding[]): RenderedFinding {
  const mine = fresh.find((x) => x.id === f.id);
  return mine ? toRendered(mine) : renderedFromState(f);
}

interface SummaryFacts {
  answer: ReviewAnswer;
  fresh: NewFinding[];
  anchored: AnchorOutcome;
  removed: { finding: NewFinding; reason: string }[];
  closing: Closing;
  placed: PlacedFindings;
  failing: number;
  failOn: string;
  minConfidence: number;
}

function stepSummary(x: SummaryFacts): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const lines = [safeText(x.answer.summary), ""];
  lines.push(`- ${countLabel(x.fresh, "new finding")}: ${x.placed.inline.length} inline, ${x.placed.unplaced.length} not on a diff line, ${x.placed.overflow.length} over the inline limit.`);
  if (x.anchored.unconfident) lines.push(`- ${plural(x.anchored.unconfident, "finding")} below review.minConfidence (${x.minConfidence}): dropped.`);
  if (x.anchored.unanchored) lines.push(`- ${plural(x.anchored.unanchored, "finding")} whose quoted code is not in the diff: dropped.`);
  if (x.anchored.repeated) lines.push(`- ${plural(x.anchored.repeated, "finding")} already reported on an earlier push: not repeated.`);
  if (x.removed.length) {
    lines.push(`- Verification removed ${plural(x.removed.length, "finding")}:`);
    for (const r of x.removed) lines.push(`  - ${code(r.finding.path)} **${safeText(r.finding.title)}**: ${safeText(r.reason)}`);
  }
  if (x.closing.resolved.size) lines.push(`- ${plural(x.closing.resolved.size, "earlier finding")} resolved by this push.`);
  if (x.closing.dismissed.size) lines.push(`- ${plural(x.closing.dismissed.size, "earlier finding")} dismissed by a maintainer.`);
  if (x.failOn !== "none") lines.push(`- ${plural(x.failing, "open finding")} at or above \`${x.failOn}\` (review.failOn).`);
  return lines.join("\n");
}
