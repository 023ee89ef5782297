import { describe, expect, it } from "vitest";
import { fromGitHubFiles, linesChangedCount, parseUnifiedDiff } from "../../src/steps/review/diff-files.js";
import { isLockFile } from "../../src/steps/review/compress-diff.js";
import * as F from "./fixtures.js";

describe("parseUnifiedDiff", () => {
  const files = parseUnifiedDiff(F.FULL_PR_DIFF);
  const byPath = new Map(files.map((f) => [f.path, f]));

  it("finds every file of a multi-file git diff, in order", () => {
    expect(files.map((f) => [f.path, f.status, f.binary])).toEqual([
      ["src/billing/invoice.ts", "modified", false],
      ["src/util/text.ts", "renamed", false],
      ["docs/new name.md", "renamed", false],
      ["assets/logo.png", "modified", true],
      ["assets/icon 2x.png", "added", true],
      ["src/billing/rounding.ts", "added", false],
      ["src/legacy/old-tax.ts", "deleted", false],
    ]);
  });

  it("reads hunks with line numbers on both sides", () => {
    const invoice = byPath.get("src/billing/invoice.ts")!;
    expect(invoice.additions).toBe(4);
    expect(invoice.deletions).toBe(2);
    expect(invoice.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 7, 1, 8],
      [40, 8, 41, 9],
    ]);
    expect(invoice.hunks[1]?.header).toBe("@@ -40,8 +41,9 @@ export function total(invoice: Invoice): Money {");
    expect(invoice.hunks[0]?.lines[1]).toEqual({ type: "add", content: 'import { roundHalfEven } from "./rounding.js";', newLine: 2 });
    expect(invoice.hunks[1]?.lines.slice(0, 4)).toEqual([
      { type: "context", content: "  let sum = 0;", oldLine: 40, newLine: 41 },
      { type: "context", content: "  for (const line of invoice.lines) {", oldLine: 41, newLine: 42 },
      { type: "del", content: "    sum += line.quantity * line.unitPrice;", oldLine: 42 },
      { type: "add", content: "    sum += roundHalfEven(line.quantity * line.unitPrice, 2);", newLine: 43 },
    ]);
    // an empty context line keeps its place
    expect(invoice.hunks[0]?.lines[2]).toEqual({ type: "context", content: "", oldLine: 2, newLine: 3 });
  });

  it("reads renames, with and without changes, and paths with spaces", () => {
    expect(byPath.get("src/util/text.ts")).toMatchObject({ oldPath: "src/util/strings.ts", additions: 1, deletions: 1 });
    expect(byPath.get("docs/new name.md")).toMatchObject({ oldPath: "docs/old name.md", hunks: [], additions: 0, deletions: 0 });
  });

  it("marks binary files and gives them no hunks", () => {
    expect(byPath.get("assets/logo.png")).toMatchObject({ binary: true, hunks: [], additions: 0, deletions: 0 });
    expect(byPath.get("assets/icon 2x.png")?.oldPath).toBeUndefined();
  });

  it("reads new and deleted files, ignoring the no-newline marker", () => {
    const added = byPath.get("src/billing/rounding.ts")!;
    expect(added.additions).toBe(6);
    expect(added.hunks[0]?.lines).toHaveLength(6);
    expect(added.hunks[0]?.lines.every((l) => l.type === "add")).toBe(true);
    expect(added.hunks[0]?.lines.at(-1)).toEqual({ type: "add", content: "}", newLine: 6 });

    const deleted = byPath.get("src/legacy/old-tax.ts")!;
    expect(deleted.deletions).toBe(3);
    expect(deleted.hunks[0]?.lines.map((l) => l.oldLine)).toEqual([1, 2, 3]);
    expect(deleted.hunks[0]?.lines.every((l) => l.newLine === undefined)).toBe(true);
  });

  it("unquotes git's C-quoted paths", () => {
    expect(parseUnifiedDiff(F.QUOTED_PATH).map((f) => f.path)).toEqual(["docs/café.md"]);
  });

  it("reads plain unified diffs without git headers, and CRLF", () => {
    const [file] = parseUnifiedDiff(F.PLAIN_UNIFIED.replace(/\n/g, "\r\n"));
    expect(file).toMatchObject({ path: "lib/a.py", status: "modified", additions: 1, deletions: 1 });
    expect(file?.hunks[0]?.lines[2]).toEqual({ type: "add", content: "    return x + 2", newLine: 2 });
  });

  it("returns nothing for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
    expect(parseUnifiedDiff("\n")).toEqual([]);
  });
});

describe("fromGitHubFiles", () => {
  const files = fromGitHubFiles(F.GITHUB_FILES);
  const byPath = new Map(files.map((f) => [f.path, f]));

  it("parses patches into the same hunks as the unified diff", () => {
    const fromDiff = parseUnifiedDiff(F.MULTI_HUNK_MODIFIED)[0];
    expect(byPath.get("src/billing/invoice.ts")?.hunks).toEqual(fromDiff?.hunks);
    expect(byPath.get("src/util/text.ts")).toMatchObject({ status: "renamed", oldPath: "src/util/strings.ts" });
  });

  it("maps GitHub statuses", () => {
    expect(byPath.get("src/legacy/old-tax.ts")?.status).toBe("deleted");
    const more = fromGitHubFiles([
      { filename: "b.ts", previous_filename: "a.ts", status: "copied", additions: 0, deletions: 0, changes: 0 },
      { filename: "run.sh", status: "changed", additions: 0, deletions: 0, changes: 0 },
    ]);
    expect(more[0]).toMatchObject({ status: "added", oldPath: "a.ts" });
    expect(more[1]?.status).toBe("modified");
  });

  it("marks files without a patch: binary, or patch omitted by GitHub", () => {
    expect(byPath.get("assets/logo.png")).toMatchObject({ binary: true, hunks: [] });
    expect(byPath.get("data/fixtures.json")).toMatchObject({
      binary: false,
      hunks: [],
      patchOmitted: "patch omitted by GitHub",
      additions: 25000,
      deletions: 12000,
    });
    // a pure rename has no patch and is not binary
    expect(byPath.get("docs/new name.md")).toMatchObject({ binary: false, hunks: [], oldPath: "docs/old name.md" });
    expect(byPath.get("docs/new name.md")?.patchOmitted).toBeUndefined();
    // a binary extension wins even when GitHub counted changes
    expect(fromGitHubFiles([{ filename: "a.pdf", status: "modified", additions: 0, deletions: 0, changes: 3 }])[0]?.binary).toBe(true);
  });
});

describe("linesChangedCount", () => {
  it("sums additions and deletions, optionally leaving files out", () => {
    const files = parseUnifiedDiff(F.FULL_PR_DIFF + F.LOCK_FILE);
    expect(linesChangedCount(files)).toBe(6 + 2 + 6 + 3 + 4);
    expect(linesChangedCount(files, isLockFile)).toBe(6 + 2 + 6 + 3);
    expect(linesChangedCount([])).toBe(0);
  });
});
