import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePinnedSpec, specTextHash } from "../../src/context-store/specs/pinned-spec.js";
import { splitHeader } from "../../src/writer/outgoing-text.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { approve, merge, pullByBranch } from "./fixtures/people.js";
import { ISSUE_12, ISSUE_12_ADR_ANSWER, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueComment, issueLabeled } from "./fixtures/webhooks.js";

const ADR_ANSWER = ISSUE_12_ADR_ANSWER;
const PINNED = "docs/specs/pinned/issue-12.md";
const EDITED_BODY = "We need `GET /users?query=` in the api module, returning at most 500 users, sorted by name.\n\nErrors follow our API conventions.";

describe("the spec is pinned when its ADR is accepted", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.permissions.set("lead", "write");
    github.addIssue(ISSUE_12);
    app = await startApp();
    claude.answersWithTool("write_adr", ADR_ANSWER);
    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));
    const pr = pullByBranch(github, "baton/adr/12-");
    await approve(app, github, pr.number, "lead");
    await merge(app, github, pr.number);
  });
  afterEach(() => github.stop());

  async function runDev() {
    claude.answersWithTool("write_file", { path: "src/api/search.ts", content: "export const search = 1;\n" }).answersWithTool("finish", { summary: "Added search." });
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.issues.get(12)!.labels = issue.labels;
    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));
    expect(claude.isDone()).toBe(true);
    return { pr: pullByBranch(github, "baton/dev/12-"), sent: claude.openingText(claude.requests.length - 2), run: github.checkRuns.find((c) => c.name === "Baton: dev")! };
  }

  it("commits the issue's text as of the acceptance, with its identity, in the acceptance commit", () => {
    const pinned = parsePinnedSpec(github.filesAt(github.branchSha("main")!)[PINNED]!)!;
    expect(pinned).toEqual({
      issue: 12,
      title: ISSUE_12.title,
      body: ISSUE_12.body,
      updatedAt: "2026-11-24T09:30:00Z",
      sha256: specTextHash(ISSUE_12.title, ISSUE_12.body),
      url: "https://github.com/acme/widgets/issues/12",
      adr: "docs/adr/0002-add-a-user-search-endpoint.md",
      accepted: "2026-11-25",
    });
    // The merged spec file is not a new spec: no second architecture review was started.
    expect(github.checkRuns.filter((c) => c.name === "Baton: architecture-review")).toHaveLength(1);
  });

  it("builds from the accepted text when the issue was edited after acceptance, and shows the edit as a difference", async () => {
    Object.assign(github.issues.get(12)!, { body: EDITED_BODY, updatedAt: "2026-11-25T08:00:00Z" });

    const { pr, sent, run } = await runDev();

    // The model got the text as accepted, identified by the pinned file's blob.
    expect(sent).toContain("returning at most 50 users");
    expect(sent).not.toContain("500 users");
    const blob = github.git.flatten(github.branchSha("main")!).get(PINNED)!.sha;
    expect(run.output?.summary).toContain(`\`${PINNED}@${blob}\``);
    // The pull request and the check run both say so, first, with the difference.
    // The check run's summary starts with its hidden header (job markers, context), then the same words.
    for (const text of [pr.body, splitHeader(run.output?.summary ?? "").rest]) {
      expect(text.startsWith("> [!WARNING]\n> **Issue #12 was edited after its ADR was accepted.** This change follows the spec as accepted (`docs/specs/pinned/issue-12.md`")).toBe(true);
      expect(text).toContain("```diff\n@@ -1,");
      expect(text).toMatch(/\n-We need `GET \/users\?query=` in the api module, returning at most 50 users\.\n\+We need `GET \/users\?query=` in the api module, returning at most 500 users, sorted by name\.\n/);
    }
    expect(github.unmatched).toEqual([]);
  });

  it("reviews the dev pull request against the accepted text too, not the edit made after acceptance", async () => {
    Object.assign(github.issues.get(12)!, { body: EDITED_BODY, updatedAt: "2026-11-25T08:00:00Z" });
    const { pr } = await runDev();
    expect(pr.body).toContain("Closes #12");

    claude.answersWithTool("submit_review", { summary: "Adds the search.", specCompliance: [], adrConformance: [], findings: [] });
    // A one-line change is below triggers.smallChangeLines: a maintainer asks for the review.
    await app.deliver("issue_comment", issueComment({ number: pr.number, body: "/baton review", commentId: 9_100_002, login: "lead", isPullRequest: true, title: pr.title }));
    expect(claude.isDone()).toBe(true);

    // What the review's model was sent: the spec as accepted, identified by the pinned file, never the edited body.
    const sent = claude.openingText(claude.requests.length - 1);
    expect(sent).toContain("returning at most 50 users");
    expect(sent).not.toContain("500 users");
    const review = github.checkRuns.find((c) => c.name === "Baton: review")!;
    const blob = github.git.flatten(github.branchSha("main")!).get(PINNED)!.sha;
    expect(review.output?.summary).toContain(`\`${PINNED}@${blob}\``);
    expect(review.output?.summary).toContain("spec: issue #12 as accepted, pinned in docs/specs/pinned/issue-12.md (the issue was edited since: not followed)");
    expect(github.unmatched).toEqual([]);
  });

  it("shows the accepted text in `/baton context dev`, as the dev step would get it", async () => {
    Object.assign(github.issues.get(12)!, { body: EDITED_BODY, updatedAt: "2026-11-25T08:00:00Z" });
    await app.deliver("issue_comment", issueComment({ number: 12, body: "/baton context dev", commentId: 9_100_001, login: "lead", title: ISSUE_12.title }));
    const reply = github.comments.map((c) => c.body).find((b) => b.includes("Context the **dev** step would receive now"));
    expect(reply).toBeDefined();
    expect(reply).toContain(`${PINNED}@`);
    expect(reply).toContain("spec: issue #12 as accepted, pinned in docs/specs/pinned/issue-12.md (the issue was edited since: not followed)");
    expect(reply).not.toContain("issue#12@2026-11-25T08:00:00Z");
  });

  it("says nothing when only labels or comments moved the issue's updated_at", async () => {
    github.issues.get(12)!.updatedAt = "2026-11-25T09:00:00Z";
    const { pr, run } = await runDev();
    expect(pr.body).not.toContain("was edited after its ADR was accepted");
    expect(run.output?.summary).toContain("spec: issue #12 as accepted, pinned in docs/specs/pinned/issue-12.md");
  });
});
