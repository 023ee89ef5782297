import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

const SEARCH_TS = `import { db } from "../db.js";

const MAX_LIMIT = 50;

export async function searchUsers(query: string, limit = MAX_LIMIT) {
  return db.users.find(query).slice(0, Math.min(limit, MAX_LIMIT));
}
`;

describe("dev step, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  it("implements an issue under its accepted ADR: commit, pull request citing the ADR, comment", async () => {
    const main = seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" } }));
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    claude
      .answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS })
      .answersWithTool("finish", { summary: "Added `searchUsers`, clamped to 50 results as the api pitfalls require." });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);

    // The first request: the dev tools, the spec, the accepted ADR and the pitfalls of its module.
    const first = claude.requests[0]!;
    expect(first.tools!.map((t) => t.name).sort()).toEqual(["delete_file", "edit_file", "finish", "list_files", "read_file", "search", "write_file"]);
    const sent = claude.openingText(0);
    expect(sent).toContain(`<adr path="${ADR_PATH}">`);
    expect(sent).toContain("Every handler under src/api returns errors as `application/problem+json`");
    expect(sent).toMatch(/<pitfalls module="api" path="docs\/pitfalls\/api\.md">[\s\S]*Clamp pagination parameters/);
    expect(sent).toMatch(/<untrusted label="issue #12">[\s\S]*GET \/users\?query=/);
    expect(first.messages[0]!.content.at(-1)!.text).toBe(`Implement issue #12 under ${ADR_PATH}. Call finish when done.`);
    // The second request carries the result of the write.
    const second = claude.requests[1]!;
    expect(second.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(second.messages[2]!.content[0]).toMatchObject({ type: "tool_result", content: `wrote src/api/search.ts (${SEARCH_TS.length} characters)` });

    // One commit on the dev branch, on top of main, with the file.
    const branch = "baton/dev/12-add-a-user-search-endpoint";
    const tip = github.branchSha(branch)!;
    expect(tip).toBeDefined();
    const commit = github.commits.get(tip)!;
    expect(commit.parents).toEqual([main]);
    expect(commit.message).toContain("Closes #12");
    expect(github.filesAt(tip)["src/api/search.ts"]).toBe(SEARCH_TS);
    expect(github.filesAt(tip)[ADR_PATH]).toBe(github.filesAt(main)[ADR_PATH]);

    // The pull request closes the issue and cites the ADR.
    const prs = [...github.pulls.values()];
    expect(prs).toHaveLength(1);
    const pr = prs[0]!;
    expect(pr.headRef).toBe(branch);
    expect(pr.draft).toBe(false);
    expect(pr.body).toMatch(/^Closes #12/);
    expect(pr.body).toContain(ADR_PATH);
    expect(pr.body).toContain("ADR 1: Return problem+json errors from the API");
    expect(pr.body).toContain("Context manifest");
    expect(pr.body).toContain(`Baton-ADR: ${ADR_PATH}`);

    // The issue links the PR; the check run is green.
    expect(github.commentsOn(12).map((c) => c.body)).toEqual([expect.stringContaining(`https://github.com/acme/widgets/pull/${pr.number}`)]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]!).toMatchObject({ name: "Baton: dev", headSha: main, status: "completed", conclusion: "success" });
  });

  it("without an accepted ADR, says what is missing and does not call the model", async () => {
    seedRepository(github, repositoryFiles({ adr: null }));
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("Baton cannot start the dev step yet.");
    expect(comments[0]!.body).toContain('front matter `spec: "#12"`');
    expect(comments[0]!.body).toContain("`needs-architecture`");
    expect(github.pulls.size).toBe(0);
    expect(github.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /repos/acme/widgets/issues/12/comments"]);
  });

  it("with the ADR still proposed, asks for it to be merged first", async () => {
    seedRepository(github, repositoryFiles({ adr: { status: "proposed", spec: "#12" } }));
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(claude.requests).toEqual([]);
    expect(github.commentsOn(12).map((c) => c.body)).toEqual([expect.stringContaining(`ADR \`${ADR_PATH}\` answers this issue but is still **proposed**`)]);
  });
});
