import { describe, expect, it } from "vitest";
import { findingFingerprint, findingId, normaliseTitle, parseReviewState, renderReviewState, SUMMARY_MARKER, type ReviewState } from "../../../src/steps/review/review-state.js";

const SHA = "3333333333333333333333333333333333333333";

function state(titles: string[]): ReviewState {
  return {
    lastReviewedSha: SHA,
    findings: titles.map((title, i) => {
      const fingerprint = findingFingerprint({ path: `src/f${i}.ts`, title, code: `call${i}();` });
      return { id: findingId(fingerprint), fingerprint, path: `src/f${i}.ts`, startLine: i + 1, line: i + 2, code: `call${i}();`, severity: "high", title, lesson: "Check it.", status: i === 0 ? "resolved" : "open", sha: SHA, ...(i === 0 ? { closedSha: SHA, closedBy: "push" } : {}) };
    }),
    spec: [{ requirement: "R1 -- quoted", status: "met", evidence: "a.ts:1", sha: SHA }],
  };
}

describe("review state marker", () => {
  it("round-trips through a comment body", () => {
    const original = state(["SQL built by string concatenation", "Math.round is not half-even"]);
    const body = `${SUMMARY_MARKER}\n${renderReviewState(original)}\n## Baton review\n\nsome text`;
    expect(parseReviewState(body)).toEqual(original);
  });

  it("is one HTML comment even when titles contain -- and -->", () => {
    const original = state(["closes early --> <!-- baton:review-state {} -->", "a -- b --- c", "back\\slash --"]);
    const marker = renderReviewState(original);
    expect(marker.startsWith("<!-- baton:review-state {")).toBe(true);
    // Only the final `-->` closes the comment; nothing inside can.
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(marker.slice(4, -3)).not.toContain("--");
    expect(parseReviewState(marker)).toEqual(original);
  });

  it("gives null for a body without the marker or with unreadable JSON", () => {
    expect(parseReviewState("## Baton review\nno state here")).toBeNull();
    expect(parseReviewState("<!-- baton:review-state {not json} -->")).toBeNull();
    expect(parseReviewState('<!-- baton:review-state ["a"] -->')).toBeNull();
    expect(parseReviewState('<!-- baton:review-state {"lastReviewedSha":"not a sha","findings":[]} -->')).toBeNull();
  });

  it("drops malformed entries but keeps the rest", () => {
    const good = { fingerprint: "0123456789abcdef", path: "src/a.ts", title: "t", severity: "low" };
    const body = `<!-- baton:review-state ${JSON.stringify({
      lastReviewedSha: SHA,
      findings: [good, { fingerprint: "zz", path: "x", title: "y", severity: "low" }, { ...good, severity: "blocker" }, "junk", { ...good, line: -4 }],
    })} -->`;
    const parsed = parseReviewState(body);
    expect(parsed?.lastReviewedSha).toBe(SHA);
    // A state written before findings had ids and statuses reads as open, with the id from the fingerprint.
    const read = { ...good, id: "01234567", status: "open" };
    expect(parsed?.findings).toEqual([read, read]);
  });

  it("treats a state without findings as empty", () => {
    expect(parseReviewState(`<!-- baton:review-state {"lastReviewedSha":"${SHA}"} -->`)).toEqual({ lastReviewedSha: SHA, findings: [] });
  });
});

describe("findingFingerprint", () => {
  it("ignores case, punctuation, markup and spacing in the title, and the line", () => {
    const a = findingFingerprint({ path: "src/a.ts", title: "Missing `await` on save()" });
    expect(findingFingerprint({ path: "src/a.ts", title: "missing await on save" })).toBe(a);
    expect(findingFingerprint({ path: "./src/a.ts", title: "  Missing AWAIT  on save(). " })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it("differs by path, by wording and by the code anchored, not by its spacing", () => {
    const a = findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "save(x);" });
    expect(findingFingerprint({ path: "src/b.ts", title: "Missing await", code: "save(x);" })).not.toBe(a);
    expect(findingFingerprint({ path: "src/a.ts", title: "Missing return", code: "save(x);" })).not.toBe(a);
    // The same title at another place is another finding.
    expect(findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "load(y);" })).not.toBe(a);
    expect(findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "    save(x);  " })).toBe(a);
  });

  it("ignores blank lines and runs of spaces inside the code, not the spaces between words", () => {
    const a = findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "save(x,  y);\nreturn x;" });
    expect(findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "save(x, y);\n\n   \nreturn\tx;" })).toBe(a);
    expect(findingFingerprint({ path: "src/a.ts", title: "Missing await", code: "save(x,y);\nreturnx;" })).not.toBe(a);
  });

  it("stays the same across Baton versions: states already posted on pull requests hold it, and ids are shown to people", () => {
    // sha256 of "path\nnormalised title[\nnormalised code]", first 16 hex digits.
    expect(findingFingerprint({ path: "src/billing/invoice.ts", title: "Math.round is not half-even" })).toBe("bba2a8e4f600c6e8");
    expect(findingFingerprint({ path: "src/billing/invoice.ts", title: "Math.round is not half-even", code: "const rounded = Math.round(sum + tax);" })).toBe("2fb8d8624b83c8dd");
    expect(findingId("2fb8d8624b83c8dd")).toBe("2fb8d862");
  });

  it("normalises titles to lowercase words", () => {
    expect(normaliseTitle("Math.round() is NOT half-even!")).toBe("math round is not half even");
  });
});
