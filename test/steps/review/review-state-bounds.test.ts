import { describe, expect, it } from "vitest";
import type { CommentIntent } from "../../../src/writer/intents.js";
import { parseUnifiedDiff } from "../../../src/steps/review/diff-files.js";
import { MAX_STATE_FINDINGS, parseReviewState, renderReviewState, type ReviewState, type ReviewStateFinding } from "../../../src/steps/review/review-state.js";
import { runReviewStep } from "../../../src/steps/review/review-step.js";
import { cannedAnswer, FakeModel, FIRST_SHA, HEAD_SHA, stepInput, withReview } from "./review-fixtures.js";

/**
 * The state is kept in a comment, so it is bounded: at most 80 findings and
 * 30,000 characters of JSON. What it drops decides what the next review
 * forgets, so the order matters: closed findings before open ones, the oldest
 * first, and long fields are clipped before any finding is dropped.
 */

const SHA = "0123456789abcdef0123456789abcdef01234567";
/** The state JSON's length, as the summary comment holds it (without the marker around it). */
const jsonLength = (state: ReviewState) => renderReviewState(state).length - "<!-- baton:review-state  -->".length;
const roundTrip = (state: ReviewState) => parseReviewState(renderReviewState(state))!;

function stateFinding(i: number, status: ReviewStateFinding["status"], extra: Partial<ReviewStateFinding> = {}): ReviewStateFinding {
  const fingerprint = (0x10000000 + i).toString(16).padStart(16, "0");
  return { id: fingerprint.slice(0, 8), fingerprint, path: `src/f${i}.ts`, severity: "medium", title: `Finding ${i}`, status, ...extra };
}

/** A finding whose code and lesson are long: about 750 characters of JSON. */
const bulky = (i: number, status: ReviewStateFinding["status"]) =>
  stateFinding(i, status, { code: `c${i} `.padEnd(300, "x"), lesson: `l${i} `.padEnd(300, "y") });

describe("renderReviewState keeps at most 80 findings", () => {
  it("keeps every finding of a state within the limit, in order", () => {
    const findings = [...Array.from({ length: 40 }, (_, i) => stateFinding(i, "open")), ...Array.from({ length: 40 }, (_, i) => stateFinding(40 + i, "resolved"))];
    expect(roundTrip({ lastReviewedSha: SHA, findings }).findings.map((f) => f.title)).toEqual(findings.map((f) => f.title));
  });

  it("keeps the newest 80 open findings when there are more, and no closed one", () => {
    const findings = [stateFinding(0, "dismissed"), ...Array.from({ length: 90 }, (_, i) => stateFinding(1 + i, "open")), stateFinding(91, "resolved")];
    const kept = roundTrip({ lastReviewedSha: SHA, findings }).findings;
    expect(kept).toHaveLength(MAX_STATE_FINDINGS);
    expect(kept.map((f) => f.title)).toEqual(Array.from({ length: 80 }, (_, i) => `Finding ${11 + i}`));
  });

  it("fills the room the open findings leave with the newest closed ones, keeping their order", () => {
    const findings = Array.from({ length: 100 }, (_, i) => stateFinding(i, i % 5 === 0 ? "open" : "resolved"));
    const kept = roundTrip({ lastReviewedSha: SHA, findings }).findings;
    // 20 open, so room for 60 of the 80 closed: the 20 oldest closed ones go.
    const closed = findings.filter((f) => f.status !== "open");
    const expected = findings.filter((f) => f.status === "open" || closed.indexOf(f) >= 20);
    expect(kept.map((f) => f.title)).toEqual(expected.map((f) => f.title));
  });
});

