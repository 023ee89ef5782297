import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkPathOnDisk, createPathPolicy, devAlwaysDenied, normaliseRepoPath } from "../../src/policy/path-policy.js";

/**
 * The one path policy, as a hostile model or committer would probe it. The
 * dev defaults: write anywhere, but never workflows, the ADR folder or Baton's
 * configuration, and never git's own data.
 */
const policy = createPathPolicy({ allow: ["**"], deny: [".github/workflows/**"], alwaysDeny: devAlwaysDenied("docs/adr") });

describe("normaliseRepoPath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/a.ts", "src/a.ts"],
    ["src//a.ts", "src/a.ts"],
    ["src/./a.ts", "src/a.ts"],
    ["src/a.ts/", "src/a.ts"],
    ["docs//adr/0001-x.md", "docs/adr/0001-x.md"],
    // NFD é (e + combining acute) becomes NFC é.
    ["docs/re\u0301sume\u0301.md", "docs/r\u00e9sum\u00e9.md"],
  ])("%j becomes %j", (input, expected) => {
    expect(normaliseRepoPath(input)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ["", /empty/],
    [".", /repository root/],
    ["./", /repository root/],
    ["//", /absolute/],
    ["/etc/passwd", /absolute/],
    ["C:/Windows/x", /drive letter/],
    ["c:x", /drive letter/],
    ["..", /\.\./],
    ["../outside", /\.\./],
    ["src/../../outside", /\.\./],
    ["docs//../.git/config", /\.\./],
    ["src\\a.ts", /backslash/],
    ["..\\outside", /backslash/],
    ["src/a\0.ts", /control character/],
    ["src/a\n.ts", /control character/],
    ["src/a\u001b[31m.ts", /control character/],
    ["src/a\u0085.ts", /control character/],
    ["src/a\u202e.ts", /invisible/],
    [".g\u200cit/config", /invisible/],
    ["src/\ufeffa.ts", /invisible/],
    ["src/a\u2028.ts", /invisible/],
    ["src/a\ud800.ts", /surrogate/],
    [`src/${"a".repeat(256)}`, /longer than 255 bytes/],
    [`src/${"\u00e9".repeat(128)}`, /longer than 255 bytes/],
    [`${"a/".repeat(2048)}x`, /longer than 4096 characters/],
  ])("refuses %j", (input, why) => {
    const result = normaliseRepoPath(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(why);
  });
});

describe("createPathPolicy: the denied set", () => {
  it.each([
    // .git in any case, disguise or depth: git's config runs commands (core.fsmonitor), its hooks run on commit.
    [".git/config", /\.git component/],
    [".GIT/config", /\.git component/],
    [".Git/hooks/pre-commit", /\.git component/],
    ["./.git/config", /\.git component/],
    ["sub/.git", /\.git component/],
    ["vendor/lib/.git/config", /\.git component/],
    [".git", /\.git component/],
    [".git./config", /\.git component/],
    [".git /config", /\.git component/],
    [".git::$INDEX_ALLOCATION/config", /\.git component/],
    ["GIT~1/config", /\.git component/],
    // Configured denial, through doubled slashes, dot segments and case.
    [".github/workflows/ci.yml", /denied by \.github\/workflows\/\*\*/],
    [".github//workflows/ci.yml", /denied by/],
    ["./.github/./workflows/ci.yml", /denied by/],
    [".GitHub/Workflows/ci.yml", /denied by/],
    [".github/workflows", /denied by/],
    // Always denied: the ADR folder and Baton's configuration.
    ["docs/adr/0001-x.md", /always denied: docs\/adr\/\*\*/],
    ["docs//adr/0001-x.md", /always denied/],
    ["docs/./adr//0001-x.md", /always denied/],
    ["Docs/ADR/0001-x.md", /always denied/],
    ["DOCS/adr/README.md", /always denied/],
    [".github/baton.yml", /always denied: \.github\/baton\.yml/],
    [".github//baton.yml", /always denied/],
    [".GITHUB/Baton.YML", /always denied/],
    [".github/baton.yaml", /always denied/],
    [".github/baton.yml.", /always denied/],
    [".github/baton.yml:stream", /always denied/],
    [".adr-dir", /always denied/],
    // Unicode: the long s folds to s, the Kelvin sign to k, NFD to NFC.
    ["doc\u017f/adr/0001-x.md", /always denied/],
    ["docs/adr/0001-\u212a.md", /always denied/],
  ])("refuses %j", (input, why) => {
    const decision = policy.check(input);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason).toMatch(why);
  });

  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    [".github-ish/notes.md", ".github-ish/notes.md"],
    ["docs/adrs-old/x.md", "docs/adrs-old/x.md"],
    [".gitignore", ".gitignore"],
    ["src/.gitkeep", "src/.gitkeep"],
    ["src/git~10.md", "src/git~10.md"],
    ["docs/r\u0065\u0301sum\u0065\u0301.md", "docs/r\u00e9sum\u00e9.md"],
  ])("allows %j as %j", (input, path) => {
    expect(policy.check(input)).toEqual({ allowed: true, path });
  });

  it("compares the allow list exactly: a case variant is not widened into it", () => {
    const narrow = createPathPolicy({ allow: ["src/**"], deny: [] });
    expect(narrow.check("src/a.ts")).toEqual({ allowed: true, path: "src/a.ts" });
    const upper = narrow.check("SRC/a.ts");
    expect(upper.allowed).toBe(false);
    if (!upper.allowed) expect(upper.reason).toBe("SRC/a.ts: outside what the step may write (src/**)");
  });

  it("folds denied globs too, so a configured folder in another case still holds", () => {
    const p = createPathPolicy({ allow: ["**"], deny: ["Infra/Secrets/**"] });
    expect(p.check("infra/secrets/key.pem").allowed).toBe(false);
    expect(p.check("INFRA/SECRETS/key.pem").allowed).toBe(false);
    expect(p.check("infra/public/key.pem").allowed).toBe(true);
    // ß folds to ss, as a case-insensitive disk compares it.
    const street = createPathPolicy({ allow: ["**"], deny: ["strasse/**"] });
    expect(street.check("STRA\u00dfE/x.md").allowed).toBe(false);
  });

  it("denies everything when nothing is allowed", () => {
    const none = createPathPolicy({ allow: [], deny: [] });
    const d = none.check("src/a.ts");
    expect(d).toEqual({ allowed: false, path: "src/a.ts", reason: "src/a.ts: outside what the step may write (nothing)" });
  });

  it("refuses a malformed path with the reason, quoting it so control characters stay visible", () => {
    const d = policy.check("src/a\n.ts");
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toBe('"src/a\\n.ts": not a repository-relative path (contains a control character (NUL, newline, tab…))');
  });

  it("devAlwaysDenied normalises the ADR folder it is given", () => {
    expect(devAlwaysDenied("./doc//decisions/")).toEqual(["doc/decisions/**", ".adr-dir", ".github/baton.yml", ".github/baton.yaml"]);
  });
});

