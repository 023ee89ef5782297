import { describe, expect, it } from "vitest";
import { commandRequest, pullRequestRequest, pushRequests } from "../../src/app/event-requests.js";
import { knowledgePushRequest, MAX_PUSHED_PATHS, reviewSubmittedRequest } from "../../src/app/knowledge-requests.js";
import { defaultConfig, type BatonConfig } from "../../src/config/config-schema.js";

/**
 * The pure half of routing: payload fields in, job requests out. Each case
 * is a decision a person would notice: a review that runs or not, a spec
 * reviewed or not, the reply a misplaced command gets.
 */

const target = { owner: "octo", repo: "shop", installationId: 7 };
const config = defaultConfig();
const AFTER = "f".repeat(40);
const withConfig = (patch: (c: BatonConfig) => void): BatonConfig => {
  const c = structuredClone(config);
  patch(c);
  return c;
};

describe("a push to the default branch", () => {
  const push = (commits: { added?: string[]; modified?: string[] }[], over: Partial<{ ref: string; after: string; defaultBranch: string }> = {}) => ({ ref: "refs/heads/main", after: AFTER, defaultBranch: "main", commits, ...over });
  const paths = (c: BatonConfig, p: ReturnType<typeof push>) => pushRequests(target, c, p).map((r) => (r.kind === "architecture-review" && r.spec.kind === "file" ? r.spec.path : r.kind));

  it("reviews each Markdown spec once, in path order, at the pushed commit", () => {
    expect(pushRequests(target, config, push([{ added: ["docs/specs/b.md"] }, { modified: ["docs/specs/a.MD", "docs/specs/b.md"] }]))).toEqual([
      { kind: "architecture-review", target, spec: { kind: "file", path: "docs/specs/a.MD", commit: AFTER }, cause: "push-ffffffffffff" },
      { kind: "architecture-review", target, spec: { kind: "file", path: "docs/specs/b.md", commit: AFTER }, cause: "push-ffffffffffff" },
    ]);
  });

  it("leaves out what is not a spec: other folders, other files, READMEs, pinned specs", () => {
    const commits = [{ added: ["docs/specs.md", "docs/specsx/a.md", "src/docs/specs/a.md", "docs/specs/a.txt", "docs/specs/a.md.bak", "docs/specs/README.md", "docs/specs/api/readme.MD", "docs/specs/pinned/issue-3.md", "docs/specs/api/search.md", "docs/specs/not-a-readme.md", "docs/specs/readme.md-draft.md"] }];
    expect(paths(config, push(commits))).toEqual(["docs/specs/api/search.md", "docs/specs/not-a-readme.md", "docs/specs/readme.md-draft.md"]);
  });

  it("takes the specs folder from the config, with or without a trailing slash", () => {
    for (const specs of ["specs", "specs/", "specs//"]) {
      expect(paths(withConfig((c) => (c.folders.specs = specs)), push([{ added: ["specs/a.md", "specs/pinned/issue-3.md", "docs/specs/b.md"] }]))).toEqual(["specs/a.md"]);
    }
  });

  it("asks for nothing on another branch or when the branch is deleted", () => {
    const commits = [{ added: ["docs/specs/a.md"] }];
    expect(pushRequests(target, config, push(commits, { ref: "refs/heads/feature" }))).toEqual([]);
    expect(pushRequests(target, config, push(commits, { ref: "refs/heads/main-old" }))).toEqual([]);
    expect(pushRequests(target, config, push(commits, { after: "0".repeat(40) }))).toEqual([]);
    expect(pushRequests(target, config, push(commits, { ref: "refs/heads/trunk", defaultBranch: "trunk" }))).toHaveLength(1);
    // A commit that merely starts or ends with zeros is a commit.
    expect(pushRequests(target, config, push(commits, { after: `0${"f".repeat(39)}` }))).toHaveLength(1);
    expect(pushRequests(target, config, push(commits, { after: `${"f".repeat(39)}0` }))).toHaveLength(1);
  });
});

