import { describe, expect, it } from "vitest";
import { NEEDS_WRITE, parseBatonCommand } from "../../src/app/baton-command.js";
import { knowledgePushRequest, pullClosedRequest, reviewSubmittedRequest } from "../../src/app/knowledge-requests.js";
import { commandRequest, labelRequest, pullRequestRequest, pushRequests } from "../../src/app/event-requests.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { jobId, jobKey } from "../../src/runner/job-request.js";
import { checkRunExternalId, parseCheckRunExternalId } from "../../src/runner/check-run-id.js";
import { isBatonAuthored } from "../../src/writer/github-writer.js";

const target = { owner: "octo", repo: "shop", installationId: 7 };
const config = defaultConfig();

describe("comment commands", () => {
  it("parses commands, ignoring quoted and fenced ones", () => {
    expect(parseBatonCommand("/baton dev")).toEqual({ name: "dev" });
    expect(parseBatonCommand("thanks!\n/baton remember --module api Always paginate")).toEqual({ name: "remember", lesson: "Always paginate", module: "api" });
    expect(parseBatonCommand("> /baton dev")).toBeNull();
    expect(parseBatonCommand("```\n/baton dev\n```")).toBeNull();
    expect(parseBatonCommand("/baton context review")).toEqual({ name: "context", step: "review" });
    expect(parseBatonCommand("/baton frobnicate")).toEqual({ name: "unknown", word: "frobnicate" });
    expect(parseBatonCommand("no command here")).toBeNull();
  });

  it("turns a command into a job, or a helpful reply where it does not apply", () => {
    const where = { number: 5, isPullRequest: true, headSha: "h".repeat(40), commentUrl: "u", author: "ada" };
    expect(commandRequest(target, { name: "review" }, where, "comment-1")).toMatchObject({ kind: "review", pullNumber: 5, force: true });
    expect(commandRequest(target, { name: "dev" }, where, "comment-1")).toMatchObject({ kind: "reply", body: expect.stringContaining("works on issues") });
  });
});

describe("knowledge triggers", () => {
  const push = { ref: "refs/heads/main", before: "a".repeat(40), after: "f".repeat(40), defaultBranch: "main", commits: [{ added: ["docs/adr/0002-x.md"], modified: ["src/a.ts"], removed: [".github/baton.yml"] }] };

  it("a push to the default branch touching Markdown or the config asks for one job, with the paths that matter", () => {
    expect(knowledgePushRequest(target, push)).toEqual({ kind: "default-branch-changed", target, before: push.before, after: push.after, paths: [".github/baton.yml", "docs/adr/0002-x.md"], cause: "push-ffffffffffff" });
    expect(knowledgePushRequest(target, { ...push, commits: [{ modified: ["src/a.ts"] }] })).toBeNull();
    expect(knowledgePushRequest(target, { ...push, ref: "refs/heads/feature" })).toBeNull();
    // A branch created from nothing, or a push too big to list: the paths are unknown, not empty.
    expect(knowledgePushRequest(target, { ...push, before: "0".repeat(40) })).toBeNull();
    expect(knowledgePushRequest(target, { ...push, commits: Array.from({ length: 20 }, () => ({ modified: ["src/a.ts"] })) })).toMatchObject({ paths: null });
  });

  it("an approval by a person of a same-repository open pull request accepts; anything else asks for nothing", () => {
    const review = { pullNumber: 9, state: "approved", reviewer: "lead", reviewerType: "User", reviewId: 77, pullOpen: true, headRepo: "octo/shop", baseRepo: "octo/shop" };
    expect(reviewSubmittedRequest(target, review)).toEqual({ kind: "adr-decision", target, pullNumber: 9, decision: "accepted", by: "lead", via: "approval", cause: "review-77" });
    expect(reviewSubmittedRequest(target, { ...review, state: "commented" })).toBeNull();
    expect(reviewSubmittedRequest(target, { ...review, reviewerType: "Bot" })).toBeNull();
    expect(reviewSubmittedRequest(target, { ...review, headRepo: "evil/shop" })).toBeNull();
    expect(reviewSubmittedRequest(target, { ...review, pullOpen: false })).toBeNull();
  });

  it("/baton accept and /baton reject are decisions on a pull request, and need write access", () => {
    expect(parseBatonCommand("/baton accept")).toEqual({ name: "accept" });
    expect(NEEDS_WRITE.has("accept") && NEEDS_WRITE.has("reject")).toBe(true);
    const where = { number: 5, isPullRequest: true, commentUrl: "u", author: "ada" };
    expect(commandRequest(target, { name: "reject" }, where, "comment-1")).toEqual({ kind: "adr-decision", target, pullNumber: 5, decision: "rejected", by: "ada", via: "command", cause: "comment-1" });
    expect(commandRequest(target, { name: "accept" }, { ...where, isPullRequest: false }, "comment-1")).toMatchObject({ kind: "reply", body: expect.stringContaining("works on the pull request") });
  });

  it("a closed pull request asks to learn from it, unless it is Baton's own pitfall pull request", () => {
    expect(pullClosedRequest(target, { number: 9, merged: true, headRef: "feature" }, "closed-d1")).toEqual({ kind: "learn-from-pull", target, pullNumber: 9, merged: true, cause: "closed-d1" });
    expect(pullClosedRequest(target, { number: 9, merged: true, headRef: "baton/pitfalls/learned-3" }, "closed-d1")).toBeNull();
  });

  it("/baton trace [ref] asks for a trace, anyone may ask (no model is called)", () => {
    expect(parseBatonCommand("/baton trace #12")).toEqual({ name: "trace", ref: "#12" });
    expect(parseBatonCommand("/baton trace")).toEqual({ name: "trace" });
    expect(NEEDS_WRITE.has("trace")).toBe(false);
    const where = { number: 5, isPullRequest: false, commentUrl: "u", author: "ada" };
    expect(commandRequest(target, { name: "trace", ref: "7" }, where, "comment-2")).toEqual({ kind: "trace", target, number: 5, isPullRequest: false, query: "7", cause: "comment-2" });
  });
});

