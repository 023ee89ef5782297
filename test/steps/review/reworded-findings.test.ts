import { describe, expect, it } from "vitest";
import type { ReviewFinding } from "../../../src/steps/review/review-schema.js";
import { similarTitles } from "../../../src/steps/review/review-findings.js";
import { findingFingerprint, findingId, parseReviewState, type FindingStatus, type ReviewState } from "../../../src/steps/review/review-state.js";
import { runReviewStep } from "../../../src/steps/review/review-step.js";
import type { Intent, ReviewIntent } from "../../../src/writer/intents.js";
import { cannedAnswer, FakeModel, FIRST_SHA, stepInput } from "./review-fixtures.js";

/**
 * A model asked again after a push often words a problem it already reported
 * differently. Where it points at the same code of the same file, a finding
 * still open, or one a maintainer dismissed, is not posted again; a
 * different problem at the same code is.
 */

const PATH = "src/billing/invoice.ts";
const CODE = "const rounded = Math.round(sum + tax);";
const TITLE = "Math.round is not half-even";

function previous(status: FindingStatus): ReviewState {
  const fingerprint = findingFingerprint({ path: PATH, title: TITLE, code: CODE });
  return { lastReviewedSha: FIRST_SHA, findings: [{ id: findingId(fingerprint), fingerprint, path: PATH, title: TITLE, code: CODE, severity: "high", line: 45, status, sha: FIRST_SHA }] };
}

const at = (title: string): ReviewFinding => ({ severity: "high", path: PATH, line: 45, code: CODE, confidence: 0.9, title, body: "b", source: "general" });

async function posted(status: FindingStatus, title: string): Promise<{ comments: string[]; summary: string }> {
  const outcome = await runReviewStep(stepInput({ previous: previous(status) }), new FakeModel(cannedAnswer({ findings: [at(title)] })));
  const review = outcome.intents.find((i: Intent): i is ReviewIntent => i.kind === "review");
  return { comments: (review?.comments ?? []).map((c) => `${c.path}:${c.line} ${c.body}`), summary: outcome.summary };
}

describe("a finding reported again in other words", () => {
  it("is not posted again while the first is open, and the summary counts it as already reported", async () => {
    const { comments, summary } = await posted("open", "Rounding with Math.round() is not half-even, as ADR 12 requires");
    expect(comments).toEqual([]);
    expect(summary).toContain("1 finding already reported on an earlier push: not repeated.");
  });

  it("is not posted again after a maintainer dismissed the first", async () => {
    const { comments } = await posted("dismissed", "Totals rounded with Math.round, which is not half-even");
    expect(comments).toEqual([]);
  });

  it("is posted when the first was resolved: the problem came back", async () => {
    const { comments } = await posted("resolved", "Rounding with Math.round() is not half-even");
    expect(comments).toEqual([expect.stringMatching(/^src\/billing\/invoice\.ts:45 [\s\S]*Rounding with Math\.round\(\) is not half-even/)]);
  });

  it("a different problem at the same code is posted", async () => {
    const { comments } = await posted("open", "Floating-point arithmetic on money");
    expect(comments).toEqual([expect.stringMatching(/Floating-point arithmetic on money/)]);
  });

  it("the same words at other code are another finding", async () => {
    const other = { ...at("Math.round is not half-even"), line: 40, code: "let sum = 0;" };
    const outcome = await runReviewStep(stepInput({ previous: previous("open") }), new FakeModel(cannedAnswer({ findings: [other] })));
    const state = parseReviewState(outcome.intents.find((i) => i.kind === "comment")!.body)!;
    expect(state.findings.map((f) => [f.title, f.line, f.status])).toEqual([
      [TITLE, 45, "open"],
      [TITLE, 40, "open"],
    ]);
  });
});

describe("similarTitles", () => {
  it.each([
    ["SQL injection in search", "Search query open to SQL injection", true],
    ["Missing `await` on save()", "missing await on save", true],
    ["N+1 query", "Unbounded query", false],
    ["Missing await on save", "SQL injection in save", false],
    ["Cache key ignores the tenant", "Tenant missing from the cache key", true],
    ["Cache key ignores the tenant id and the locale and the page", "The cache is never invalidated on tenant deletion", false],
  ])("%s / %s: %s", (a, b, same) => {
    expect(similarTitles(a, b)).toBe(same);
    expect(similarTitles(b, a)).toBe(same);
  });
});
