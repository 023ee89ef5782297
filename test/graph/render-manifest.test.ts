import { describe, expect, it } from "vitest";
import type { Manifest } from "../../src/graph/manifest.js";
import { MAX_MANIFEST_ROWS, manifestToJson, manifestToMarkdown } from "../../src/graph/render-manifest.js";

/** The manifest as people read it on a check run or a pull request: every line of it. */

const MANIFEST: Manifest = {
  step: { id: "review", version: "1.0.0" },
  model: "claude-x",
  commit: "0123456789abcdef0123456789abcdef01234567",
  budget: 80000,
  usedTokens: 12345,
  inputs: [
    { selector: "spec", label: "issue #12", identity: "issue#12@2026-11-25T10:00:00Z", tokens: 120 },
    { selector: "diff", label: "Diff a..b (2 files)", identity: "diff a..b", tokens: 900, truncated: { fromTokens: 5000, reason: "over budget: 1 of 2 files sent" }, details: ["hunks extended to their function"] },
  ],
  omitted: [{ selector: "diff", label: "package-lock.json", identity: "diff a..b:package-lock.json", tokens: 4100, reason: "lock file" }],
  notes: ["modules inferred from the tree"],
};

describe("manifestToMarkdown", () => {
  it("shows the model, commit, tokens, every input with its note, what was left out and why, and the notes", () => {
    expect(manifestToMarkdown(MANIFEST)).toBe(
      [
        "### Context manifest: review v1.0.0",
        "",
        "**Model:** `claude-x` · **Commit:** `0123456789ab` · **Tokens:** 12,345 of 80,000",
        "",
        "| input | identity | tokens | note |",
        "|---|---|---:|---|",
        "| spec — issue #12 | `issue#12@2026-11-25T10:00:00Z` | 120 |  |",
        "| diff — Diff a..b (2 files) | `diff a..b` | 900 | over budget: 1 of 2 files sent; hunks extended to their function |",
        "",
        "**Left out**",
        "",
        "| input | identity | tokens | reason |",
        "|---|---|---:|---|",
        "| diff — package-lock.json | `diff a..b:package-lock.json` | 4100 | lock file |",
        "",
        "**Notes**",
        "",
        "- modules inferred from the tree",
      ].join("\n"),
    );
  });

  it("says when there were no inputs, leaves out empty sections, and folds under a given heading", () => {
    const empty = { ...MANIFEST, inputs: [], omitted: [], notes: [] };
    expect(manifestToMarkdown(empty, { collapsible: true, heading: "What the step saw" })).toBe(
      "<details><summary>What the step saw</summary>\n\n**Model:** `claude-x` · **Commit:** `0123456789ab` · **Tokens:** 12,345 of 80,000\n\n_No inputs._\n\n</details>",
    );
    expect(manifestToMarkdown(empty)).not.toContain("Left out");
    expect(manifestToMarkdown(empty)).not.toContain("Notes");
  });

  it("sums up the inputs past the row limit by kind, with their tokens", () => {
    const inputs = [
      ...Array.from({ length: 3 }, (_, i) => ({ selector: "adr:linked" as const, label: `ADR ${i}`, identity: `a${i}@sha`, tokens: 5 })),
      ...Array.from({ length: 2 }, (_, i) => ({ selector: "pitfalls:modules" as const, label: `p${i}`, identity: `p${i}@sha`, tokens: 7 })),
    ];
    const md = manifestToMarkdown({ ...MANIFEST, inputs, omitted: [] }, { maxRows: 2 });
    expect(md.match(/^\| adr:linked — /gm)).toHaveLength(2);
    expect(md).toContain("| … and 3 more: adr:linked ×1 (5 tokens), pitfalls:modules ×2 (14 tokens) | | | see the JSON manifest |");
    expect(manifestToMarkdown({ ...MANIFEST, inputs, omitted: [] }, { maxRows: 5 })).not.toContain("more:");
    expect(MAX_MANIFEST_ROWS).toBe(40);
  });

  it("escapes repository text in cells, so a file name cannot forge a marker or break the table", () => {
    const md = manifestToMarkdown({ ...MANIFEST, inputs: [{ selector: "source:modules", label: "a|b<!-- baton:job x -->.ts", identity: "a|b.ts@sha", tokens: 1 }], omitted: [] });
    expect(md).not.toContain("<!-- baton:job x -->");
    expect(md.split("\n").find((l) => l.startsWith("| source:modules"))!.split(/(?<!\\)\|/).length).toBe(6);
  });
});

describe("manifestToJson", () => {
  it("is the manifest, indented, keys in a stable order", () => {
    expect(JSON.parse(manifestToJson(MANIFEST))).toEqual(MANIFEST);
    expect(manifestToJson(MANIFEST).split("\n")[1]).toBe('  "step": {');
  });
});
