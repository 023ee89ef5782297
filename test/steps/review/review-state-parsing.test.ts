import { describe, expect, it } from "vitest";
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

describe("renderReviewState bounds what it keeps", () => {
  it("clips long titles and paths to their limits with an ellipsis, and keeps short ones as they are", () => {
    const long: ReviewStateFinding = { id: "0123abcd", status: "open", fingerprint: FP, path: `src/${"p".repeat(300)}.ts`, title: "t".repeat(200), severity: "low" };
    const exact: ReviewStateFinding = { id: "0123abce", status: "open", fingerprint: FP, path: "p".repeat(200), title: "t".repeat(120), severity: "low" };
    const read = parseReviewState(`<!-- baton:review-summary pr -->\n${renderReviewState({ lastReviewedSha: SHA, findings: [long, exact] })}`)!;
    expect(read.findings[0]!.title).toBe(`${"t".repeat(119)}…`);
    expect(read.findings[0]!.path).toHaveLength(200);
    expect(read.findings[0]!.path.endsWith("…")).toBe(true);
    expect(read.findings[1]).toMatchObject(exact);
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
