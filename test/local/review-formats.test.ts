import { describe, expect, it } from "vitest";
import { reviewToSarif } from "../../src/local/review-formats.js";

const finding = {
  severity: "medium" as const,
  path: "docs/release notes#2.md",
  line: 3,
  title: "Regex \\[ in a title",
  body: "Matches `a\\[b]`.",
  source: "spec",
};

describe("reviewToSarif", () => {
  it("writes each path as a URI reference, segments percent-encoded, and escapes a backslash before a bracket", () => {
    const log = reviewToSarif([finding], { version: "1", model: "claude-sonnet-5-5", env: {} });
    const result = log.runs[0]!.results![0]!;
    expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe("docs/release%20notes%232.md");
    expect(decodeURIComponent(result.locations![0]!.physicalLocation!.artifactLocation!.uri!)).toBe(finding.path);
    // `\[` read back by SARIF's rules (§3.11.6) is the text as written: `\\` is a backslash, `\[` a bracket.
    expect(result.message!.text).toBe("Regex \\\\\\[ in a title\n\nMatches `a\\\\\\[b\\]`.");
    expect(result.message!.text!.replace(/\\([\\[\]])/g, "$1")).toBe(`${finding.title}\n\n${finding.body}`);
  });
});
