import { describe, expect, it } from "vitest";
import { code, describeSource, MAX_COMMENT_BYTES, renderSummaryComment, safeText, tableCell, type RenderedFinding } from "../../../src/steps/review/render-review.js";
import { findingFingerprint, findingId, parseReviewState, SUMMARY_MARKER, type ReviewState } from "../../../src/steps/review/review-state.js";

const SHA = "3333333333333333333333333333333333333333";

describe("neutralising model text", () => {
  it("strips HTML comments, terminated or not, and escapes a dangling opener", () => {
    expect(safeText("a <!-- baton:review-summary pr --> b")).toBe("a  b");
    expect(safeText("a <!-- never closed")).toBe("a");
    expect(safeText("ends with <!-")).toBe("ends with &lt;!-");
  });

  it("wraps mentions so nobody is pinged, and shows e-mail addresses as code (no mailto link)", () => {
    expect(safeText("ask @octocat or @acme/team, mail a@b.com")).toBe("ask `@octocat` or `@acme/team`, mail `a@b.com`");
  });

  it("keeps table cells on one line with pipes escaped", () => {
    expect(tableCell("a | b\nc")).toBe("a \\| b c");
  });

  it("keeps code spans closed, showing the backtick", () => {
    expect(code("src/a`b.ts\n")).toBe("``src/a`b.ts``");
  });

  it("names sources for people", () => {
    expect(describeSource("adr:0012")).toBe("ADR 12");
    expect(describeSource("pitfall:P-3 Math.round")).toBe("pitfall: P-3 Math.round");
    expect(describeSource("spec")).toBe("spec");
  });
});

describe("renderSummaryComment", () => {
  it("stays under GitHub's limit with very many findings, keeping the markers and the state", () => {
    const findings: RenderedFinding[] = Array.from({ length: 400 }, (_, i) => ({
      severity: "medium",
      path: `src/module-${i}/some/deeply/nested/file-${i}.ts`,
      line: i + 1,
      title: `A long finding title number ${i} `.repeat(4),
      isNew: false,
      sha: SHA,
    }));
    const state: ReviewState = {
      lastReviewedSha: SHA,
      findings: findings.map((f) => {
        const fingerprint = findingFingerprint(f);
        return { id: findingId(fingerprint), fingerprint, path: f.path, title: f.title, severity: f.severity, status: "open" as const };
      }),
    };
    const body = renderSummaryComment({
      headSha: SHA,
      summary: "s",
      specCompliance: [],
      adrConformance: [],
      findings,
      manifestMarkdown: "x".repeat(20_000),
      state,
    });
    expect(Buffer.byteLength(body, "utf8")).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(body.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(body).toContain("_…and");
    expect(body).toContain("see the check run");
    // The newest findings are kept when the state has to be bounded.
    const parsed = parseReviewState(body)!;
    expect(parsed.findings.length).toBeGreaterThanOrEqual(80);
    expect(parsed.findings.at(-1)!.fingerprint).toBe(state.findings.at(-1)!.fingerprint);
  });
});
