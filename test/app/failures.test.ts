import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { BATON_YML, ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "./fixtures/repo-state.js";
import { checkRunRerequested, issueLabeled, pullRequestEvent } from "./fixtures/webhooks.js";

/** The pull request's head: a real commit on top of the test's main (set by openPull). */
let HEAD = "";
const PATCH = ["@@ -3,3 +3,6 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;", "+export const MAX = 1000;"].join("\n");

const REVIEW = {
  summary: "Adds two constants.",
  specCompliance: [],
  adrConformance: [],
  findings: [{ severity: "medium", path: "src/api/users.ts", line: 8, code: "export const MAX = 1000;", confidence: 0.9, title: "MAX exceeds the 50-user limit", body: "Use 50.", source: "spec" }],
};

describe("failures, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  function openPull(main: string, additions = 3) {
    HEAD = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\nexport const MAX = 1000;\n` }, "Add constants");
    const spec = { number: 15, title: "Add constants", body: "Closes #12", headRef: "feature/constants", headSha: HEAD, additions, deletions: 0 };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
    return pullRequestEvent("opened", { ...spec, baseSha: main });
  }

  it("retries a job after Anthropic answers 529 overloaded, and completes the same check run", async () => {
    const main = seedRepository(github);
    claude.failsWith(529, "overloaded_error", "Overloaded").answersWithTool("submit_review", REVIEW);
    const app = await startApp({ instantRetries: true });

    await app.deliver("pull_request", openPull(main));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(2);
    // The retry sends the same request.
    expect(claude.requests[1]).toEqual(claude.requests[0]);
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run.history).toEqual(["queued", "in_progress", "in_progress", "completed:success"]);
    expect(run.output?.title).toBe("1 new finding (1 medium) on 1 file, 1 open");
    expect(github.reviews).toHaveLength(1);
    expect(github.commentsOn(15)).toHaveLength(1);
  });

  it("fails the check run with what to do when Anthropic rejects the API key (401), without retrying", async () => {
    const main = seedRepository(github);
    claude.failsWith(401, "authentication_error", "invalid x-api-key");
    const app = await startApp({ instantRetries: true });

    await app.deliver("pull_request", openPull(main));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ name: "Baton: review", headSha: HEAD, status: "completed", conclusion: "failure" });
    expect(run.output?.summary).toContain("Anthropic rejected the API key (401 authentication_error)");
    expect(run.output?.summary).toContain("set ANTHROPIC_API_KEY to a valid key");
    expect(run.output?.summary).toContain("invalid x-api-key");
    // Nothing else was written: no review, no comment.
    expect(github.reviews).toEqual([]);
    expect(github.commentsOn(15)).toEqual([]);
  });

  it("says a failed architecture review on its issue too, not only on the default branch's check run", async () => {
    seedRepository(github);
    claude.failsWith(401, "authentication_error", "invalid x-api-key");
    const app = await startApp({ instantRetries: true });

    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));

    expect(github.unmatched).toEqual([]);
    expect(github.checkRuns[0]).toMatchObject({ name: "Baton: architecture-review", status: "completed", conclusion: "failure" });
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("The **architecture-review** step failed.");
    expect(comments[0]!.body).toContain("set ANTHROPIC_API_KEY to a valid key");
  });

  it("runs the job again when someone presses Re-run on the failed check run", async () => {
    const main = seedRepository(github);
    claude.failsWith(401, "authentication_error", "invalid x-api-key").answersWithTool("submit_review", REVIEW);
    const app = await startApp({ instantRetries: true });
    await app.deliver("pull_request", openPull(main));
    const failed = github.checkRuns[0]!;
    expect(failed.conclusion).toBe("failure");
    expect(failed.externalId).toMatch(/^baton:v1:/);

    // The key is fixed; a maintainer (octocat, the sender in GitHub's example payload) presses "Re-run" on the check.
    github.permissions.set("octocat", "maintain");
    await app.deliver("check_run", checkRunRerequested(failed));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.history).toEqual(["queued", "in_progress", "completed:failure", "in_progress", "completed:success"]);
    expect(github.reviews).toHaveLength(1);
    expect(github.reviews[0]!.commitId).toBe(HEAD);
  });

  it("names the line and the fix of a malformed .github/baton.yml on the pull request's check run", async () => {
    const broken = BATON_YML.replace("smallChangeLines: 2", "smallChangeLines: ten");
    const line = broken.split("\n").findIndex((l) => l.includes("smallChangeLines: ten")) + 1;
    const main = seedRepository(github, repositoryFiles({ batonYml: broken }));
    const app = await startApp();

    // The edge falls back to defaults (smallChangeLines 10): a 30-line PR is still a review job.
    await app.deliver("pull_request", openPull(main, 30));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ name: "Baton: review", headSha: HEAD, status: "completed", conclusion: "failure" });
    expect(run.output?.title).toContain(".github/baton.yml");
    expect(run.output?.summary).toContain(`.github/baton.yml:${line}:`);
    expect(run.output?.summary).toContain("triggers.smallChangeLines");
    expect(run.output?.summary).toMatch(/Fix: /);
    expect(github.reviews).toEqual([]);
  });

  it("reports a malformed .github/baton.yml for an issue-triggered step on the issue", async () => {
    const broken = BATON_YML.replace("  api:", "\tapi:");
    seedRepository(github, repositoryFiles({ batonYml: broken }));
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const run = github.checkRuns[0];
    expect(run).toMatchObject({ name: "Baton: architecture-review", status: "completed", conclusion: "failure" });
    expect(run!.output?.summary).toMatch(/\.github\/baton\.yml:3:\d+/);
    expect(run!.output?.summary).toContain("Fix: indent with spaces, not tabs");
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/\.github\/baton\.yml:3:\d+/);
    expect(comments[0]!.body).toContain("indent with spaces, not tabs");
  });
});