describe("a knowledge refresh after a push", () => {
  const before = "b".repeat(40);
  const push = (commits: { added?: string[]; modified?: string[]; removed?: string[] }[], over: Partial<{ ref: string; before: string; after: string }> = {}) => ({ ref: "refs/heads/main", before, after: AFTER, defaultBranch: "main", commits, ...over });

  it("lists the Markdown and config files it touched, added, modified or removed, once each, sorted", () => {
    const req = knowledgePushRequest(target, push([{ added: ["z.markdown", "src/a.ts"], removed: [".adr-dir"] }, { modified: [".github/baton.yaml", "docs/A.MD", "z.markdown"] }]));
    expect(req).toEqual({ kind: "default-branch-changed", target, before, after: AFTER, paths: [".adr-dir", ".github/baton.yaml", "docs/A.MD", "z.markdown"], cause: "push-ffffffffffff" });
  });

  it("leaves out files that only look like config", () => {
    expect(knowledgePushRequest(target, push([{ modified: ["x/.github/baton.yml", ".github/baton.yml.bak", "a.md.txt", "x.adr-dir", ".adr-dir.old"] }]))).toBeNull();
  });

  it("treats the paths as unknown past 500 paths or at GitHub's 20 listed commits", () => {
    const many = Array.from({ length: MAX_PUSHED_PATHS + 1 }, (_, i) => `src/f${i}.ts`);
    expect(knowledgePushRequest(target, push([{ added: many }]))).toMatchObject({ paths: null });
    expect(knowledgePushRequest(target, push([{ added: many.slice(0, MAX_PUSHED_PATHS) }]))).toBeNull();
    expect(knowledgePushRequest(target, push(Array.from({ length: 19 }, () => ({ modified: ["src/a.ts"] }))))).toBeNull();
    expect(knowledgePushRequest(target, push(Array.from({ length: 20 }, () => ({ modified: ["docs/a.md"] }))))).toMatchObject({ paths: null });
  });

  it("asks for nothing for a new or deleted branch", () => {
    const commits = [{ modified: ["docs/a.md"] }];
    expect(knowledgePushRequest(target, push(commits, { after: "0".repeat(40) }))).toBeNull();
    expect(knowledgePushRequest(target, push(commits, { before: "0".repeat(40) }))).toBeNull();
    expect(knowledgePushRequest(target, push(commits, { before: `0${"b".repeat(39)}` }))).toMatchObject({ paths: ["docs/a.md"] });
    // Commits whose ids merely start or end with zeros are commits.
    expect(knowledgePushRequest(target, push(commits, { before: `${"b".repeat(39)}0` }))).toMatchObject({ paths: ["docs/a.md"] });
    expect(knowledgePushRequest(target, push(commits, { after: `0${"f".repeat(39)}` }))).toMatchObject({ paths: ["docs/a.md"] });
    expect(knowledgePushRequest(target, push(commits, { after: `${"f".repeat(39)}0` }))).toMatchObject({ paths: ["docs/a.md"] });
  });

  it("an approval counts in any case GitHub spells it", () => {
    const review = { pullNumber: 9, state: "APPROVED", reviewer: "lead", reviewerType: "User", reviewId: 77, pullOpen: true, headRepo: "octo/shop", baseRepo: "octo/shop" };
    expect(reviewSubmittedRequest(target, review)).toMatchObject({ decision: "accepted" });
  });
});

describe("a pull request opened or pushed to", () => {
  const pr = { number: 3, draft: false, headSha: "h".repeat(40), headRepo: "octo/shop", baseRepo: "octo/shop", labels: ["ui"], additions: 8, deletions: 3 };

  it("is reviewed at its head when it is over the small-change size", () => {
    expect(pullRequestRequest(target, config, pr, "pr-hhh")).toEqual({ request: { kind: "review", target, pullNumber: 3, headSha: pr.headSha, cause: "pr-hhh" } });
    expect(pullRequestRequest(target, config, { ...pr, additions: 7 }, "c")).toEqual({ skip: "small change (10 lines ≤ triggers.smallChangeLines 10)" });
    expect(pullRequestRequest(target, withConfig((c) => (c.triggers.smallChangeLines = 0)), { ...pr, additions: 1, deletions: 0 }, "c")).toHaveProperty("request");
  });

  it("as a draft, is reviewed when triggers.reviewDrafts says so", () => {
    expect(pullRequestRequest(target, config, { ...pr, draft: true }, "c")).toEqual({ skip: "draft pull request (set triggers.reviewDrafts to review drafts)" });
    expect(pullRequestRequest(target, withConfig((c) => (c.triggers.reviewDrafts = true)), { ...pr, draft: true }, "c")).toHaveProperty("request");
  });

  it("is skipped with the configured skip label, when the review step is off, or from a fork", () => {
    expect(pullRequestRequest(target, withConfig((c) => (c.triggers.skipLabel = "no-bot")), { ...pr, labels: ["no-bot"] }, "c")).toEqual({ skip: "labelled no-bot" });
    expect(pullRequestRequest(target, withConfig((c) => (c.steps.review = { ...c.steps.review, enabled: false })), pr, "c")).toEqual({ skip: "the review step is disabled in .github/baton.yml" });
    expect(pullRequestRequest(target, config, { ...pr, headRepo: null }, "c")).toEqual({ skip: "pull request from a fork: reviews run only when a maintainer comments /baton review" });
  });

  it("pushed to, is reviewed again unless triggers.reviewOnPush is off", () => {
    const off = withConfig((c) => (c.triggers.reviewOnPush = false));
    expect(pullRequestRequest(target, off, pr, "c", "synchronize")).toEqual({ skip: "new pushes are not reviewed (triggers.reviewOnPush is false; comment /baton review)" });
    expect(pullRequestRequest(target, off, pr, "c", "reopened")).toHaveProperty("request");
    expect(pullRequestRequest(target, off, pr, "c")).toHaveProperty("request");
    expect(pullRequestRequest(target, config, pr, "c", "synchronize")).toHaveProperty("request");
  });
});

