import { describe, expect, it } from "vitest";
import type { CommentIntent, Intent, ReviewIntent } from "../../../src/writer/intents.js";
import { ZERO_USAGE } from "../../../src/model/model-client.js";
import type { DiffFile } from "../../../src/steps/review/diff-files.js";
import type { ReviewFinding } from "../../../src/steps/review/review-schema.js";
import { findingFingerprint, findingId, type ReviewState, type ReviewStateFinding } from "../../../src/steps/review/review-state.js";
import { runReviewStep } from "../../../src/steps/review/review-step.js";
import { cannedAnswer, FakeModel, FIRST_SHA, prDiffFiles, stepInput, withReview } from "./review-fixtures.js";

/**
 * What a review shows besides its comments: the check run's title and
 * summary (on GitHub), the terminal report and findings of `baton review`
 * (the CLI), and the wording of the review body. Each line of the check
 * run's summary appears only when it has something to say.
 */

const reviewOf = (intents: Intent[]) => intents.find((i): i is ReviewIntent => i.kind === "review");
const summaryOf = (intents: Intent[]) => intents.find((i): i is CommentIntent => i.kind === "comment")!;

const finding = (over: Partial<ReviewFinding>): ReviewFinding => ({
  severity: "medium",
  path: "src/billing/invoice.ts",
  line: 44,
  code: "const tax = sum * TAX_RATE;",
  confidence: 0.9,
  title: "A problem",
  body: "b",
  source: "general",
  ...over,
});

function earlier(title: string, code: string, severity: ReviewStateFinding["severity"] = "medium"): ReviewStateFinding {
  const fingerprint = findingFingerprint({ path: "src/billing/invoice.ts", title, code });
  return { id: findingId(fingerprint), fingerprint, path: "src/billing/invoice.ts", line: 44, code, severity, title, status: "open", sha: FIRST_SHA };
}

/** invoice.ts at the head: the diff's lines at 40–49, and a constant at line 60, far from any hunk. */
function invoiceAtHead(): string {
  const lines = Array.from({ length: 59 }, (_, i) => `// line ${i + 1}`);
  for (const hunk of prDiffFiles()[0]!.hunks) for (const l of hunk.lines) if (l.newLine !== undefined) lines[l.newLine - 1] = l.content;
  lines.push("export const LIMIT = 10;");
  return `${lines.join("\n")}\n`;
}

const binary = (path: string): DiffFile => ({ path, status: "modified", binary: true, additions: 0, deletions: 0, hunks: [] });
const omitted = (path: string): DiffFile => ({ path, status: "modified", binary: false, additions: 4000, deletions: 0, hunks: [], patchOmitted: "patch omitted by GitHub" });

describe("the summary comment", () => {
  it("carries the marker every Baton version has used, so the comment already on a pull request is updated in place", async () => {
    const outcome = await runReviewStep(stepInput(), new FakeModel(cannedAnswer({ findings: [] })));
    const summary = summaryOf(outcome.intents);
    expect(summary).toMatchObject({ marker: "<!-- baton:review-summary pr -->", mode: "upsert", issueNumber: 15 });
    expect(summary.body.startsWith("<!-- baton:review-summary pr -->\n<!-- baton:review-state {")).toBe(true);
  });
});

describe("the check run of a review with nothing to read", () => {
  it("says there were no changes, without calling the model or spending tokens", async () => {
    const model = new FakeModel(cannedAnswer());
    const outcome = await runReviewStep(stepInput({ diffFiles: [] }), model);
    expect(model.requests).toEqual([]);
    expect(outcome).toMatchObject({ title: "Nothing to review", summary: "No changes since the last review.", conclusion: "neutral", intents: [] });
    expect(outcome.usage).toEqual(ZERO_USAGE);
  });

  it("names the files without a readable diff: binary, or a patch GitHub left out", async () => {
    const model = new FakeModel(cannedAnswer());
    const one = await runReviewStep(stepInput({ diffFiles: [binary("img/logo.png")] }), model);
    expect(one.title).toBe("Nothing to review: 1 file without a readable diff");
    expect(one.summary).toBe("Changed files had no text diff (binary, or patch omitted by GitHub): `img/logo.png`.");
    const two = await runReviewStep(stepInput({ diffFiles: [binary("img/logo.png"), omitted("data/big.json")] }), model);
    expect(two.title).toBe("Nothing to review: 2 files without a readable diff");
    expect(two.summary).toBe("Changed files had no text diff (binary, or patch omitted by GitHub): `img/logo.png`, `data/big.json`.");
    expect(model.requests).toEqual([]);
  });

  it("reviews the readable files of a push that also changed unreadable ones, and counts only those", async () => {
    const model = new FakeModel(cannedAnswer({ findings: [] }));
    const outcome = await runReviewStep(stepInput({ diffFiles: [binary("img/logo.png"), prDiffFiles()[1]!, omitted("data/big.json")] }), model);
    expect(model.requests).toHaveLength(1);
    expect(outcome.title).toBe("No new findings on 1 file, 0 open");
  });
});

