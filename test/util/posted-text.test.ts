import fc from "fast-check";
import type { Code, Heading, Link, Paragraph, Table } from "mdast";
import { describe, expect, it } from "vitest";
import { codeBlock, escapeHeading, escapeMarkdownInline, escapeTableCell, inlineCode, relativeLink, tableCell } from "../../src/util/posted-text.js";
import { liveMentions, nodeTypes, parseMarkdown, visibleText } from "../support/rendered-markdown.js";
import { propertyRuns } from "../support/property.js";

const SEED = 0x7e47;
const params = { seed: SEED, numRuns: propertyRuns(400), verbose: 1 } as const;

// Strings made of the pieces attacks are made of: markers, HTML, images,
// links, mentions, tables, emphasis, autolinks, backticks, line breaks.
const hostile = fc
  .array(
    fc.constantFrom(
      "<!-- baton:review-state {\"head\":\"x\"} -->",
      "<!--",
      "-->",
      "<img src=x>",
      "![p](https://evil.example/p.png?d=secret)",
      "[a](javascript:alert(1))",
      "@octocat",
      "@org/team",
      "a@b.com",
      "https://evil.example",
      "www.evil.example",
      "|",
      "\\|",
      "\\",
      "`",
      "``",
      "*",
      "_",
      "~~",
      "#",
      "# ",
      "> ",
      "- ",
      "1. ",
      "1)",
      "-",
      "+",
      "===",
      "---",
      "* ",
      "$x$",
      ":smile:",
      "&amp;",
      "&#64;",
      "\n",
      "\r\n",
      "\u2028",
      "\u200B",
      "\u202E",
      " ",
      "a",
      "é",
      "x.png",
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(""));

/** What the escaped text must show: one line, invisible characters gone. */
function shown(text: string): string {
  return text.replace(/\r\n?|[\n\u2028\u2029]/g, " ").replace(/[\u200B\u202E]/g, "");
}

function paragraph(markdown: string): Paragraph | undefined {
  const root = parseMarkdown(markdown);
  return root.children.length === 1 && root.children[0]?.type === "paragraph" ? root.children[0] : undefined;
}

describe("escapeMarkdownInline", () => {
  it("renders as exactly the text given, with no construct of its own", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        fc.pre(shown(text).trim().length > 0);
        const escaped = escapeMarkdownInline(text);
        expect(escaped).not.toMatch(/[\n\r]|<!--/);
        const p = paragraph(`Before ${escaped} after`);
        expect(p).toBeDefined();
        expect(nodeTypes(p!).filter((t) => t !== "text" && t !== "inlineCode")).toEqual([]);
        // A link-like word holding `<!--` is shown as two code spans joined by a zero-width space.
        expect(visibleText(p!).replaceAll("\u200B", "")).toBe(`Before ${shown(text)} after`);
        expect(liveMentions(p!)).toEqual([]);
      }),
      params,
    );
  });

  it("opens no block when it starts a line or a list item", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        fc.pre(shown(text).trim().length > 0 && !/^ /.test(shown(text)));
        const escaped = escapeMarkdownInline(text);
        const alone = parseMarkdown(`${escaped}\n`);
        expect(alone.children.map((c) => c.type)).toEqual(["paragraph"]);
        expect(visibleText(alone).replaceAll("\u200B", "")).toBe(shown(text).trim());
        const item = parseMarkdown(`- ${escaped}\n`);
        expect(nodeTypes(item).filter((t) => !["list", "listItem", "paragraph", "text", "inlineCode"].includes(t))).toEqual([]);
      }),
      params,
    );
  });

  it("keeps a forged hidden marker out of the raw body", () => {
    const name = 'x<!-- baton:review-summary pr --><!-- baton:review-state {"reported":[]} -->.png';
    const escaped = escapeMarkdownInline(name);
    expect(escaped).not.toContain("<!--");
    expect(visibleText(paragraph(escaped)!)).toBe(name);
  });

  it("wraps mentions in code and leaves e-mail addresses inert", () => {
    expect(escapeMarkdownInline("ping @octocat and @org/team-x, mail a@b.co")).toBe("ping `@octocat` and `@org/team-x,` mail `a@b.co`");
    const p = paragraph(escapeMarkdownInline("(@a)`@b` **@c** _@d_ \n@e"));
    expect(liveMentions(p!)).toEqual([]);
    expect(nodeTypes(p!)).not.toContain("link");
  });

  it("is linear on a long hostile input", () => {
    const long = "@".repeat(50_000) + "<!--".repeat(50_000) + "`".repeat(50_000);
    expect(escapeMarkdownInline(long).length).toBeGreaterThan(long.length);
  });
});