describe("a command, where it was commented", () => {
  const onIssue = { number: 12, isPullRequest: false, commentUrl: "https://github.com/octo/shop/issues/12#issuecomment-1", author: "ada" };
  const onPull = { ...onIssue, number: 5, isPullRequest: true, headSha: "h".repeat(40) };
  const reply = (where: { number: number }, body: string) => ({ kind: "reply", target, number: where.number, body, marker: "<!-- baton:reply comment-1 -->", cause: "comment-1" });

  it("runs the step on the kind of thread it works on", () => {
    expect(commandRequest(target, { name: "help" }, onPull, "comment-1")).toEqual({ kind: "help", target, number: 5, cause: "comment-1" });
    expect(commandRequest(target, { name: "architect" }, onIssue, "comment-1")).toEqual({ kind: "architecture-review", target, spec: { kind: "issue", number: 12 }, cause: "comment-1" });
    expect(commandRequest(target, { name: "dev" }, onIssue, "comment-1")).toEqual({ kind: "dev", target, issueNumber: 12, cause: "comment-1" });
    expect(commandRequest(target, { name: "review" }, onPull, "comment-1")).toEqual({ kind: "review", target, pullNumber: 5, headSha: onPull.headSha, cause: "comment-1", force: true });
    expect(commandRequest(target, { name: "accept" }, onPull, "comment-1")).toEqual({ kind: "adr-decision", target, pullNumber: 5, decision: "accepted", by: "ada", via: "command", cause: "comment-1" });
    expect(commandRequest(target, { name: "dismiss", ids: ["0a1b2c3d"] }, onPull, "comment-1")).toEqual({ kind: "dismiss", target, pullNumber: 5, ids: ["0a1b2c3d"], author: "ada", cause: "comment-1" });
    expect(commandRequest(target, { name: "trace" }, onPull, "comment-1")).toEqual({ kind: "trace", target, number: 5, isPullRequest: true, query: null, cause: "comment-1" });
  });

  it("/baton context defaults to the review on a pull request and the architecture review on an issue", () => {
    expect(commandRequest(target, { name: "context" }, onPull, "comment-1")).toEqual({ kind: "context", target, number: 5, step: "review", cause: "comment-1" });
    expect(commandRequest(target, { name: "context" }, onIssue, "comment-1")).toEqual({ kind: "context", target, number: 12, step: "architecture-review", cause: "comment-1" });
    expect(commandRequest(target, { name: "context", step: "dev" }, onPull, "comment-1")).toMatchObject({ step: "dev" });
  });

  it("/baton remember carries the lesson, its module, the comment and its author", () => {
    expect(commandRequest(target, { name: "remember", lesson: "Clamp limits", module: "api" }, onPull, "comment-1")).toEqual({
      kind: "remember",
      target,
      number: 5,
      lesson: "Clamp limits",
      module: "api",
      commentUrl: onPull.commentUrl,
      author: "ada",
      cause: "comment-1",
      isPullRequest: true,
    });
    expect(commandRequest(target, { name: "remember", lesson: "" }, onIssue, "comment-1")).toEqual(reply(onIssue, "Usage: `/baton remember [--module <name>] <lesson>`"));
  });

  it("on the wrong kind of thread gets a reply saying where it works", () => {
    expect(commandRequest(target, { name: "architect" }, onPull, "comment-1")).toEqual(reply(onPull, "`/baton architect` works on issues: comment it on the issue that holds the spec."));
    expect(commandRequest(target, { name: "dev" }, onPull, "comment-1")).toEqual(reply(onPull, "`/baton dev` works on issues: comment it on the issue whose ADR was accepted."));
    expect(commandRequest(target, { name: "review" }, onIssue, "comment-1")).toEqual(reply(onIssue, "`/baton review` works on pull requests."));
    expect(commandRequest(target, { name: "review" }, { ...onPull, headSha: undefined }, "comment-1")).toEqual(reply(onPull, "`/baton review` works on pull requests."));
    expect(commandRequest(target, { name: "reject" }, onIssue, "comment-1")).toEqual(reply(onIssue, "`/baton reject` works on the pull request that proposes the ADR."));
    expect(commandRequest(target, { name: "dismiss", ids: ["0a1b2c3d"] }, onIssue, "comment-1")).toEqual(reply(onIssue, "`/baton dismiss <id>` works on pull requests: the id is in Baton's review summary."));
    expect(commandRequest(target, { name: "dismiss", ids: [] }, onPull, "comment-1")).toEqual(reply(onPull, "Usage: `/baton dismiss <id>`, with the 8-character id of a finding from Baton's review summary."));
  });

  it("unknown gets a reply naming it as code, whatever it holds", () => {
    expect(commandRequest(target, { name: "unknown", word: "frob`nicate" }, onIssue, "comment-1")).toEqual(reply(onIssue, "Baton does not know ``/baton frob`nicate``. Comment `/baton help` for the list of commands."));
  });
});
