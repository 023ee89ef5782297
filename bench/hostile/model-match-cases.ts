import { matchPaths, MATCH_TIME_LIMIT_MS, MODEL_GLOB_MAX_LENGTH, MODEL_REGEX_MAX_LENGTH, searchLines } from "../../src/policy/bounded-match.js";
import type { HostileCase } from "./hostile-case.js";

const GLOB_LIMIT = `${MODEL_GLOB_MAX_LENGTH} characters; worker stopped after ${MATCH_TIME_LIMIT_MS} ms`;
const REGEX_LIMIT = `${MODEL_REGEX_MAX_LENGTH} characters, 8 MB of text; worker stopped after ${MATCH_TIME_LIMIT_MS} ms`;
const tree = Array.from({ length: 100_000 }, (_, i) => `src/module-${i % 200}/folder-${i % 37}/file-${i}.ts`);
// The search's limits: 2,000 files, 8 MB of text in all.
const texts: [string, string][] = Array.from({ length: 2_000 }, (_, i) => [`src/f${i}.ts`, `${"a".repeat(1_990)}!\n`.repeat(2)]);
const swallow = (p: Promise<unknown>) => p.catch(() => undefined);

export const modelMatchCases: HostileCase[] = [
  { inputClass: "model globs", name: "*a*a*a*a*a*a*a*a*b against a 60-character name", limit: GLOB_LIMIT, run: () => swallow(matchPaths("*a*a*a*a*a*a*a*a*b", ["a".repeat(60)])) },
  { inputClass: "model globs", name: "src/**/*.ts over 100,000 paths", limit: GLOB_LIMIT, run: () => matchPaths("src/**/*.ts", tree) },
  { inputClass: "model globs", name: "201-character glob", limit: GLOB_LIMIT, run: () => swallow(matchPaths("a".repeat(201), tree)) },
  { inputClass: "model regexes", name: "^(a+)+$ over 2,000 files of 4 KB (8 MB)", limit: REGEX_LIMIT, run: () => swallow(searchLines("^(a+)+$", texts, 50)) },
  { inputClass: "model regexes", name: "(a|aa)*b over 2,000 files of 4 KB (8 MB)", limit: REGEX_LIMIT, run: () => swallow(searchLines("(a|aa)*b", texts, 50)) },
];