describe("the check run's summary", () => {
  it("is the model's verdict and one line of counts when there is nothing else to say", async () => {
    const outcome = await runReviewStep(stepInput({ config: withReview({ failOn: "none" }) }), new FakeModel(cannedAnswer({ summary: "Fine.", findings: [] })));
    expect(outcome.summary).toBe("Fine.\n\n- 0 new findings: 0 inline, 0 not on a diff line, 0 over the inline limit.");
    expect(outcome.title).toBe("No new findings on 2 files, 0 open");
  });

  it("accounts for every finding: dropped, repeated, refuted, placed, and the earlier ones closed", async () => {
    const roundingCode = "const rounded = Math.round(sum + tax);";
    const fixedByPush = earlier("Math.round is not half-even", roundingCode, "high");
    const dismissedOne = earlier("Tax computed on a float", "const tax = sum * TAX_RATE;");
    const stillOpen = earlier("Quantity times price may overflow", "sum += line.quantity * line.unitPrice * 1.0;");
    const previous: ReviewState = { lastReviewedSha: FIRST_SHA, findings: [fixedByPush, dismissedOne, stillOpen] };
    const sql = cannedAnswer().findings[0]!;
    const answer = cannedAnswer({
      summary: "Mostly there. Ask @octocat.",
      resolved: [fixedByPush.id],
      findings: [
        finding({ title: "A guess", confidence: 0.2 }),
        finding({ title: "Not in the diff", code: "callSomethingElse();" }),
        finding({ title: "Quantity times price may overflow", line: 42, code: stillOpen.code! }),
        sql,
        finding({ title: "Money kept in a float", severity: "medium", line: 42, code: stillOpen.code! }),
        finding({ title: "Limit is hard-coded", severity: "low", line: 60, code: "export const LIMIT = 10;" }),
      ],
    });
    const sqlId = findingId(findingFingerprint({ path: sql.path, title: sql.title, code: sql.code }));
    const model = new FakeModel(answer, [{ id: sqlId, verdict: "refuted", reason: "db.query escapes its argument here." }]);
    const input = stepInput({ previous, incremental: true, headFiles: { "src/billing/invoice.ts": invoiceAtHead() }, dismissed: new Map([[dismissedOne.id, "lead"]]), config: withReview({ failOn: "medium" }) });
    const outcome = await runReviewStep(input, model);

    expect(outcome.summary).toBe(
      [
        "Mostly there. Ask `@octocat`.",
        "",
        "- 2 new findings (1 medium, 1 low): 1 inline, 1 not on a diff line, 0 over the inline limit.",
        "- 1 finding below review.minConfidence (0.5): dropped.",
        "- 1 finding whose quoted code is not in the diff: dropped.",
        "- 1 finding already reported on an earlier push: not repeated.",
        "- Verification removed 1 finding:",
        "  - `src/api/refunds.ts` **SQL built by string concatenation**: db.query escapes its argument here.",
        "- 1 earlier finding resolved by this push.",
        "- 1 earlier finding dismissed by a maintainer.",
        "- 2 open findings at or above `medium` (review.failOn).",
      ].join("\n"),
    );
    expect(outcome.title).toBe("2 new findings (1 medium, 1 low) on 2 files, 3 open");
    expect(outcome.conclusion).toBe("failure");

    // The finding off the diff's lines is in the review body, since no inline comment carries it.
    const review = reviewOf(outcome.intents)!;
    expect(review.comments.map((c) => c.line)).toEqual([42]);
    expect(review.body).toContain("changes since `2222222`");
    expect(review.body).toContain("**Not on a line of the diff**\n\n- 🔵 Low `src/billing/invoice.ts:60` **Limit is hard-coded**");
  });

  it("counts in the plural, and says when findings are over the inline limit", async () => {
    const answer = cannedAnswer({
      findings: [
        finding({ title: "First guess", confidence: 0.1 }),
        finding({ title: "Second guess", confidence: 0.2 }),
        finding({ title: "One", line: 42, code: "sum += line.quantity * line.unitPrice * 1.0;" }),
        finding({ title: "Two" }),
        finding({ title: "Three", line: 45, code: "const rounded = Math.round(sum + tax);" }),
      ],
    });
    const outcome = await runReviewStep(stepInput({ config: withReview({ maxInlineComments: 1, failOn: "low" }) }), new FakeModel(answer));
    expect(outcome.summary.split("\n").slice(2)).toEqual([
      "- 3 new findings (3 medium): 1 inline, 0 not on a diff line, 2 over the inline limit.",
      "- 2 findings below review.minConfidence (0.5): dropped.",
      "- 3 open findings at or above `low` (review.failOn).",
    ]);
  });
});