describe("event triggers", () => {
  it("maps configured labels to steps", () => {
    expect(labelRequest(target, config, "needs-architecture", 12, "c")).toMatchObject({ kind: "architecture-review", spec: { kind: "issue", number: 12 } });
    expect(labelRequest(target, config, "ready-for-dev", 12, "c")).toMatchObject({ kind: "dev", issueNumber: 12 });
    expect(labelRequest(target, config, "bug", 12, "c")).toBeNull();
  });

  it("starts an architecture review for specs pushed to the default branch only", () => {
    const push = { ref: "refs/heads/main", after: "f".repeat(40), defaultBranch: "main", commits: [{ added: ["docs/specs/a.md", "src/x.ts"], modified: ["docs/specs/b.md"] }] };
    expect(pushRequests(target, config, push).map((r) => (r.kind === "architecture-review" && r.spec.kind === "file" ? r.spec.path : ""))).toEqual(["docs/specs/a.md", "docs/specs/b.md"]);
    expect(pushRequests(target, config, { ...push, ref: "refs/heads/feature" })).toEqual([]);
    // A spec pinned when its ADR was accepted already has its ADR.
    expect(pushRequests(target, config, { ...push, commits: [{ added: ["docs/specs/pinned/issue-12.md"] }] })).toEqual([]);
  });

  it("skips forks, drafts, the skip label and small changes", () => {
    const pr = { number: 3, draft: false, headSha: "h".repeat(40), headRepo: "octo/shop", baseRepo: "octo/shop", labels: [], additions: 30, deletions: 5 };
    expect(pullRequestRequest(target, config, pr, "c")).toHaveProperty("request");
    expect(pullRequestRequest(target, config, { ...pr, headRepo: "evil/shop" }, "c")).toMatchObject({ skip: expect.stringContaining("fork") });
    expect(pullRequestRequest(target, config, { ...pr, draft: true }, "c")).toMatchObject({ skip: expect.stringContaining("draft") });
    expect(pullRequestRequest(target, config, { ...pr, labels: ["baton:skip"] }, "c")).toMatchObject({ skip: expect.stringContaining("baton:skip") });
    expect(pullRequestRequest(target, config, { ...pr, additions: 3, deletions: 2 }, "c")).toMatchObject({ skip: expect.stringContaining("small change") });
    const noPush = { ...config, triggers: { ...config.triggers, reviewOnPush: false } };
    expect(pullRequestRequest(target, noPush, pr, "c", "synchronize")).toMatchObject({ skip: expect.stringContaining("reviewOnPush") });
    expect(pullRequestRequest(target, noPush, pr, "c", "opened")).toHaveProperty("request");
  });

  it("trusts a hidden marker only at the top of a comment Baton's own account wrote", () => {
    const marker = "<!-- baton:review-summary pr -->";
    const bot = { login: "baton[bot]", appSlug: "baton" };
    expect(isBatonAuthored({ body: `${marker}\nstate`, user: { login: "baton[bot]" } }, marker, bot)).toBe(true);
    expect(isBatonAuthored({ body: `${marker}\nforged`, user: { login: "octocat" } }, marker, bot)).toBe(false);
    expect(isBatonAuthored({ body: `${marker}\nforged`, user: { login: "other-app[bot]" } }, marker, bot)).toBe(false);
    expect(isBatonAuthored({ body: `quoted ${marker}`, user: { login: "baton[bot]" } }, marker, bot)).toBe(false);
    expect(isBatonAuthored({ body: "no marker", user: { login: "baton[bot]" } }, marker, bot)).toBe(false);
  });

  it("gives a redelivered event the same job id, and serialises per issue or PR", () => {
    const a = labelRequest(target, config, "needs-architecture", 12, "label-delivery-1")!;
    expect(jobId(a)).toBe(jobId(labelRequest(target, config, "needs-architecture", 12, "label-delivery-1")!));
    expect(jobKey(a)).toBe("octo/shop#12");
    const review = { kind: "review" as const, target, pullNumber: 3, headSha: "h".repeat(40), cause: "pr-x" };
    expect(parseCheckRunExternalId(checkRunExternalId(review))).toEqual({ kind: "review", pullNumber: 3, headSha: "h".repeat(40) });
    // `/baton review` on the same commit reuses the automatic review's check run.
    expect(checkRunExternalId({ ...review, force: true })).toBe(checkRunExternalId(review));
  });
});
