import { describe, expect, it } from "vitest";
import type { DiffFile } from "../../../src/steps/review/diff-files.js";
import { closeFindings } from "../../../src/steps/review/review-findings.js";
import { findingFingerprint, parseReviewState, renderReviewState, type ReviewStateFinding } from "../../../src/steps/review/review-state.js";

/**
 * The review state is read back from a comment anyone with access could have
 * edited: a malformed entry is dropped, a malformed state reads as none (the
 * pull request is then reviewed whole), and what is kept is bounded.
 */

const SHA = "0123456789abcdef0123456789abcdef01234567";
const FP = "0123456789abcdef";
const good = { fingerprint: FP, path: "src/a.ts", title: "T", severity: "high" };
/** The fields these tests are about, of each finding read back. */
const findingsOf = (state: ReturnType<typeof parseReviewState>) =>
  state?.findings.map((f) => ({ fingerprint: f.fingerprint, path: f.path, title: f.title, severity: f.severity, ...(f.line !== undefined ? { line: f.line } : {}), ...(f.sha !== undefined ? { sha: f.sha } : {}) }));
/** A summary comment whose header holds this state JSON. */
const comment = (state: unknown) => `<!-- baton:review-summary pr -->\n<!-- baton:review-state ${typeof state === "string" ? state : JSON.stringify(state)} -->\n## Baton review\n`;

describe("parseReviewState on hand-edited or hostile state", () => {
  it("reads a well-formed state, keeping each finding's line and first sha", () => {
    const state = parseReviewState(comment({ lastReviewedSha: SHA, findings: [{ ...good, line: 7, sha: "abcdef1" }] }));
    expect(state?.lastReviewedSha).toBe(SHA);
    expect(findingsOf(state)).toEqual([{ ...good, line: 7, sha: "abcdef1" }]);
  });

  it.each([
    ["no state marker", "<!-- baton:review-summary pr -->\n## Baton review\n"],
    ["JSON that does not parse", comment("{not json")],
    ["a list instead of an object", comment([1, 2])],
    ["null", comment("null")],
    ["no sha", comment({ findings: [] })],
    ["a sha that is not hex", comment({ lastReviewedSha: "main", findings: [] })],
    ["a sha with more after it", comment({ lastReviewedSha: `${SHA}x`, findings: [] })],
    ["a sha with more before it", comment({ lastReviewedSha: `x${SHA}`, findings: [] })],
  ])("reads %s as no state", (_what, body) => {
    expect(parseReviewState(body)).toBeNull();
  });

  it("takes findings only from a list", () => {
    expect(findingsOf(parseReviewState(comment({ lastReviewedSha: SHA, findings: { 0: good } })))).toEqual([]);
  });

  it.each([
    ["a number", 5],
    ["null", null],
    ["a list", [good]],
    ["no fingerprint", { ...good, fingerprint: undefined }],
    ["a short fingerprint", { ...good, fingerprint: "0123456" }],
    ["a fingerprint with a suffix", { ...good, fingerprint: `${FP}z` }],
    ["a fingerprint with a prefix", { ...good, fingerprint: `z${FP}` }],
    ["a path that is not text", { ...good, path: 3 }],
    ["a title that is not text", { ...good, title: ["T"] }],
    ["an unknown severity", { ...good, severity: "urgent" }],
  ])("drops an entry that is %s, keeping the others", (_what, entry) => {
    expect(findingsOf(parseReviewState(comment({ lastReviewedSha: SHA, findings: [entry, good] })))).toEqual([good]);
  });

  it.each([
    ["zero", 0],
    ["negative", -3],
    ["fractional", 2.5],
    ["text", "7"],
  ])("drops a line that is %s, keeping the finding", (_what, line) => {
    expect(findingsOf(parseReviewState(comment({ lastReviewedSha: SHA, findings: [{ ...good, line }] })))).toEqual([good]);
  });

  it.each([
    ["not hex", "zzzzzzz"],
    ["too short", "abcdef"],
    ["hex with a suffix", "abcdef1!"],
    ["hex with a prefix", "!abcdef1"],
    ["a number", 1234567],
  ])("drops a first sha that is %s, keeping the finding", (_what, sha) => {
    expect(findingsOf(parseReviewState(comment({ lastReviewedSha: SHA, findings: [{ ...good, sha }] })))).toEqual([good]);
  });
});

