import { describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../../src/steps/review/diff-files.js";
import { enclosingBlock } from "../../src/steps/review/enclosing-block.js";
import { extendFile, splitFileLines } from "../../src/steps/review/extend-hunks.js";
import { unifiedPatch } from "../support/fake-github/unified-diff.js";

const TS = `import { db } from "./db.js";

export class Users {
  constructor(private readonly limit: number) {}

  @logged()
  async search(query: string) {
    const q = query.trim();
    if (q.length === 0) {
      return [];
    }
    const rows = await db.users.search(q);
    return rows.slice(0, this.limit);
  }

  count() {
    return db.users.count();
  }
}

export const PAGE = 100;
`;

const PY = `import os


class Store:
    def __init__(self, root):
        self.root = root

    def read(self, name):
        path = os.path.join(self.root, name)
        with open(path) as f:
            data = f.read()
        return data


def main():
    print(Store(".").read("x"))
`;

const C = `#include <stdio.h>

static int
parse_line(const char *line,
           size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        n += line[i] == ',';
    }
    return n;
}
`;

const lines = (text: string) => splitFileLines(text);

describe("enclosingBlock (indentation and bracket heuristic)", () => {
  it("finds the method around a change inside nested control flow, with its decorator, up to its closing brace", () => {
    // line 10 is `return [];` inside `if` inside `search`.
    expect(enclosingBlock(lines(TS), { start: 10, end: 10 }, 300)).toEqual({ start: 6, end: 14 });
  });

  it("finds a Python method (the block ends where the indentation does)", () => {
    expect(enclosingBlock(lines(PY), { start: 11, end: 11 }, 300)).toEqual({ start: 8, end: 12 });
  });

  it("finds a C function whose signature spans lines", () => {
    expect(enclosingBlock(lines(C), { start: 9, end: 9 }, 300)).toEqual({ start: 3, end: 12 });
  });

  it("a change to a signature is enclosed by its own block; top-level code has none; an oversized block is refused", () => {
    expect(enclosingBlock(lines(TS), { start: 16, end: 16 }, 300)).toEqual({ start: 16, end: 18 });
    expect(enclosingBlock(lines(TS), { start: 21, end: 21 }, 300)).toBeNull();
    expect(enclosingBlock(lines(TS), { start: 10, end: 10 }, 5)).toBeNull();
    expect(enclosingBlock(lines(TS), { start: 10, end: 10 }, 0)).toBeNull();
  });

  it("stays linear on a huge minified line", () => {
    const minified = `${"a b ".repeat(200_000)}(`;
    // No declaration in the line's first 300 characters: the top-level line is taken as it is.
    expect(enclosingBlock([minified, "  x"], { start: 2, end: 2 }, 300)).toEqual({ start: 1, end: 2 });
  });
});

function diffOf(before: string, after: string, path = "src/users.ts") {
  const { patch } = unifiedPatch(before, after);
  return parseUnifiedDiff(`diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n${patch}\n`)[0]!;
}

/** Every line of the extended diff is true to both sides. */
function expectTrueToBothSides(file: ReturnType<typeof diffOf>, before: string, after: string) {
  const oldLines = splitFileLines(before);
  const newLines = splitFileLines(after);
  for (const hunk of file.hunks)
    for (const l of hunk.lines) {
      if (l.newLine !== undefined) expect(newLines[l.newLine - 1]).toBe(l.content);
      if (l.oldLine !== undefined) expect(oldLines[l.oldLine - 1]).toBe(l.content);
    }
}

describe("extendFile", () => {
  const after = TS.replace("return [];", "return [] as string[];").replace("return db.users.count();", "return db.users.count({});");

  it("widens each hunk to its enclosing block, merging hunks that meet, with true line numbers on both sides", () => {
    const file = diffOf(TS, after);
    expect(file.hunks).toHaveLength(2);
    const result = extendFile(file, after, { wholeFileLines: 0, enclosingBlockLines: 300 });
    expect(result.detail).toMatch(/^1 of 2 hunks extended to the enclosing block \(\+\d+ lines\)$/);
    const shown = result.file.hunks.flatMap((h) => h.lines.map((l) => l.newLine));
    expect(shown).toContain(6); // @logged()
    expect(shown).toContain(7); // async search(
    expect(shown).toContain(18); // count's closing brace (within the second hunk's own context)
    expect(shown).not.toContain(1); // the import is outside both blocks
    expect(result.file.hunks).toHaveLength(1);
    expect(result.file.hunks[0]!.header).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@ context extended by Baton$/);
    expectTrueToBothSides(result.file, TS, after);
    expect(result.file.hunks.flatMap((h) => h.lines).filter((l) => l.type !== "context")).toEqual(file.hunks.flatMap((h) => h.lines).filter((l) => l.type !== "context"));
  });

  it("sends a small file whole", () => {
    const result = extendFile(diffOf(TS, after), after, { wholeFileLines: 200, enclosingBlockLines: 300 });
    expect(result.detail).toBe(`sent whole (${splitFileLines(after).length} lines)`);
    const shown = result.file.hunks.flatMap((h) => h.lines.flatMap((l) => (l.newLine === undefined ? [] : [l.newLine])));
    expect(shown).toEqual(splitFileLines(after).map((_, i) => i + 1));
    expectTrueToBothSides(result.file, TS, after);
  });

  it("adds nothing when the text read at the head is not this change's new side", () => {
    const file = diffOf(TS, after);
    const result = extendFile(file, TS, { wholeFileLines: 200, enclosingBlockLines: 300 });
    expect(result.file).toBe(file);
    expect(result.detail).toBe("not extended: the file read at the head does not match the diff");
    expect(extendFile(file, undefined, { wholeFileLines: 200, enclosingBlockLines: 300 })).toEqual({ file, addedLines: 0 });
  });
});
