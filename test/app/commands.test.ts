import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HELP_TEXT } from "../../src/app/baton-command.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "./fixtures/repo-state.js";
import { issueComment, pullRequestEvent } from "./fixtures/webhooks.js";

/** The pull request's head: a real commit of the fake (set in beforeEach). */
let HEAD = "";
const PATCH = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");

describe("/baton commands, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles());
    HEAD = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add PAGE");
    github.addIssue(ISSUE_12);
    github.addPull({ number: 15, title: "Add user search", body: "Closes #12", headRef: "feature/search", headSha: HEAD, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
  });
  afterEach(() => github.stop());

  it("refuses /baton review from someone without write access, politely, without calling the model", async () => {
    github.permissions.set("visitor", "read");
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "Could you look at this?\n/baton review", commentId: 9001, login: "visitor" }));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.requests.some((r) => r.path === "/repos/acme/widgets/collaborators/visitor/permission")).toBe(true);
    const comments = github.commentsOn(15);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("Thanks, `@visitor`.");
    expect(comments[0]!.body).toContain("reserved for people with write access");
    expect(comments[0]!.body).toContain("<!-- baton:reply comment-9001 -->");
    expect(github.checkRuns).toEqual([]);
    expect(github.reviews).toEqual([]);
  });

  it("runs /baton review for someone with write access, even on a commit already reviewed", async () => {
    github.permissions.set("maintainer", "write");
    const first = { severity: "medium", path: "src/api/users.ts", line: 7, code: "export const PAGE = 100;", confidence: 0.9, title: "PAGE is larger than the 50-user limit", body: "Use 50.", source: "spec" };
    const second = { severity: "low", path: "src/api/users.ts", line: 7, code: "export const PAGE = 100;", confidence: 0.9, title: "PAGE is not documented", body: "Say why.", source: "general" };
    claude
      .answersWithTool("submit_review", { summary: "Adds a constant.", specCompliance: [], adrConformance: [], findings: [first] })
      .answersWithTool("submit_review", { summary: "Adds a constant.", specCompliance: [], adrConformance: [], findings: [first, second] });
    const app = await startApp();
    await app.deliver("pull_request", pullRequestEvent("opened", { number: 15, title: "Add user search", body: "Closes #12", headRef: "feature/search", headSha: HEAD, baseSha: main, additions: 2, deletions: 0 }));
    // Two lines: under smallChangeLines (2), so no automatic review.
    expect(github.reviews).toEqual([]);
    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: 9005, login: "maintainer" }));
    expect(github.reviews).toHaveLength(1);

    // Asked again on the same commit (the pitfalls changed, say): a new review with what is new.
    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: 9007, login: "maintainer" }));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(claude.openingText(1)).toContain("### src/api/users.ts");
    expect(claude.openingText(1)).toContain("PAGE is larger than the 50-user limit");
    expect(github.reviews).toHaveLength(2);
    expect(github.reviews.map((r) => r.commitId)).toEqual([HEAD, HEAD]);
    expect(github.reviews[1]!.comments.map((c) => c.line)).toEqual([7]);
    expect(github.commentsOn(15).map((c) => c.body)).toEqual([expect.stringContaining("<!-- baton:review-summary pr -->")]);
    expect(github.commentsOn(15)[0]!.body).toContain("PAGE is not documented");
    // One check run for the step on the commit, reported on again.
    expect(github.checkRuns).toMatchObject([{ name: "Baton: review", headSha: HEAD, conclusion: "success" }]);
  });

  it("turns /baton remember on an issue into a pitfall pull request, without calling the model", async () => {
    github.permissions.set("maintainer", "maintain");
    const app = await startApp();

    await app.deliver(
      "issue_comment",
      issueComment({ number: 12, body: "/baton remember --module api Search queries need a minimum length because one-letter queries scan the table", commentId: 9006, login: "maintainer" }),
    );

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const prs = [...github.pulls.values()].filter((p) => p.number !== 15);
    expect(prs).toHaveLength(1);
    const pr = prs[0]!;
    expect(pr.headRef).toMatch(/^baton\/pitfalls\/12-pf-[0-9a-f]+$/);
    const pitfalls = github.filesAt(github.branchSha(pr.headRef)!)["docs/pitfalls/api.md"]!;
    expect(pitfalls).toContain("## Clamp pagination parameters");
    expect(pitfalls).toContain("Search queries need a minimum length");
    expect(pitfalls).toContain("one-letter queries scan the table");
    expect(pitfalls).toContain("https://github.com/acme/widgets/issues/12#issuecomment-9006");
    expect(pitfalls).toContain("2026-11-25");
    expect(github.commentsOn(12).map((c) => c.body)).toEqual([expect.stringContaining(`https://github.com/acme/widgets/pull/${pr.number}`)]);
  });

  it("notes /baton remember on an open pull request for its merge, and refuses an unknown module listing the known ones", async () => {
    github.permissions.set("maintainer", "maintain");
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton remember --module api Search queries need a minimum length", commentId: 9007, login: "maintainer" }));
    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton remember --module apj Typo in the module", commentId: 9008, login: "maintainer" }));

    expect(github.unmatched).toEqual([]);
    expect([...github.pulls.values()].filter((p) => p.number !== 15)).toEqual([]);
    const replies = github.commentsOn(15).map((c) => c.body);
    expect(replies[0]).toContain('proposed with the other lessons of this pull request (the findings it fixes) in one pull request, "Pitfalls learned from #15"');
    expect(replies[1]).toContain("There is no module `apj` in the module map. Known modules: `api`, `web`, `general`.");
  });

  it("answers /baton help with the command table", async () => {
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 12, body: "/baton help", commentId: 9002 }));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(HELP_TEXT);
    expect(github.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /repos/acme/widgets/issues/12/comments"]);
  });

  it("ignores comments from bots entirely: not a single request", async () => {
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: 9003, login: "renovate[bot]", userType: "Bot" }));

    expect(claude.requests).toEqual([]);
    expect(github.requests).toEqual([]);
    expect(github.unmatched).toEqual([]);
  });

  it("posts the manifest of /baton context on a pull request, without calling the model", async () => {
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton context", commentId: 9004 }));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const comments = github.commentsOn(15);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain("Context the **review** step would receive now (no model was called)");
    expect(body).toContain("Context manifest: review");
    expect(body).toContain(`| spec — Issue #12: Add a user search endpoint | \`issue#12@2026-11-24T09:30:00Z\``);
    expect(body).toContain(`\`${ADR_PATH}@`);
    expect(body).toContain("`docs/pitfalls/api.md@");
    expect(body).toContain(`\`diff ${main.slice(0, 12)}..${HEAD.slice(0, 12)}\``);
    expect(github.checkRuns).toEqual([]);
  });
});
