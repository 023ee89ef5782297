import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { inferModules } from "../../src/config/infer-modules.js";
import { modulesForPath } from "../../src/config/module-map.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { configGlobProblem, escapeGlob } from "../../src/policy/glob-limits.js";
import { createPathPolicy, devAlwaysDenied } from "../../src/policy/path-policy.js";

/**
 * Globs from the repository are matched on the main thread against paths a
 * committer chooses, so the shapes that backtrack badly are refused when the
 * configuration is read, with the line and column like any config error;
 * folder names from the tree are escaped before they become globs.
 */

describe("config globs are refused at load when their shape is costly", () => {
  it.each([
    ["modules:\n  api: ['*a*a*a*a*a*a*a*a*b']\n", "modules.api[0]", 2, 9, "has more than two * in one folder or file name"],
    ["dev:\n  denyPaths:\n    - '**/a/**/b'\n", "dev.denyPaths[0]", 3, 7, "has more than one ** before its last segment"],
    ["review:\n  ignore: ['+(a|aa)b']\n", "review.ignore[0]", 2, 12, "uses an extglob"],
    ["dev:\n  allowPaths: ['(src|lib)/**']\n", "dev.allowPaths[0]", 2, 16, 'uses "|" alternation'],
    ["dev:\n  protectedPaths: ['*a*b/*a*b']\n", "dev.protectedPaths[0]", 2, 20, "has more than one folder or file name with two *"],
    ["modules:\n  api: ['{a,{b,c}}/**']\n", "modules.api[0]", 2, 9, "has more than one {…} group"],
    [`modules:\n  api: ['src/${"x".repeat(200)}']\n`, "modules.api[0]", 2, 9, "at most 200 characters"],
  ])("%j", (yaml, path, line, column, message) => {
    const result = parseConfig(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ path, line, column, message: expect.stringContaining(message) });
    expect(result.errors[0]!.fix).not.toBe("");
  });

  it.each(["src/**", "src/**/__tests__/**", "**/*.test.*", "*.{ts,tsx}", "!**/*.md", "packages/*/src/**", "**/Jenkinsfile", "docs/[a-z]*.md"])("accepts %j", (glob) => {
    expect(configGlobProblem(glob)).toBeUndefined();
    expect(parseConfig(`dev:\n  denyPaths: ["${glob}"]\n`).ok).toBe(true);
  });
});

describe("a configuration full of costly globs", () => {
  it("is explained in part: the first 20 problems with their lines, then how many more", () => {
    const result = parseConfig(`dev:\n  denyPaths:\n${"    - '*a*a*a*b'\n".repeat(500)}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(21);
    expect(result.errors[0]).toMatchObject({ path: "dev.denyPaths[0]", line: 3, column: 7 });
    expect(result.errors[20]).toMatchObject({ message: "480 more problems not shown (the first 20 are)", line: null });
  });

  it("is refused whole when it is over 32 KB, before YAML parsing", () => {
    const result = parseConfig(`dev:\n  denyPaths:\n${"    - 'src/**'\n".repeat(5000)}`);
    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ message: "the file is 74 KB, over the limit of 32 KB", line: null, path: "" })] });
  });
});

describe("folder names from the repository are literals, not globs", () => {
  it("an inferred module of a folder named like a glob covers that folder only", () => {
    const map = inferModules(["src/*a*a*a*a*a*a*a*a*b/x.ts", "src/api/y.ts"]);
    expect(modulesForPath(map, "src/*a*a*a*a*a*a*a*a*b/x.ts")).toEqual(["a-a-a-a-a-a-a-a-b"]);
    // As a glob it would have matched this folder too (and cost seconds on a long name).
    expect(modulesForPath(map, "src/aXaXaXaXaXaXaXaXb/x.ts")).toEqual([]);
  });

  it("an ADR folder named like a glob (from .adr-dir) is denied to dev as a literal", () => {
    const policy = createPathPolicy({ allow: ["**"], deny: [], alwaysDeny: devAlwaysDenied("docs/*a*a*a*a*a*a*a*a*b") });
    expect(policy.check("docs/*a*a*a*a*a*a*a*a*b/0001-x.md").allowed).toBe(false);
    expect(policy.check("docs/aXaXaXaXaXaXaXaXb/0001-x.md").allowed).toBe(true);
    const steps = declareSteps({ ...defaultConfig(), folders: { ...defaultConfig().folders, pitfalls: "notes/{x,y}" } }, "adr/[x]");
    expect(steps["architecture-review"].writablePaths).toEqual(["adr/\\[x\\]/**"]);
    expect(steps.learning.writablePaths).toEqual(["notes/\\{x,y\\}/**"]);
  });
});

describe("configGlobProblem at the edges of each limit", () => {
  const alternatives = (n: number) => `{${Array.from({ length: n }, (_, i) => `a${i}`).join(",")}}`;

  it.each([
    ["x".repeat(200), undefined],
    ["x".repeat(201), "is 201 characters long, more than 200"],
    [`!${"x".repeat(199)}`, undefined],
    ["!+(a)", "uses an extglob such as +(…) or @(…)"],
    ["a@(b)", "uses an extglob such as +(…) or @(…)"],
    ["x?(a)", "uses an extglob such as +(…) or @(…)"],
    ["\\+(a)", undefined],
    ["|a", 'uses "|" alternation'],
    ["a\\|b", undefined],
    ["{a,b", undefined],
    ["a}{b", undefined],
    ["*a*}", undefined],
    ["{a,*a*a*a*b", "has more than two * in one folder or file name"],
    ["!(a)", undefined],
    ["{a,b*}*x", undefined],
    ["{a,b}/{c,d}", "has more than one {…} group"],
    [alternatives(16), undefined],
    [alternatives(17), "has 17 alternatives in {…}, more than 16"],
    ["**/a/**", undefined],
    ["a/**/**", undefined],
    ["**/**/x", "has more than one ** before its last segment"],
    ["a\\*\\*\\*b", undefined],
    ["*a\\**b*", "has more than two * in one folder or file name"],
    ["*a*b", undefined],
    ["{*a*b,c}/*x*y", "has more than one folder or file name with two *"],
    ["{x,*a*b}/y", undefined],
  ])("%j: %s", (glob, problem) => {
    expect(configGlobProblem(glob)?.message).toBe(problem);
  });

  it("says how to fix the glob", () => {
    expect(configGlobProblem("{a,b}/{c,d}")).toEqual({ message: "has more than one {…} group", fix: "use one {a,b} group per glob, or list the combinations as separate globs" });
    expect(configGlobProblem(alternatives(17))?.fix).toBe("split the list into several globs");
    expect(["x".repeat(201), "+(a)", "(a|b)", "**/a/**/b", "*a*a*a", "*a*/*b*"].map((glob) => configGlobProblem(glob)?.fix)).toEqual([
      "use a shorter glob, e.g. the folder followed by /**",
      "use plain * and ** wildcards, or list the alternatives as separate globs",
      "use one {a,b} group, or list the alternatives as separate globs",
      "keep one ** (a trailing /** is free), e.g. src/**/__tests__/** instead of **/a/**/b",
      "use at most two *, e.g. *.test.*",
      "keep two * in one name only",
    ]);
  });

  it("escapes every character picomatch reads as a wildcard, and nothing else", () => {
    expect(escapeGlob("a*b?[c]{d}(e)!f+g@h|i\\j.k-l")).toBe("a\\*b\\?\\[c\\]\\{d\\}\\(e\\)\\!f\\+g\\@h\\|i\\\\j.k-l");
  });
});