describe("what the model is asked", () => {
  it("is told about the findings already reported only when some are still open", async () => {
    const open = earlier("Tax computed on a float", "const tax = sum * TAX_RATE;");
    const withOpen = new FakeModel(cannedAnswer({ findings: [] }));
    await runReviewStep(stepInput({ previous: { lastReviewedSha: FIRST_SHA, findings: [open] } }), withOpen);
    expect(withOpen.requests[0]!.instruction).toMatch(/already-reported findings/);
    expect(withOpen.requests[0]!.schemaDescription).toMatch(/^Submit the review of the pull request/);

    const allClosed = new FakeModel(cannedAnswer({ findings: [] }));
    await runReviewStep(stepInput({ previous: { lastReviewedSha: FIRST_SHA, findings: [{ ...open, status: "resolved" }] } }), allClosed);
    expect(allClosed.requests[0]!.instruction).not.toMatch(/already-reported/);
    expect(allClosed.requests[0]!.context.some((b) => b.label.startsWith("already-reported"))).toBe(false);
  });

  it("is not asked to verify when review.verify is off, and the summary mentions no verification", async () => {
    const model = new FakeModel(cannedAnswer());
    const outcome = await runReviewStep(stepInput({ config: withReview({ verify: false }) }), model);
    expect(model.requests.map((r) => r.schemaName)).toEqual(["submit_review"]);
    expect(outcome.summary).not.toContain("Verification");
    expect(outcome.usage.inputTokens).toBe(4200);
  });
});

describe("an incremental review", () => {
  it("posts a review of what the push brought, against the commit reviewed last", async () => {
    const previous: ReviewState = { lastReviewedSha: FIRST_SHA, findings: [] };
    const outcome = await runReviewStep(stepInput({ previous, incremental: true }), new FakeModel(cannedAnswer({ findings: [finding({})] })));
    const review = reviewOf(outcome.intents)!;
    expect(review.comments).toHaveLength(1);
    expect(review.body).toContain("(changes since `2222222`): 1 new finding (1 medium).");
    expect(summaryOf(outcome.intents).body).toContain("changes since `2222222`");
  });

  it("reviews the whole pull request when no earlier state could be read", async () => {
    const outcome = await runReviewStep(stepInput({ previous: null, incremental: true }), new FakeModel(cannedAnswer({ findings: [finding({})] })));
    expect(reviewOf(outcome.intents)!.body).toContain("(the whole pull request): 1 new finding (1 medium).");
    expect(summaryOf(outcome.intents).body).toContain("(whole pull request)");
  });
});

describe("what `baton review` prints", () => {
  it("reports the summary without Baton's hidden markers, and each new finding with its lines and lesson", async () => {
    const multi = finding({
      severity: "high",
      startLine: 44,
      line: 46,
      code: "const tax = sum * TAX_RATE;\n  const rounded = Math.round(sum + tax);\n  return new Money(rounded, invoice.currency);",
      title: "Tax is rounded with the total",
      lesson: "Round once, at the end.",
    });
    const single = finding({ severity: "low", title: "Float multiply", line: 42, code: "sum += line.quantity * line.unitPrice * 1.0;" });
    const outcome = await runReviewStep(stepInput({ config: withReview({ verify: false }) }), new FakeModel(cannedAnswer({ findings: [multi, single] })));
    const body = summaryOf(outcome.intents).body;
    expect(outcome.reportMarkdown).toBe(body.slice(body.indexOf("## Baton review")));
    expect(outcome.reportMarkdown).not.toContain("<!--");
    expect(outcome.reportMarkdown).toContain("`src/billing/invoice.ts:44-46` **Tax is rounded with the total**");

    const id = (f: ReviewFinding) => findingId(findingFingerprint({ path: f.path, title: f.title, code: f.code }));
    expect(outcome.findings).toEqual([
      { id: id(multi), severity: "high", path: "src/billing/invoice.ts", startLine: 44, line: 46, code: multi.code, confidence: 0.9, title: multi.title, body: "b", source: "general", lesson: "Round once, at the end." },
      { id: id(single), severity: "low", path: "src/billing/invoice.ts", line: 42, code: single.code, confidence: 0.9, title: single.title, body: "b", source: "general" },
    ]);
    // An inline comment ends with its signature: nothing is appended when the line is the one the model named.
    const review = reviewOf(outcome.intents)!;
    for (const c of review.comments) expect(c.body).toMatch(/ · Baton review<\/sub>$/);
  });
});