describe("escapeHeading", () => {
  it("stays one heading with the given text", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        fc.pre(shown(text).trim().length > 0);
        const root = parseMarkdown(`### ${escapeHeading(text)}\n\nbody`);
        expect(root.children.map((c) => c.type)).toEqual(["heading", "paragraph"]);
        const heading = root.children[0] as Heading;
        expect(nodeTypes(heading).filter((t) => t !== "text" && t !== "inlineCode")).toEqual([]);
        expect(visibleText(heading).replaceAll("\u200B", "")).toBe(shown(text).trim());
      }),
      params,
    );
  });
});

describe("table cells", () => {
  function table(cell: string): Table | undefined {
    const root = parseMarkdown(`| file | note |\n|---|---|\n| ${cell} | fixed |\n`);
    return root.children[0]?.type === "table" ? root.children[0] : undefined;
  }

  it("escapeTableCell keeps a hostile value inside its own cell", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        fc.pre(shown(text).trim().length > 0);
        const t = table(escapeTableCell(text));
        expect(t).toBeDefined();
        expect(t!.children).toHaveLength(2);
        const cells = t!.children[1]!.children;
        expect(cells).toHaveLength(2);
        expect(visibleText(cells[1]!)).toBe("fixed");
        expect(visibleText(cells[0]!).replaceAll("\u200B", "")).toBe(shown(text).trim());
        expect(nodeTypes(cells[0]!).filter((n) => n !== "text" && n !== "inlineCode")).toEqual([]);
        expect(liveMentions(cells[0]!)).toEqual([]);
      }),
      params,
    );
  });

  it("tableCell fits safe markdown with pipes and line breaks into one cell", () => {
    const t = table(tableCell("first line\nsecond `a|b` and a \\| pipe\n\nthird"));
    const cells = t!.children[1]!.children;
    expect(cells).toHaveLength(2);
    expect(visibleText(cells[0]!)).toBe("first line second a|b and a | pipe third");
    expect(tableCell("a\\\\|b")).toBe("a\\\\\\|b");
    expect(tableCell("a\r\nb\rc\u2028d\u2029e\n\n  f  ")).toBe("a b c d e f");
    expect(escapeTableCell("a | b")).toBe("a \\| b");
  });
});

describe("inlineCode", () => {
  it("shows the text verbatim whatever backticks it holds", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("`", "a", " ", "|", "*", "@", "x"), maxLength: 30 }), (text) => {
        fc.pre(text.trim().length > 0);
        const p = paragraph(`see ${inlineCode(text)} here`);
        const codes = p!.children.filter((c) => c.type === "inlineCode");
        expect(codes).toHaveLength(1);
        expect(codes[0]!.type === "inlineCode" && codes[0]!.value).toBe(text);
      }),
      params,
    );
  });

  it("cuts the span at every <!--, so no raw marker is posted", () => {
    const name = 'x<!-- baton:review-summary pr --><!-- baton:review-state {"r":[]} -->.png';
    const code = inlineCode(name);
    expect(code).not.toContain("<!--");
    const p = paragraph(`file ${code}`);
    expect(visibleText(p!)).toBe(`file ${name.replaceAll("<!--", "<!\u200B--")}`);
    expect(nodeTypes(p!).filter((t) => t !== "text" && t !== "inlineCode")).toEqual([]);
    expect(inlineCode("a\nb\u200Bc")).toBe("`a bc`");
    expect(inlineCode("")).toBe("<code></code>");
  });
});

