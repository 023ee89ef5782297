import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { expect, test } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { describeWithCorpus } from "../support/adr-corpus.js";

/**
 * Real ADRs from six public repositories, with what a careful reader finds in
 * each (see its README.md). Kept outside the project; read in place.
 */

interface Expected {
  file: string;
  number: number | null;
  title: string;
  status: string;
  supersededBy: number[];
  supersedes: number[];
  date: string | null;
}

const FIELDS = ["number", "title", "status", "supersededBy", "supersedes", "date"] as const;

function readCases(corpus: string): Expected[] {
  return readFileSync(join(corpus, "expected.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Expected);
}

describeWithCorpus("ADR corpus (shared/adr-corpus)", (corpus) => {
  const cases = readCases(corpus);

  test("the corpus is all there", () => {
    expect(cases.length).toBe(192);
  });

  test.each(cases.map((c) => [c.file, c] as const))("%s", (file, expected) => {
    const text = readFileSync(join(corpus, file), "utf8");
    const record = parseAdr(basename(file), text);
    const mismatches = FIELDS.flatMap((field) => {
      const want = JSON.stringify(expected[field]);
      const got = JSON.stringify(record[field]);
      return want === got ? [] : [`${file} ${field}: expected ${want}, got ${got}`];
    });
    expect(mismatches).toEqual([]);
  });
});