describe("checkPathOnDisk", () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "baton-paths-"));
    root = join(base, "repo");
    mkdirSync(join(root, "src"), { recursive: true });
    mkdirSync(join(base, "outside"));
    writeFileSync(join(base, "outside", "secret"), "s");
    writeFileSync(join(root, "src", "a.ts"), "a");
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("allows a new or existing regular file inside the repository", async () => {
    expect(await checkPathOnDisk(root, "src/a.ts", policy)).toEqual({ allowed: true, path: "src/a.ts" });
    expect(await checkPathOnDisk(root, "src/new/deep/b.ts", policy)).toEqual({ allowed: true, path: "src/new/deep/b.ts" });
    expect(await checkPathOnDisk(root, "./src//c.ts", policy)).toEqual({ allowed: true, path: "src/c.ts" });
  });

  it("refuses a write through a symlinked parent folder", async () => {
    symlinkSync("../outside", join(root, "lnk"));
    const d = await checkPathOnDisk(root, "lnk/x", policy);
    expect(d).toEqual({ allowed: false, path: "lnk/x", reason: "lnk/x: lnk is a symbolic link; Baton never writes through links" });
  });

  it("refuses a symlink deeper in the path, even one that points inside the repository", async () => {
    symlinkSync("..", join(root, "src", "up"));
    const d = await checkPathOnDisk(root, "src/up/src/a.ts", policy);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("src/up is a symbolic link");
  });

  it("refuses a symlink at the target itself", async () => {
    symlinkSync("../outside/secret", join(root, "evil"));
    const d = await checkPathOnDisk(root, "evil", policy);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("evil is a symbolic link");
  });

  it("refuses a dangling symlink at the target", async () => {
    symlinkSync("../outside/not-yet", join(root, "dangling"));
    expect((await checkPathOnDisk(root, "dangling", policy)).allowed).toBe(false);
  });

  it("refuses to write inside a submodule's work tree, or over a folder, or under a file", async () => {
    mkdirSync(join(root, "vendor", "lib"), { recursive: true });
    writeFileSync(join(root, "vendor", "lib", ".git"), "gitdir: ../../.git/modules/lib\n");
    const sub = await checkPathOnDisk(root, "vendor/lib/x.ts", policy);
    expect(sub.allowed).toBe(false);
    if (!sub.allowed) expect(sub.reason).toContain("vendor/lib is another git repository");

    const folder = await checkPathOnDisk(root, "src", policy);
    expect(folder.allowed).toBe(false);
    if (!folder.allowed) expect(folder.reason).toContain("src exists and is not a regular file");

    const under = await checkPathOnDisk(root, "src/a.ts/b.ts", policy);
    expect(under.allowed).toBe(false);
    if (!under.allowed) expect(under.reason).toContain("src/a.ts is a file, not a folder");
  });

  it("asks the policy first: a denied path is refused without looking at the disk", async () => {
    const d = await checkPathOnDisk(root, ".git/config", policy);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain(".git component");
  });

  it("works when the repository root itself is reached through a symlink", async () => {
    symlinkSync(root, join(base, "alias"));
    expect(await checkPathOnDisk(join(base, "alias"), "src/a.ts", policy)).toEqual({ allowed: true, path: "src/a.ts" });
  });
});

