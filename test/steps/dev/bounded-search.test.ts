import { describe, expect, it } from "vitest";
import { searchTexts } from "../../../src/steps/dev/bounded-search.js";

describe("the dev step's search", () => {
  it("finds lines as path:line: text, up to the limit", () => {
    const texts: [string, string][] = [["src/a.ts", "const a = 1;\nexport const b = 2;\n"], ["src/b.ts", "export function c() {}\n"]];
    expect(searchTexts("^export", texts, 10)).toEqual(["src/a.ts:2: export const b = 2;", "src/b.ts:1: export function c() {}"]);
    expect(searchTexts("^export", texts, 1)).toEqual(["src/a.ts:2: export const b = 2;"]);
  });

  it("stops a catastrophic pattern instead of blocking the worker", () => {
    const texts: [string, string][] = [["x.txt", `${"a".repeat(40)}!`]];
    expect(() => searchTexts("^(a+)+$", texts, 10, 100)).toThrow(/search stopped after 100 ms: use a simpler pattern/);
  });
});