describe("parseReviewState on hand-edited fields of a finding", () => {
  /** The one finding read back from a state holding `entry`. */
  const readOne = (entry: Record<string, unknown>) => parseReviewState(comment({ lastReviewedSha: SHA, findings: [entry] }))?.findings;
  const asRead = { ...good, id: FP.slice(0, 8), status: "open" };

  it("reads a sha written as a number as no state", () => {
    expect(parseReviewState(comment({ lastReviewedSha: 1234567, findings: [] }))).toBeNull();
  });

  it("drops an entry whose fingerprint is a number", () => {
    expect(readOne({ ...good, fingerprint: 12345678 })).toEqual([]);
  });

  it("keeps every optional field that is well formed", () => {
    const full = { ...good, id: "0123abcd", startLine: 3, line: 5, code: "x();", lesson: "Check it.", status: "dismissed", sha: "abcdef1", closedSha: "abcdef2", closedBy: "lead" };
    expect(readOne(full)).toEqual([full]);
  });

  it.each([
    ["not hex", "zzzzzzzz"],
    ["with a prefix", "x0123abcd"],
    ["with a suffix", "0123abcdx"],
    ["a number", 12345678],
  ])("takes the id from the fingerprint when the id is %s", (_what, id) => {
    expect(readOne({ ...good, id })).toEqual([asRead]);
  });

  it.each([
    ["a start line that is not a line", { startLine: 0 }],
    ["code that is not text", { code: 5 }],
    ["a lesson of spaces", { lesson: "   " }],
    ["a lesson that is not text", { lesson: ["x"] }],
    ["a closing sha that is not hex", { closedSha: "zzzzzzz" }],
    ["a closing sha that is a number", { closedSha: 1234567 }],
    ["a closer that is not text", { closedBy: 7 }],
  ])("drops %s, keeping the finding", (_what, field) => {
    expect(readOne({ ...good, ...field })).toEqual([asRead]);
  });
});

describe("parseReviewState on a hand-edited spec table", () => {
  const row = { requirement: "R1", status: "met", evidence: "a.ts:1", sha: "abcdef1" };
  const specOf = (rows: unknown[]) => parseReviewState(comment({ lastReviewedSha: SHA, findings: [], spec: rows }))?.spec;

  it("reads a row of each status", () => {
    const rows = (["met", "partial", "missing", "not-applicable"] as const).map((status, i) => ({ ...row, requirement: `R${i}`, status }));
    expect(specOf(rows)).toEqual(rows);
  });

  it.each([
    ["null", null],
    ["a requirement that is not text", { ...row, requirement: 1 }],
    ["evidence that is not text", { ...row, evidence: null }],
    ["an unknown status", { ...row, status: "done" }],
  ])("drops a row that is %s, keeping the others", (_what, bad) => {
    expect(specOf([bad, row])).toEqual([row]);
  });

  it.each([
    ["not hex", "zzzzzzz"],
    ["a number", 1234567],
  ])("keeps a row whose sha is %s, without the sha", (_what, sha) => {
    const { sha: _sha, ...rest } = row;
    expect(specOf([{ ...row, sha }])).toEqual([rest]);
  });

  it("reads a table of only malformed rows as no table", () => {
    expect(parseReviewState(comment({ lastReviewedSha: SHA, findings: [], spec: [{ requirement: "R1" }] }))).toEqual({ lastReviewedSha: SHA, findings: [] });
  });
});

describe("renderReviewState bounds what it keeps", () => {
  it("clips long titles and absurd paths to their limits with an ellipsis, and keeps the rest as they are", () => {
    const long: ReviewStateFinding = { id: "0123abcd", status: "open", fingerprint: FP, path: `src/${"p".repeat(1100)}.ts`, title: "t".repeat(200), severity: "low" };
    const exact: ReviewStateFinding = { id: "0123abce", status: "open", fingerprint: FP, path: "p".repeat(1024), title: "t".repeat(120), severity: "low" };
    const read = parseReviewState(`<!-- baton:review-summary pr -->\n${renderReviewState({ lastReviewedSha: SHA, findings: [long, exact] })}`)!;
    expect(read.findings[0]!.title).toBe(`${"t".repeat(119)}…`);
    expect(read.findings[0]!.path).toHaveLength(1024);
    expect(read.findings[0]!.path.endsWith("…")).toBe(true);
    expect(read.findings[1]).toMatchObject(exact);
  });

  it("keeps a deep path whole, so a later push that removes the finding's code still closes it", () => {
    const path = `packages/${"nested/".repeat(40)}handler.ts`;
    const finding: ReviewStateFinding = { id: "0123abcd", status: "open", fingerprint: FP, path, title: "Unchecked input", code: "run(input);", severity: "high" };
    const read = parseReviewState(`<!-- baton:review-summary pr -->\n${renderReviewState({ lastReviewedSha: SHA, findings: [finding] })}`)!;
    expect(path.length).toBeGreaterThan(250);
    expect(read.findings[0]!.path).toBe(path);
    const diff: DiffFile[] = [{ path, status: "modified", hunks: [], binary: false, additions: 1, deletions: 1 }];
    expect([...closeFindings(read.findings, diff, { [path]: "validate(input);\n" }, [], new Map()).resolved]).toEqual([["0123abcd", "push"]]);
  });
});

describe("findingFingerprint", () => {
  it("is the same for a path written with ./ or / in front, or with spaces around", () => {
    const fp = findingFingerprint({ path: "src/a.ts", title: "Missing await" });
    expect(findingFingerprint({ path: "./src/a.ts", title: "Missing await" })).toBe(fp);
    expect(findingFingerprint({ path: "/src/a.ts", title: "Missing await" })).toBe(fp);
    expect(findingFingerprint({ path: "  src/a.ts ", title: "Missing await" })).toBe(fp);
    expect(findingFingerprint({ path: "src/b.ts", title: "Missing await" })).not.toBe(fp);
    expect(findingFingerprint({ path: "x/src/a.ts", title: "Missing await" })).not.toBe(fp);
  });
});