describe("the path policy at its edges", () => {
  it("refuses what is not a string, and quotes at most 200 characters of a refused path", () => {
    expect(policy.check(42 as unknown as string)).toEqual({ allowed: false, path: "42", reason: "42: not a repository-relative path (the path is empty)" });
    expect(policy.check(null as unknown as string)).toEqual({ allowed: false, path: "null", reason: "null: not a repository-relative path (the path is empty)" });
    const long = policy.check(`\n${"a".repeat(300)}`);
    expect(long.allowed).toBe(false);
    if (!long.allowed) expect(long.reason).toBe(`${JSON.stringify(`\n${"a".repeat(199)}`)}: not a repository-relative path (contains a control character (NUL, newline, tab…))`);
  });

  it("allows a path of exactly 4096 characters and a name of exactly 255 bytes", () => {
    const longest = `${"a/".repeat(2047)}xy`;
    expect(normaliseRepoPath(longest)).toEqual({ ok: true, path: longest });
    expect(normaliseRepoPath(`src/${"a".repeat(255)}`)).toEqual({ ok: true, path: `src/${"a".repeat(255)}` });
    expect(normaliseRepoPath(`src/${"\u00e9".repeat(127)}a`).ok).toBe(true);
  });

  it("folds an alternate data stream away only after a name: a name that starts with a colon stays under the deny globs", () => {
    const p = createPathPolicy({ allow: ["**"], deny: [".github/*"] });
    expect(p.check(".github/:x").allowed).toBe(false);
    expect(p.check(".github/x:y").allowed).toBe(false);
    expect(p.check("src/:x")).toEqual({ allowed: true, path: "src/:x" });
  });

  it("refuses to build a policy from a costly glob, quoting at most 80 of its characters", () => {
    expect(() => createPathPolicy({ allow: ["*a*a*a*b"], deny: [] })).toThrow('path policy: the glob "*a*a*a*b" has more than two * in one folder or file name (use at most two *, e.g. *.test.*)');
    expect(() => createPathPolicy({ allow: [], deny: ["y".repeat(201)] })).toThrow(`path policy: the glob "${"y".repeat(80)}" is 201 characters long`);
    expect(() => createPathPolicy({ allow: [], deny: [], alwaysDeny: ["**/a/**/b"] })).toThrow(/has more than one \*\* before its last segment/);
  });

  it("has no always-denied globs unless given, and folds those it is given", () => {
    expect(createPathPolicy({ allow: ["**"], deny: [] }).alwaysDeny).toEqual([]);
    const p = createPathPolicy({ allow: ["**"], deny: [], alwaysDeny: ["Secrets/**"] });
    const d = p.check("secrets/key.pem");
    expect(d).toEqual({ allowed: false, path: "secrets/key.pem", reason: "secrets/key.pem: the step may never write here (always denied: Secrets/**)" });
  });

  it("names every allowed glob when a path is outside them", () => {
    const p = createPathPolicy({ allow: ["src/**", "docs/**"], deny: [] });
    expect(p.check("lib/x")).toEqual({ allowed: false, path: "lib/x", reason: "lib/x: outside what the step may write (src/**, docs/**)" });
  });

  it.each([
    ["/docs/adr/", "docs/adr/**"],
    ["//decisions//", "decisions/**"],
    ["./../adr/", "../adr/**"],
    ["../x/*", "../x/\\*/**"],
  ])("devAlwaysDenied keeps an ADR folder it cannot normalise (%j) as a literal without its outer slashes", (folder, glob) => {
    expect(devAlwaysDenied(folder)[0]).toBe(glob);
  });

  it("checkPathOnDisk refuses a denied path for the policy's reason, before looking at the disk", async () => {
    const base = mkdtempSync(join(tmpdir(), "baton-paths-"));
    try {
      const root = join(base, "repo");
      mkdirSync(root);
      mkdirSync(join(base, "elsewhere"));
      symlinkSync("../elsewhere", join(root, ".github"));
      const d = await checkPathOnDisk(root, ".github/workflows/ci.yml", policy);
      expect(d).toEqual({ allowed: false, path: ".github/workflows/ci.yml", reason: ".github/workflows/ci.yml: the step may never write here (denied by .github/workflows/**)" });
      // A root that does not exist is never looked at for a denied path.
      expect(await checkPathOnDisk(join(base, "missing"), ".git/config", policy)).toMatchObject({ allowed: false, path: ".git/config" });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

