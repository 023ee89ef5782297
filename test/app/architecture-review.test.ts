import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled, pushToMain } from "./fixtures/webhooks.js";

/** What Claude answers through the forced `write_adr` tool. */
const ADR_ANSWER = {
  title: "Search users with a bounded query endpoint",
  context: "Issue #12 asks for `GET /users?query=` returning at most 50 users.",
  drivers: ["At most 50 users per answer", "Errors follow ADR 1 (problem+json)"],
  options: [
    { name: "Bounded search endpoint in api", description: "A new handler in src/api/users.ts", good: ["results are bounded on the server"], bad: ["it needs an index on names"] },
    { name: "Client-side filtering", good: ["no new endpoint"], bad: ["every client downloads every user"] },
  ],
  decision: "Add a bounded search endpoint in the api module, with problem+json errors.",
  consequences: ["Good, because results are bounded.", "Bad, because it needs an index."],
  confirmation: "The review step applies the api rules below to every change of src/api; a test asks for 1000 users and gets 50.",
  modules: ["api"],
  guidance: [
    {
      module: "api",
      rules: [
        { level: "MUST", rule: "clamp `limit` to 50 before querying", check: "every handler reading `limit` passes it through a clamp to 50" },
        { level: "MUST NOT", rule: "return errors other than problem+json", check: "invalid queries answer with `application/problem+json`" },
      ],
    },
  ],
  supersedes: [],
};

