import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commentableLines, nearestCommentableLine, placeComments } from "../../src/steps/review/comment-placement.js";
import { parseUnifiedDiff } from "../../src/steps/review/diff-files.js";
import type { DiffFile } from "../../src/steps/review/diff-files.js";
import * as F from "./fixtures.js";
import { assertProperty } from "../support/property.js";

const files = parseUnifiedDiff(F.FULL_PR_DIFF);
const commentable = commentableLines(files);

describe("commentableLines", () => {
  it("lists added and context lines on the new side, per file", () => {
    expect([...commentable.get("src/billing/invoice.ts")!].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect([...commentable.get("src/billing/rounding.ts")!]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("has nothing for binary files, deleted files and renames without changes", () => {
    expect(commentable.has("assets/logo.png")).toBe(false);
    expect(commentable.has("src/legacy/old-tax.ts")).toBe(false);
    expect(commentable.has("docs/new name.md")).toBe(false);
  });
});

describe("placeComments", () => {
  const finding = (path: string, line: number, body = "problem") => ({ path, line, body, severity: "high" as const });

  it("keeps findings on diff lines as they are", () => {
    const { inline, unplaced } = placeComments([finding("src/billing/invoice.ts", 43, "rounding per line")], commentable);
    expect(inline).toEqual([{ path: "src/billing/invoice.ts", line: 43, side: "RIGHT", body: "rounding per line" }]);
    expect(unplaced).toEqual([]);
  });

  it("moves a finding just outside a hunk to the nearest diff line, saying so", () => {
    const { inline } = placeComments([finding("src/billing/invoice.ts", 39), finding("src/billing/invoice.ts", 51)], commentable);
    expect(inline.map((c) => c.line)).toEqual([41, 49]);
    expect(inline[0]?.body).toContain("About line 39");
  });

  it("sends far-away lines, unknown paths, binary files and bad lines to the summary", () => {
    const findings = [
      finding("src/billing/invoice.ts", 25),
      finding("src/other.ts", 3),
      finding("assets/logo.png", 1),
      finding("src/legacy/old-tax.ts", 1),
      finding("src/billing/invoice.ts", 0),
    ];
    const { inline, unplaced } = placeComments(findings, commentable);
    expect(inline).toEqual([]);
    expect(unplaced).toEqual(findings);
  });

  it("accepts ./ and b/ prefixes on paths", () => {
    const { inline } = placeComments([finding("./src/billing/rounding.ts", 2), finding("b/src/billing/rounding.ts", 3)], commentable);
    expect(inline.map((c) => [c.path, c.line])).toEqual([
      ["src/billing/rounding.ts", 2],
      ["src/billing/rounding.ts", 3],
    ]);
  });

  it("prefers the closer line, then the earlier one", () => {
    expect(nearestCommentableLine(new Set([10, 14]), 12)).toBe(10);
    expect(nearestCommentableLine(new Set([10, 13]), 12)).toBe(13);
    expect(nearestCommentableLine(new Set([10]), 14)).toBeUndefined();
    expect(nearestCommentableLine(new Set([10]), 14, 4)).toBe(10);
  });

  it("never places a comment on a line outside the diff (property)", () => {
    const hunkArb = fc.record({
      newStart: fc.integer({ min: 1, max: 200 }),
      kinds: fc.array(fc.constantFrom("add", "del", "context"), { minLength: 1, maxLength: 15 }),
    });
    const fileArb = fc.array(hunkArb, { maxLength: 4 }).map((hunks): DiffFile => {
      let offset = 0;
      const built = hunks
        .sort((a, b) => a.newStart - b.newStart)
        .map((h) => {
          let newLine = h.newStart + offset;
          const lines = h.kinds.map((type) => (type === "del" ? { type, content: "x" } : { type, content: "x", newLine: newLine++ }));
          offset = newLine - h.newStart + 5; // keep hunks apart
          return { header: "@@", oldStart: 1, oldLines: 0, newStart: h.newStart, newLines: 0, lines };
        });
      return { path: "f.ts", status: "modified", binary: false, additions: 0, deletions: 0, hunks: built };
    });
    const findingsArb = fc.array(fc.record({ path: fc.constantFrom("f.ts", "g.ts"), line: fc.integer({ min: -2, max: 400 }), body: fc.string() }));
    assertProperty(
      fc.property(fileArb, findingsArb, (file, findings) => {
        const lines = commentableLines([file]);
        const { inline, unplaced } = placeComments(findings, lines);
        expect(inline.length + unplaced.length).toBe(findings.length);
        for (const comment of inline) {
          expect(lines.get(comment.path)?.has(comment.line)).toBe(true);
          expect(comment.side).toBe("RIGHT");
        }
      }),
    );
  });
});
