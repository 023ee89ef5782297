import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPathOnDisk, createPathPolicy, devAlwaysDenied, normaliseRepoPath } from "../../src/policy/path-policy.js";
import { DEFAULT_PROTECTED_PATHS } from "../../src/policy/protected-paths.js";
import type { HostileCase } from "./hostile-case.js";

const LIMIT = "4,096 characters, 255 bytes a name, checked before any glob";
// The dev defaults: every protected glob and the always-denied ones.
const policy = createPathPolicy({ allow: ["**"], deny: [...DEFAULT_PROTECTED_PATHS], alwaysDeny: devAlwaysDenied("docs/adr") });

function repoWithLink(): string {
  const root = mkdtempSync(join(tmpdir(), "baton-bench-paths-"));
  mkdirSync(join(root, "src"));
  symlinkSync("..", join(root, "lnk"));
  return root;
}

const deepest = `${"a/".repeat(2047)}b`;
// One commit intent holds at most dev.maxFiles (500) files.
const many = Array.from({ length: 500 }, (_, i) => `src/${"a".repeat(200)}/${i}/${"\u00e9".repeat(100)}.ts`);

export const pathCases: HostileCase[] = [
  { inputClass: "paths", name: "1 MB path", limit: LIMIT, run: () => normaliseRepoPath("a/".repeat(500_000)) },
  { inputClass: "paths", name: "2,048 segments against 40 denied globs", limit: LIMIT, run: () => policy.check(deepest) },
  { inputClass: "paths", name: "500 long Unicode paths (a commit at dev.maxFiles), one check each", limit: LIMIT, run: () => many.forEach((p) => policy.check(p)) },
  {
    inputClass: "paths",
    name: "on disk: 2,048 segments through a symlink",
    limit: `${LIMIT}; one lstat a segment`,
    run: () => checkPathOnDisk(repoWithLink(), `lnk/${deepest}`, policy),
  },
];