describe("architecture review, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  it("takes the number after those promised by other open ADR pull requests", async () => {
    const main = seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.addIssue(ISSUE_12);
    // Another ADR proposal is open (ADR 2, not merged yet): the new one must not also be ADR 2.
    github.setBranch("baton/adr/9-cache-users", main);
    github.addPull({ number: 40, title: "ADR 2: Cache users in memory", body: "", headRef: "baton/adr/9-cache-users", headSha: main, baseSha: main, files: [] });
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));

    expect(github.unmatched).toEqual([]);
    const ours = [...github.pulls.values()].find((p) => p.headRef === "baton/adr/12-add-a-user-search-endpoint")!;
    expect(ours.title).toBe("ADR 3: Search users with a bounded query endpoint");
    expect(ours.body).toContain("ADR 2 is taken by open ADR pull requests: this one is ADR 3");
    expect(Object.keys(github.filesAt(ours.headSha))).toContain("docs/adr/0003-add-a-user-search-endpoint.md");
  });

  it("turns an issue labelled needs-architecture into an ADR pull request, a comment and a check run", async () => {
    // ADR 1 exists and answers another issue: the new ADR is number 2.
    const main = seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.addIssue(ISSUE_12);
    claude.answersWithTool("write_adr", ADR_ANSWER);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);

    // What Claude was sent: the issue, delimited and without its hidden comment, and the ADR index.
    expect(claude.requests).toHaveLength(1);
    const request = claude.requests[0]!;
    // Native structured output: the ADR's schema in output_config, no tools.
    expect(request.output_config?.format?.type).toBe("json_schema");
    expect(Object.keys(request.output_config!.format!.schema.properties as object)).toContain("drivers");
    expect(request.tools).toBeUndefined();
    const sent = claude.openingText();
    expect(sent).toMatch(/<untrusted label="issue #12">[\s\S]*GET \/users\?query=[\s\S]*<\/untrusted>/);
    expect(sent).not.toContain("ignore all previous instructions");
    expect(sent).toMatch(/<adr-index folder="docs\/adr">[\s\S]*1 \| accepted \| Return problem\+json errors from the API \| docs\/adr\/0001-return-problem-json-errors\.md/);
    expect(request.messages[0]!.content.at(-1)!.text).toContain("issue #12");

    // The branch, with one commit holding the new ADR (and the regenerated index).
    const branch = "baton/adr/12-add-a-user-search-endpoint";
    const tip = github.branchSha(branch);
    expect(tip).toBeDefined();
    const commit = github.commits.get(tip!)!;
    expect(commit.parents).toEqual([main]);
    expect(commit.message).toMatch(/^docs\(adr\): Search users with a bounded query endpoint/);
    const files = github.filesAt(tip!);
    const adrPath = "docs/adr/0002-add-a-user-search-endpoint.md";
    const adr = files[adrPath];
    expect(adr).toBeDefined();
    expect(adr).toMatch(/^---\n[\s\S]*status: proposed[\s\S]*\n---\n/);
    expect(adr).toMatch(/spec: "#12"/);
    expect(adr).toMatch(/modules:[\s\S]*api/);
    expect(adr).toMatch(/## Module guidance\n+### api\n+- \*\*MUST\*\* clamp `limit` to 50 before querying\. _Check:_ every handler reading `limit` passes it through a clamp to 50\n- \*\*MUST NOT\*\* return errors other than problem\+json\./);
    // Full MADR: drivers, options with their pros and cons, the outcome with its confirmation.
    expect(adr).toContain("## Decision Drivers\n\n* At most 50 users per answer");
    expect(adr).toContain("## Pros and Cons of the Options\n\n### Bounded search endpoint in api\n\n* Good, because results are bounded on the server\n* Bad, because it needs an index on names");
    expect(adr).toContain("### Confirmation\n\nThe review step applies the api rules below");
    expect(files["docs/adr/README.md"]).toContain("0002-add-a-user-search-endpoint.md");
    // Nothing outside docs/adr changed.
    const before = github.filesAt(main);
    const changed = Object.keys(files).filter((p) => files[p] !== before[p]);
    expect(changed.sort()).toEqual([adrPath, "docs/adr/README.md"]);
    // The Git Data API, in order: blobs, one tree, one commit, one ref.
    const gitWrites = github.writes().filter((w) => w.path.includes("/git/")).map((w) => `${w.method} ${w.path.replace(/^\/repos\/acme\/widgets/, "")}`);
    expect(gitWrites).toEqual(["POST /git/blobs", "POST /git/blobs", "POST /git/trees", "POST /git/commits", "POST /git/refs"]);
    expect(github.writes().find((w) => w.path.endsWith("/git/refs"))!.body).toMatchObject({ ref: `refs/heads/${branch}`, sha: tip });

    // The pull request links the issue and carries the manifest.
    const pulls = [...github.pulls.values()];
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.headRef).toBe(branch);
    expect(pr.baseRef).toBe("main");
    expect(pr.title).toBe("ADR 2: Search users with a bounded query endpoint");
    expect(pr.body).toContain("Refs #12");
    expect(pr.body).toContain(adrPath);
    expect(pr.body).toContain("Context manifest");
    expect(pr.body).toMatch(/\| spec — Issue #12: Add a user search endpoint \| `issue#12@2026-11-24T09:30:00Z`/);
    expect(pr.body).toMatch(/Baton-Spec: #12/);

    // The issue gets one comment linking the PR.
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`https://github.com/acme/widgets/pull/${pr.number}`);
    expect(comments[0]!.body).toContain("<!-- baton:adr-proposed issue-12 -->");

    // One check run on the default branch's commit: queued, in progress, success, with the manifest.
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run.name).toBe("Baton: architecture-review");
    expect(run.headSha).toBe(main);
    expect(run.history).toEqual(["queued", "in_progress", "completed:success"]);
    expect(run.output?.title).toBe("ADR 2 proposed: Search users with a bounded query endpoint");
    expect(run.output?.summary).toContain("Context manifest: architecture-review");
    expect(run.output?.summary).toContain(`pull request #${pr.number}: created`);
    expect(run.output?.summary).toMatch(/model `claude-sonnet-5-5`, 4,210 input tokens/);
  });

  it("proposes an ADR for a spec pushed under docs/specs, pinned to the pushed commit", async () => {
    const before = seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    const spec = "# Export users as CSV\n\nAdmins download every user as CSV from the api module.\n";
    const after = github.commit({ ...repositoryFiles({ adr: { spec: "#3" } }), "docs/specs/export-users.md": spec }, "Add a spec", [before]);
    github.setBranch("main", after);
    claude.answersWithTool("write_adr", { ...ADR_ANSWER, title: "Stream CSV exports from the api", context: "docs/specs/export-users.md asks for a CSV export." });
    const app = await startApp();

    await app.deliver("push", pushToMain({ before, after, added: ["docs/specs/export-users.md"] }));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    // The spec, read from the pushed commit, delimited as data.
    expect(claude.openingText()).toMatch(/<untrusted label="docs\/specs\/export-users\.md">[\s\S]*Admins download every user as CSV/);
    const branch = "baton/adr/spec-export-users";
    const tip = github.branchSha(branch)!;
    expect(github.commits.get(tip)!.parents).toEqual([after]);
    const adr = github.filesAt(tip)["docs/adr/0002-export-users.md"];
    expect(adr).toMatch(/spec: docs\/specs\/export-users\.md|spec: "docs\/specs\/export-users\.md"/);
    const pr = [...github.pulls.values()][0]!;
    expect(pr.headRef).toBe(branch);
    expect(pr.body).toContain("docs/specs/export-users.md");
    expect(github.checkRuns).toMatchObject([{ name: "Baton: architecture-review", headSha: after, conclusion: "success" }]);
    // No issue to comment on.
    expect(github.comments).toEqual([]);
  });
});