describe("renderReviewState keeps its JSON under 30,000 characters", () => {
  /** Findings with a long path, title, code and lesson: over 1,000 characters of JSON each. */
  const big = (i: number, status: ReviewStateFinding["status"]) =>
    stateFinding(i, status, { path: `src/${i}/`.padEnd(200, "p"), title: `Finding ${i} `.padEnd(120, "t"), code: `c${i} `.padEnd(300, "x"), lesson: `l${i} `.padEnd(300, "y") });
  const titles = (findings: ReviewStateFinding[]) => findings.map((f) => f.title);

  it("keeps a state of exactly 30,000 characters whole, and clips one of 30,001", () => {
    const findings = Array.from({ length: 39 }, (_, i) => bulky(i, "open"));
    const sized = (extra: number): ReviewState => {
      const probe = (n: number) => ({ lastReviewedSha: SHA, findings: [...findings, stateFinding(99, "open", { code: "k".repeat(300), lesson: "z".repeat(n) })] });
      return probe(1 + extra - jsonLength(probe(1)));
    };
    expect(jsonLength(sized(30_000))).toBe(30_000);
    expect(roundTrip(sized(30_000)).findings).toEqual(sized(30_000).findings);
    const clipped = roundTrip(sized(30_001)).findings;
    expect(clipped).toHaveLength(40);
    expect(clipped[0]!.code).toHaveLength(150);
  });

  it("clips code, lessons and the spec table before it drops any finding", () => {
    const findings = Array.from({ length: 50 }, (_, i) => bulky(i, i < 10 ? "resolved" : "open"));
    const spec = [{ requirement: "R".repeat(300), status: "met" as const, evidence: "E".repeat(300), sha: SHA }];
    const state: ReviewState = { lastReviewedSha: SHA, findings, spec };
    expect(JSON.stringify(state).length).toBeGreaterThan(30_000);
    const read = roundTrip(state);
    expect(jsonLength(state)).toBeLessThanOrEqual(30_000);
    expect(titles(read.findings)).toEqual(titles(findings));
    read.findings.forEach((f, i) => {
      // The code keeps its beginning, as it is in the file; the lesson, for people, shows it was cut.
      expect(f.code).toBe(findings[i]!.code!.slice(0, 150));
      expect(f.lesson).toBe(`${findings[i]!.lesson!.slice(0, 149)}…`);
    });
    expect(read.spec).toEqual([{ requirement: `${"R".repeat(149)}…`, status: "met", evidence: `${"E".repeat(149)}…`, sha: SHA }]);
  });

  it("clips further, still dropping nothing, when half the length is not enough", () => {
    const findings = Array.from({ length: 70 }, (_, i) => bulky(i, "open"));
    const read = roundTrip({ lastReviewedSha: SHA, findings });
    expect(titles(read.findings)).toEqual(titles(findings));
    expect(read.findings.map((f) => f.code!.length)).toEqual(findings.map(() => 75));
  });

  it("then drops the oldest closed findings, half of them at a time, keeping every open one", () => {
    const findings = [...Array.from({ length: 30 }, (_, i) => big(i, "open")), ...Array.from({ length: 50 }, (_, i) => big(30 + i, i % 2 ? "resolved" : "dismissed"))];
    const read = roundTrip({ lastReviewedSha: SHA, findings });
    expect(jsonLength({ lastReviewedSha: SHA, findings })).toBeLessThanOrEqual(30_000);
    expect(titles(read.findings)).toEqual(titles([...findings.slice(0, 30), ...findings.slice(55)]));
  });

  it("drops the oldest open findings last, when no closed one is left", () => {
    const findings = [big(0, "resolved"), ...Array.from({ length: 79 }, (_, i) => big(1 + i, "open"))];
    const read = roundTrip({ lastReviewedSha: SHA, findings });
    expect(jsonLength({ lastReviewedSha: SHA, findings })).toBeLessThanOrEqual(30_000);
    expect(titles(read.findings)).toEqual(titles(findings.slice(41)));
  });

  it("keeps the first 40 rows of the spec table", () => {
    const spec = Array.from({ length: 45 }, (_, i) => ({ requirement: `R${i}`, status: "met" as const, evidence: "e" }));
    expect(roundTrip({ lastReviewedSha: SHA, findings: [], spec }).spec).toEqual(spec.slice(0, 40));
  });
});

describe("the long code of a finding, as the state keeps it", () => {
  /** A new file of eight long lines: a finding quoting all of them quotes more than the state keeps of its code. */
  const LINES = Array.from({ length: 8 }, (_, i) => `  const total${i} = computeTheInvoiceTotalFor(customerAccount${i}, period${i});`);
  const FILE = `${LINES.join("\n")}\n`;
  const ADDED = parseUnifiedDiff(`diff --git a/src/billing/report.ts b/src/billing/report.ts
new file mode 100644
--- /dev/null
+++ b/src/billing/report.ts
@@ -0,0 +1,8 @@
${LINES.map((l) => `+${l}`).join("\n")}
`);
  /** A later push: one line added at the end of the file, the quoted code untouched. */
  const APPENDED = parseUnifiedDiff(`diff --git a/src/billing/report.ts b/src/billing/report.ts
--- a/src/billing/report.ts
+++ b/src/billing/report.ts
@@ -7,2 +7,3 @@
${LINES.slice(6).map((l) => ` ${l}`).join("\n")}
+export const done = true;
`);
  const summaryOf = (intents: { kind: string }[]) => intents.find((i): i is CommentIntent => i.kind === "comment")!;

  it("stays open on a push that leaves that code in place, and keeps the check failing", async () => {
    const code = LINES.join("\n");
    expect(code.length).toBeGreaterThan(300);
    const finding = { severity: "high" as const, path: "src/billing/report.ts", startLine: 1, line: 8, code, confidence: 0.9, title: "Totals computed one by one", body: "Batch them.", source: "general" };
    const config = withReview({ failOn: "high", verify: false });
    const first = await runReviewStep(stepInput({ config, diffFiles: ADDED, headFiles: { "src/billing/report.ts": FILE } }), new FakeModel(cannedAnswer({ findings: [finding] })));
    const previous = parseReviewState(summaryOf(first.intents).body)!;
    expect(previous.findings.map((f) => f.status)).toEqual(["open"]);

    const later = { ...previous, lastReviewedSha: FIRST_SHA };
    const second = await runReviewStep(
      stepInput({ config, previous: later, incremental: true, diffFiles: APPENDED, headFiles: { "src/billing/report.ts": `${FILE}export const done = true;\n` } }),
      new FakeModel(cannedAnswer({ findings: [] })),
    );
    const state = parseReviewState(summaryOf(second.intents).body)!;
    expect(state.lastReviewedSha).toBe(HEAD_SHA);
    expect(state.findings.map((f) => [f.title, f.status])).toEqual([["Totals computed one by one", "open"]]);
    expect(second.conclusion).toBe("failure");
    expect(second.summary).not.toContain("resolved by this push");
  });
});
