import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/**
 * Labelling needs only triage rights on GitHub, yet Baton's labels spend
 * tokens: a label counts only when the person who added it may push.
 */

const ADR_ANSWER = {
  title: "Search users with a bounded query endpoint",
  context: "Issue #12 asks for a search endpoint.",
  drivers: ["At most 50 users per answer"],
  options: [
    { name: "Bounded search endpoint", good: ["bounded"], bad: ["needs an index"] },
    { name: "Client-side filtering", good: ["no endpoint"], bad: ["unbounded downloads"] },
  ],
  decision: "Add a bounded search endpoint.",
  consequences: ["Good, because results are bounded."],
  confirmation: "The review applies the api guidance.",
  modules: ["api"],
  guidance: [],
  supersedes: [],
};

describe("a Baton label counts only from someone with write access", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  function labelledBy(login: string) {
    const payload = issueLabeled(ISSUE_12, "needs-architecture");
    payload.sender = { ...payload.sender, login, id: 7000 + login.length, type: "User" };
    return payload;
  }

  it.each([
    ["triage", "tria-ge"],
    ["read", "reader"],
  ])("ignores needs-architecture added by someone with %s access: no model call, nothing written", async (role, login) => {
    github.permissions.set(login, role);
    const app = await startApp();

    await app.deliver("issues", labelledBy(login));

    expect(github.unmatched).toEqual([]);
    expect(github.requests.some((r) => r.path === `/repos/acme/widgets/collaborators/${login}/permission`)).toBe(true);
    expect(claude.requests).toEqual([]);
    expect(github.writes()).toEqual([]);
    expect(github.checkRuns).toEqual([]);
    expect(github.pulls.size).toBe(0);
  });

  it("ignores it from someone with no access at all (permission \"none\")", async () => {
    const app = await startApp();
    github.permissions.set("stranger", "none");

    await app.deliver("issues", labelledBy("stranger"));

    expect(claude.requests).toEqual([]);
    expect(github.writes()).toEqual([]);
  });

  it.each([
    ["write", "writer"],
    ["maintain", "maintainer"],
  ])("runs the architecture review when someone with %s access adds it", async (role, login) => {
    github.permissions.set(login, role);
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const app = await startApp();

    await app.deliver("issues", labelledBy(login));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toHaveLength(1);
    expect(github.checkRuns).toMatchObject([{ name: "Baton: architecture-review", conclusion: "success" }]);
    expect([...github.pulls.values()].map((p) => p.title)).toEqual(["ADR 2: Search users with a bounded query endpoint"]);
  });
});
