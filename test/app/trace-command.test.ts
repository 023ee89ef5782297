import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mermaidLabel } from "../../src/context-store/adr/adr-index.js";
import { renderPinnedSpec } from "../../src/context-store/specs/pinned-spec.js";
import { BOT, FakeGitHub } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { comment } from "./fixtures/people.js";
import { ADR_PATH, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";

const STATE = JSON.stringify({
  lastReviewedSha: "a".repeat(40),
  findings: [
    { id: "3f2a9c01", fingerprint: "3f2a9c01aaaaaaaa", path: "src/api/search.ts", title: "Search limit is not clamped", severity: "high", status: "open" },
    { id: "77aa0000", fingerprint: "77aa0000bbbbbbbb", path: "src/api/search.ts", title: "Old title fixed", severity: "low", status: "resolved" },
  ],
});

describe("/baton trace", () => {
  let github: FakeGitHub;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    const files = repositoryFiles({ adr: { spec: "#12" } });
    files["docs/specs/pinned/issue-12.md"] = renderPinnedSpec({ issue: 12, title: ISSUE_12.title, body: ISSUE_12.body, updatedAt: "2026-11-24T09:30:00Z" });
    files["docs/pitfalls/api.md"] += "\n## Search limits need a cap\n\nCap search limits at 50.\n\n**Learned in:** [PR #21](https://github.com/acme/widgets/pull/21)\n";
    const main = seedRepository(github, files);
    github.addIssue(ISSUE_12);
    // The history: the ADR's pull request, merged; the dev pull request, merged, reviewed with one finding still open.
    github.addPull({ number: 20, title: "ADR 1: Return problem+json errors from the API", body: `Refs #12.\n\nBaton-Step: architecture-review@1.0.0\nBaton-ADR: ${ADR_PATH}`, headRef: "baton/adr/12-add-a-user-search-endpoint", headSha: main, baseSha: main, files: [], closed: { at: "2026-11-20T10:00:00Z", mergeCommitSha: main } });
    github.addPull({ number: 21, title: "Add a user search endpoint", body: `Closes #12\n\nBaton-Step: dev@1.0.0\nBaton-ADR: ${ADR_PATH}`, headRef: "baton/dev/12-add-a-user-search-endpoint", headSha: main, baseSha: main, files: [], closed: { at: "2026-11-22T10:00:00Z", mergeCommitSha: main } });
    github.addPull({ number: 22, title: "Unrelated", body: "Fixes #5", headRef: "fix", headSha: main, baseSha: main, files: [] });
    github.addComment(21, `<!-- baton:review-summary pr -->\n<!-- baton:review-state ${STATE} -->\n## Baton review`, { login: BOT.login, type: "Bot" });
    app = await startApp();
  });
  afterEach(() => github.stop());

  it("posts the chain on the issue as a Mermaid graph and a table", async () => {
    await comment(app, github, 12, "visitor", "/baton trace");

    const posted = github.commentsOn(12).filter((c) => c.user.type === "Bot");
    expect(posted).toHaveLength(1);
    const body = posted[0]!.body;
    const graph = /```mermaid\n([\s\S]*?)```/.exec(body)?.[1] ?? "";
    expect(graph).toContain(`spec[${mermaidLabel("Issue #12: Add a user search endpoint")}]`);
    expect(graph).toContain("spec --> adr1");
    expect(graph).toMatch(/adr1 -->\|proposed in\| c(\d)/);
    expect(graph).toMatch(/adr1 -->\|implemented in\| c(\d)[\s\S]*c\1 -->\|learned\| p0[\s\S]*c\1 -\.->\|open finding\| f0/);
    expect(graph).toContain(`f0[${mermaidLabel("high: Search limit is not clamped")}]`);
    expect(graph).not.toContain("Old title fixed");
    expect(graph).not.toContain("Unrelated");
    expect(body).toContain("pinned at acceptance in `docs/specs/pinned/issue-12.md`");
    expect(body).toContain("](https://github.com/acme/widgets/pull/21) | merged · implements ADR 1 |");
    expect(body).toContain("| finding `3f2a9c01` |");
    expect(github.unmatched).toEqual([]);
  });

  it("on a pull request, traces the ADR it names; a ref it cannot read gets the usage", async () => {
    await comment(app, github, 22, "visitor", "/baton trace 1");
    expect(github.commentsOn(22).at(-1)!.body).toContain("### Trace: Issue #12");
    await comment(app, github, 22, "visitor", "/baton trace banana");
    expect(github.commentsOn(22).at(-1)!.body).toContain("is not a spec file, an issue");
  });
});
