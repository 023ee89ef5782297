import { MAX_CONFIG_CHARS, parseConfig } from "../../src/config/load-config.js";
import { modulesForPaths } from "../../src/config/module-map.js";
import { CONFIG_GLOB_MAX_LENGTH } from "../../src/policy/glob-limits.js";
import { createPathPolicy } from "../../src/policy/path-policy.js";
import type { HostileCase } from "./hostile-case.js";

const LIMIT = `${CONFIG_GLOB_MAX_LENGTH} characters, one non-final **, ≤ 2 * in one name, one {…} of ≤ 16; refused at load`;
/** Paths a committer can add: the longest allowed, of names that every `a`-glob almost matches. */
const crafted = (segment: number, count: number) => `${`${"a".repeat(segment)}/`.repeat(count)}x`;
const LONG = crafted(254, 16);
const DEEP = crafted(1, 2040);

const BAD_LINE = `    - '${"*a".repeat(99)}'\n`;
const FULL_OF_BAD_GLOBS = `dev:\n  denyPaths:\n${BAD_LINE.repeat(Math.floor((MAX_CONFIG_CHARS - 30) / BAD_LINE.length))}`;

/** The worst shapes the limits still allow, matched the way the module map and the path policy match them. */
const allowed = ["**/*a*b", "**/*a*a/*a/*a/*a/*b", "**/a/**", `{${Array.from({ length: 16 }, (_, i) => `**/*a*${String.fromCharCode(98 + i)}`).join(",")}}`];

function moduleMapOf(glob: string) {
  return { modules: [{ name: "m", globs: [glob] }], inferred: false };
}

export const configGlobCases: HostileCase[] = [
  { inputClass: "config globs", name: "the audit's glob, refused at load", limit: LIMIT, run: () => parseConfig("modules:\n  api: ['*a*a*a*a*a*a*a*a*b']\n") },
  { inputClass: "config globs", name: "a 32 KB file (the size limit) of costly globs, refused at load", limit: `${LIMIT}; files up to 32 KB`, run: () => parseConfig(FULL_OF_BAD_GLOBS) },
  { inputClass: "config globs", name: "a 1 MB file, refused by size", limit: `${LIMIT}; files up to 32 KB`, run: () => parseConfig(`${"#".repeat(1_000_000)}\n`) },
  ...allowed.flatMap((glob): HostileCase[] => [
    { inputClass: "config globs", name: `allowed ${glob.length > 40 ? `${glob.slice(0, 40)}…` : glob}: module map, one 4 KB path of long names`, limit: LIMIT, run: () => modulesForPaths(moduleMapOf(glob), [LONG]) },
    { inputClass: "config globs", name: `allowed ${glob.length > 40 ? `${glob.slice(0, 40)}…` : glob}: path policy, one 4 KB path of 2,040 names`, limit: LIMIT, run: () => createPathPolicy({ allow: ["**"], deny: [glob] }).check(DEEP) },
  ]),
];
