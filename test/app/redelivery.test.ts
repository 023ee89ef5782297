import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

const ADR_ANSWER = {
  title: "Search users with a bounded query endpoint",
  context: "Issue #12 asks for a user search.",
  drivers: ["At most 50 users per answer"],
  options: [
    { name: "Bounded search endpoint", good: ["bounded"], bad: ["needs an index"] },
    { name: "Client-side filtering", good: ["no endpoint"], bad: ["unbounded downloads"] },
  ],
  confirmation: "The review applies the api rule below.",
  decision: "Add a bounded search endpoint in the api module.",
  consequences: ["Good, because results are bounded."],
  modules: ["api"],
  guidance: [{ module: "api", rules: [{ level: "MUST", rule: "clamp `limit` to 50", check: "`limit` goes through a clamp" }] }],
  supersedes: [],
};

describe("a redelivered webhook changes nothing", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  it("refuses the same delivery a second time: no model call, no request of any kind", async () => {
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const app = await startApp();
    const payload = issueLabeled(ISSUE_12, "needs-architecture");

    await app.deliver("issues", payload, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    expect(claude.requests).toHaveLength(1);
    expect(github.pulls.size).toBe(1);
    const requestsAfterFirst = github.requests.length;

    // GitHub's "Redeliver" sends the same delivery id.
    await app.deliver("issues", payload, "72d3162e-cc78-11e3-81ab-4c9367dc0958");

    expect(claude.requests).toHaveLength(1);
    expect(github.requests.length).toBe(requestsAfterFirst);
    expect(github.unmatched).toEqual([]);
    expect(github.pulls.size).toBe(1);
    expect(github.commentsOn(12)).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
  });

  it("retries routing that failed on a GitHub hiccup, and handles a redelivery again when routing failed for good", async () => {
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const app = await startApp({ instantRetries: true });
    const payload = issueLabeled(ISSUE_12, "needs-architecture");
    // Routing runs in the worker, after GitHub has its 200: a 502 reading the config is retried there.
    github.failOnce("GET", "/repos/acme/widgets/contents/.github/baton.yml", 502);
    await app.deliver("issues", payload, "5a1f2b3c-0000-4000-8000-000000000001");
    expect(claude.isDone()).toBe(true);
    expect(github.pulls.size).toBe(1);

    // A permanent failure (403) is not retried and the delivery is not remembered as done...
    const relabel = issueLabeled(ISSUE_12, "ready-for-dev");
    const configReads = () => github.requests.filter((r) => r.path === "/repos/acme/widgets/contents/.github/baton.yml").length;
    const before = configReads();
    github.failOnce("GET", "/repos/acme/widgets/contents/.github/baton.yml", 403);
    await app.deliver("issues", relabel, "5a1f2b3c-0000-4000-8000-000000000002");
    expect(configReads()).toBe(before + 1);
    // ...so when a maintainer redelivers it, it is routed again.
    await app.deliver("issues", relabel, "5a1f2b3c-0000-4000-8000-000000000002");
    expect(configReads()).toBe(before + 2);
  });

  it("after a restart, finds the check run that finished for this delivery: no model call, nothing written", async () => {
    // One answer only: a second model call would find no interceptor and fail the test.
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const payload = issueLabeled(ISSUE_12, "needs-architecture");
    const first = await startApp();
    await first.deliver("issues", payload, "delivery-before-restart");
    const branch = "baton/adr/12-add-a-user-search-endpoint";
    const tip = github.branchSha(branch);
    expect(tip).toBeDefined();
    const pr = [...github.pulls.values()][0]!;
    const comment = github.commentsOn(12)[0]!;
    const writesBefore = github.writes().length;

    // A new process: no memory of the first run; only what is on GitHub.
    const second = await startApp();
    await second.deliver("issues", payload, "delivery-before-restart");

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(1);
    expect(github.writes().slice(writesBefore)).toEqual([]);
    expect(github.branchSha(branch)).toBe(tip);
    expect(github.pulls.size).toBe(1);
    expect(github.pulls.get(pr.number)!.body).toBe(pr.body);
    expect(github.commentsOn(12)).toEqual([comment]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!.conclusion).toBe("success");
    expect(github.checkRuns[0]!.output?.summary).toContain("<!-- baton:job label-delivery-before-restart -->");
  });
});