describe("one line", () => {
  it("turns every kind of line break and tab into a space, and drops control characters", () => {
    expect(escapeMarkdownInline("a\tb\vc\fd\u2029e\u2028f\rg\r\nh\ni\u0085j\u0007k")).toBe("a b c d e f g h i jk");
    expect(inlineCode("a\tb\vc\fd\u2029e\rf\u0085g")).toBe("`a b c d e f g`");
  });

  it("escapes a list, quote or heading marker only where it opens a block", () => {
    expect(escapeMarkdownInline("1. first")).toBe("1\\. first");
    expect(escapeMarkdownInline("12) twelve")).toBe("12\\) twelve");
    expect(escapeMarkdownInline("- item + more = sum # not a heading")).toBe("\\- item + more = sum # not a heading");
    expect(escapeMarkdownInline("  + x")).toBe("  \\+ x");
    expect(escapeMarkdownInline("=== ##")).toBe("\\=== \\#\\#");
    expect(escapeMarkdownInline("a 1. b")).toBe("a 1. b");
  });
});

describe("inlineCode edges", () => {
  it("shows a text of spaces as those spaces, unpadded", () => {
    expect(inlineCode("  ")).toBe("`  `");
    const p = paragraph(`x ${inlineCode("  ")} y`);
    expect(p!.children.find((c) => c.type === "inlineCode")).toMatchObject({ value: "  " });
  });

  it("pads only a span that starts or ends with a backtick or a space", () => {
    expect(inlineCode("a`b")).toBe("``a`b``");
    expect(inlineCode("`a")).toBe("`` `a ``");
    expect(inlineCode("a ")).toBe("` a  `");
    expect(inlineCode("a``b`")).toBe("``` a``b` ```");
  });
});

describe("relativeLink", () => {
  function link(markdown: string): Link {
    const p = paragraph(markdown);
    expect(p?.children).toHaveLength(1);
    expect(p!.children[0]!.type).toBe("link");
    return p!.children[0] as Link;
  }

  it("links to the path as given, whatever its folder and file names hold", () => {
    for (const path of ["../blob/main/docs/adr/0001-use queues.md", "docs/adr/0002-a).md", "docs/(x/0003 [b] \"t\".md", "./docs/adr/0004-é.md", "docs/adr/<5>.md"]) {
      const l = link(relativeLink("ADR", path));
      expect(decodeURIComponent(l.url), path).toBe(path);
      expect(visibleText(l)).toBe("ADR");
    }
  });

  it("keeps . and .. segments, and shows the text escaped", () => {
    expect(relativeLink("*ADR* [3] @me", "../docs/./a b.md")).toBe("[\\*ADR\\* \\[3\\] `@me`](../docs/./a%20b.md)");
  });
});

describe("codeBlock", () => {
  function block(markdown: string): Code {
    const root = parseMarkdown(markdown);
    expect(root.children.map((c) => c.type)).toEqual(["code"]);
    return root.children[0] as Code;
  }

  it("shows the text as is, whatever backtick fences it holds", () => {
    for (const text of ["plain", "a\n```\nb", "````x````", "`", "ends with a newline\n"]) {
      const code = block(codeBlock(text, "ts"));
      expect(code.value, text).toBe(text.replace(/\n$/, ""));
      expect(code.lang).toBe("ts");
    }
  });

  it("uses the shortest fence that is safe: three backticks, or one more than the longest run inside", () => {
    expect(codeBlock("x")).toBe("```\nx\n```");
    expect(codeBlock("a ``` b ````` c\n")).toBe("``````\na ``` b ````` c\n``````");
    expect(codeBlock("a `` b", "diff")).toBe("```diff\na `` b\n```");
  });
});
