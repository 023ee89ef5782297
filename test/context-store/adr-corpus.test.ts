import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";

/**
 * Real ADRs from six public repositories, with what a careful reader finds in
 * each (see its README.md). Kept outside the project; read in place.
 */
const CORPUS = resolve(process.cwd(), "../shared/adr-corpus");
const EXPECTED = join(CORPUS, "expected.jsonl");
const available = existsSync(EXPECTED);

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

const cases: Expected[] = available
  ? readFileSync(EXPECTED, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Expected)
  : [];

describe.skipIf(!available)(`ADR corpus (${CORPUS}; skipped when the folder is missing)`, () => {
  test("the corpus is all there", () => {
    expect(cases.length).toBe(192);
  });

  test.each(cases.map((c) => [c.file, c] as const))("%s", (file, expected) => {
    const text = readFileSync(join(CORPUS, file), "utf8");
    const record = parseAdr(basename(file), text);
    const mismatches = FIELDS.flatMap((field) => {
      const want = JSON.stringify(expected[field]);
      const got = JSON.stringify(record[field]);
      return want === got ? [] : [`${file} ${field}: expected ${want}, got ${got}`];
    });
    expect(mismatches).toEqual([]);
  });
});
