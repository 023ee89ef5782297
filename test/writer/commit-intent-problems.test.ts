import { describe, expect, it } from "vitest";
import { commitIntentProblems, gitBlobSha } from "../../src/writer/github-commit.js";
import type { CommitIntent } from "../../src/writer/intents.js";
import { sha } from "./github-fake.js";

/**
 * A commit intent GitHub would refuse, or that is ambiguous, is refused with
 * every reason before the first request: the user reads what to fix, and
 * nothing is half-written.
 */
const intent = (overrides: Partial<CommitIntent> = {}): CommitIntent => ({
  kind: "commit",
  branch: "baton/dev/7-cache",
  baseSha: sha("base"),
  message: "feat: cache",
  files: [{ path: "src/cache.ts", content: "x" }],
  ...overrides,
});
const problemsOf = (overrides: Partial<CommitIntent>) => commitIntentProblems(intent(overrides));

describe("commit intent problems", () => {
  it("accepts a well-formed intent, a SHA-256 base and a fork named owner/repo", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ baseSha: "a".repeat(64), mergeWith: sha("other"), repository: "octo-cat/widgets.js_2" })).toEqual([]);
    expect(problemsOf({ branch: "feature/a-b_c.d@x" })).toEqual([]);
  });

  it("names an empty branch, and one given as a full ref", () => {
    expect(problemsOf({ branch: "" })).toEqual(["commit to : the branch name is empty"]);
    expect(problemsOf({ branch: "refs/heads/x" })).toEqual(['commit to refs/heads/x: give the branch name without "refs/heads/" (refs/heads/x)']);
  });

  it.each([
    "a b",
    "a\tb",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[b",
    "a\\b",
    "a\u0001b",
    "a\u007fb",
    "a..b",
    "a@{1}",
    "a//b",
    "/a",
    ".a",
    "-a",
    "a/",
    "a.",
    "a.lock",
    "a/.b",
    "@",
  ])("refuses the branch name %j as git does", (branch) => {
    expect(problemsOf({ branch })).toEqual([`commit to ${branch}: "${branch}" is not a valid branch name`]);
  });

  it("accepts names that only look close to a refused one", () => {
    for (const branch of ["a.b", "a-b", "a/b", "a@b", "lock", "a.lockfile", "a/b.c", "x@", "a-"]) expect(problemsOf({ branch }), branch).toEqual([]);
  });

  it("wants full commit SHAs, so no ref can move under the write", () => {
    expect(problemsOf({ baseSha: "main" })).toEqual(['commit to baton/dev/7-cache: baseSha must be a full commit SHA, not "main" (a ref name could move)']);
    expect(problemsOf({ baseSha: sha("base").slice(0, 12) })).toHaveLength(1);
    expect(problemsOf({ baseSha: `${sha("base")}0` })).toHaveLength(1);
    for (const baseSha of [sha("base").toUpperCase(), `g${sha("base")}`, "a", "z".repeat(64), "a".repeat(63), "a".repeat(65)]) expect(problemsOf({ baseSha }), baseSha).toHaveLength(1);
    expect(problemsOf({ mergeWith: "HEAD" })).toEqual(['commit to baton/dev/7-cache: mergeWith must be a full commit SHA, not "HEAD"']);
  });

  it("wants a commit message with words in it", () => {
    expect(problemsOf({ message: " \n\t" })).toEqual(["commit to baton/dev/7-cache: the commit message is empty"]);
  });

  it.each(["widgets", "acme/", "/widgets", "-acme/widgets", "acme/wid gets", "acme/widgets/extra", `${"a".repeat(40)}/widgets`, `acme/${"w".repeat(101)}`])(
    "refuses the repository %j",
    (repository) => {
      expect(problemsOf({ repository })).toEqual([`commit to baton/dev/7-cache: "${repository}" is not a repository (owner/repo)`]);
    },
  );

  it("accepts the longest owner and repository names GitHub allows", () => {
    expect(problemsOf({ repository: `${"a".repeat(39)}/${"w".repeat(100)}` })).toEqual([]);
  });

  it("names a path that is not repository-relative, a path given twice, and two that are one file on a case-insensitive disk", () => {
    expect(
      problemsOf({
        files: [
          { path: "../etc/passwd", content: "x" },
          { path: "docs/a.md", content: "1" },
          { path: "docs/a.md", content: "2" },
          { path: "docs/B.md", content: "3" },
          { path: "docs/b.md", content: null },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^commit to baton\/dev\/7-cache: "\.\.\/etc\/passwd" is not a repository-relative path \(.+\)$/),
      "commit to baton/dev/7-cache: docs/a.md appears twice in one commit",
      "commit to baton/dev/7-cache: docs/B.md and docs/b.md name the same file on a case-insensitive disk",
    ]);
  });

  it("lists every problem at once", () => {
    expect(problemsOf({ branch: "a..b", baseSha: "main", message: "", repository: "x" })).toHaveLength(4);
  });
});

describe("git blob ids", () => {
  it("match git hash-object, for SHA-1 and SHA-256 repositories, counting bytes not characters", () => {
    // `printf 'hello\n' | git hash-object --stdin` (and with --object-format=sha256)
    expect(gitBlobSha("hello\n", "sha256")).toBe("2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4");
    // `printf 'é' | git hash-object --stdin`: 2 bytes in UTF-8.
    expect(gitBlobSha("é")).toBe("4b04fff51468d8ab5201ab02b725dc477bc7cb45");
  });
});
