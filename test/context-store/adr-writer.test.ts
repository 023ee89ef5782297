import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { supersedeAdr } from "../../src/context-store/adr/supersede-adr.js";
import { canonicalAdrDraft, embedMarkdown, renderAdr, type AdrDraft } from "../../src/context-store/adr/write-adr.js";
import { adrCorpus } from "../support/adr-corpus.js";

function draft(overrides: Partial<AdrDraft> = {}): AdrDraft {
  return {
    number: 12,
    title: "Use a transactional outbox for events",
    status: "proposed",
    date: "2024-05-01",
    modules: ["billing", "events"],
    spec: "docs/specs/outbox.md",
    supersedes: [3],
    supersededBy: [],
    context: "Events are lost when the broker is down.",
    options: [{ name: "Outbox table", description: "write events with the data" }, { name: "Two-phase commit" }],
    decision: "Chosen option: outbox table, because it needs no new infrastructure.",
    consequences: ["Good, because no event is lost", "Bad, because a relay process is needed"],
    guidance: {
      billing: "Write the event row in the same transaction as the invoice.",
      events: "Publish from the outbox relay only.\n\n#### Ordering\n\nKeep per-aggregate order.",
    },
    ...overrides,
  };
}

function frontMatterOf(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return YAML.parse(m?.[1] ?? "") as Record<string, unknown>;
}

describe("renderAdr", () => {
  it("writes MADR sections under YAML front matter", () => {
    const text = renderAdr(draft());
    expect(frontMatterOf(text)).toEqual({
      status: "proposed",
      date: "2024-05-01",
      modules: ["billing", "events"],
      spec: "docs/specs/outbox.md",
      supersedes: [3],
      "superseded-by": [],
    });
    const headings = text.split("\n").filter((l) => /^#{1,3} /.test(l));
    expect(headings).toEqual([
      "# Use a transactional outbox for events",
      "## Context and Problem Statement",
      "## Considered Options",
      "## Decision Outcome",
      "## Consequences",
      "## Module guidance",
      "### billing",
      "### events",
    ]);
    expect(text).toContain("* Outbox table: write events with the data\n* Two-phase commit\n");
    expect(text).toContain("* Good, because no event is lost\n* Bad, because a relay process is needed\n");
    expect(text.endsWith("Keep per-aggregate order.\n")).toBe(true);
  });

  it("reads back through parseAdr", () => {
    const r = parseAdr("0012-use-a-transactional-outbox.md", renderAdr(draft()));
    expect(r).toMatchObject({
      number: 12,
      title: "Use a transactional outbox for events",
      status: "proposed",
      date: "2024-05-01",
      modules: ["billing", "events"],
      spec: "docs/specs/outbox.md",
      supersedes: [3],
      supersededBy: [],
      guidance: draft().guidance,
      warnings: [],
    });
  });

  it("quotes YAML values through the yaml package (an issue reference starts a comment otherwise)", () => {
    const text = renderAdr(draft({ spec: "#12", modules: ["null", "123", "a: b"] }));
    expect(text).toContain('spec: "#12"');
    expect(frontMatterOf(text)).toMatchObject({ spec: "#12", modules: ["null", "123", "a: b"] });
  });

  it("omits spec when there is none, and empty sections", () => {
    const text = renderAdr(draft({ spec: null, options: [], consequences: [], context: "  " }));
    expect(frontMatterOf(text)).not.toHaveProperty("spec");
    expect(text).not.toContain("## Considered Options");
    expect(text).not.toContain("## Context and Problem Statement");
    expect(parseAdr("0012-x.md", text).spec).toBeNull();
  });

  it("indents multi-line bullets so they stay one item", () => {
    const text = renderAdr(draft({ consequences: ["Bad, because:\n\n- the relay can lag\n- it needs monitoring"] }));
    expect(text).toContain("* Bad, because:\n\n  - the relay can lag\n  - it needs monitoring\n");
  });

  it("keeps headings inside free text from breaking the ADR's sections", () => {
    const d = draft({
      context: "# Background\n\nSome text.\n\nDetails\n-------\n\nmore",
      guidance: { billing: "## Do\n\nA.\n\n### Don't\n\nB." },
    });
    const text = renderAdr(d);
    expect(text).toContain("#### Background\n\nSome text.\n\n##### Details\n\nmore");
    const r = parseAdr("0012-x.md", text);
    expect(r.guidance).toEqual({ billing: "#### Do\n\nA.\n\n##### Don't\n\nB." });
    expect(r.sections.filter((s) => s.depth === 2).map((s) => s.heading)).toEqual([
      "Context and Problem Statement",
      "Considered Options",
      "Decision Outcome",
      "Consequences",
      "Module guidance",
    ]);
  });

  it("lists guidance-only modules too, and reads modules from guidance when none are listed", () => {
    const r = parseAdr("0012-x.md", renderAdr(draft({ modules: [], guidance: { api: "x", web: "y" } })));
    expect(r.modules).toEqual(["api", "web"]);
    expect(canonicalAdrDraft(draft({ modules: [], guidance: { api: "x", web: "y" } })).modules).toEqual(["api", "web"]);
  });
});

describe("embedMarkdown", () => {
  it("shifts headings down together, keeping their relative levels", () => {
    expect(embedMarkdown("# A\n\n## B\n\n###### C")).toBe("#### A\n\n##### B\n\n###### C");
  });

  it("leaves deep enough headings and fenced headings alone", () => {
    expect(embedMarkdown("#### A\n\n```\n# not a heading\n```")).toBe("#### A\n\n```\n# not a heading\n```");
  });

  it("turns setext headings into ATX and normalises line endings", () => {
    expect(embedMarkdown("Title\r\n=====\r\n\r\ntext")).toBe("#### Title\n\ntext");
  });

  it("fences text that would swallow what follows", () => {
    expect(embedMarkdown("```js\nconst a = 1;")).toBe("~~~text\n```js\nconst a = 1;\n~~~");
    expect(embedMarkdown("<!-- note\nmore ~~~~ text")).toBe("~~~~~text\n<!-- note\nmore ~~~~ text\n~~~~~");
  });

  it("is idempotent", () => {
    for (const s of ["# A\nB\n===\n## C", "```\nopen", "<pre>\nx", "plain", "  \n  "]) {
      expect(embedMarkdown(embedMarkdown(s))).toBe(embedMarkdown(s));
    }
  });
});

describe("title and module headings", () => {
  const h1 = (text: string): string | undefined => text.split("\n").find((l) => l.startsWith("# "));

  it.each([
    ["Use Postgres", "# Use Postgres"],
    ["12 factor config", "# 7. 12 factor config"],
    ["2. Second thoughts", "# 7. 2. Second thoughts"],
    ["ADR-12: naming", "# 7. ADR-12: naming"],
    ["Use `public final` fields", "# Use `public final` fields"],
    ["Keep *one* writer", "# Keep *one* writer"],
    ["Drop <br> tags", "# Drop \\<br\\> tags"],
    ["Use [links](x) &amp; entities", "# Use \\[links\\](x) \\&amp; entities"],
    ["C# over F#", "# C# over F#"],
    ["Tag with #", "# Tag with # #"],
    ['Say "no": always', '# Say "no": always'],
  ])("%s → %s", (title, line) => {
    const text = renderAdr(draft({ title, number: 7 }));
    expect(h1(text)).toBe(line);
    expect(parseAdr("0007-x.md", text).title).toBe(title);
  });

  it("escapes a title that the rest of the file would turn into a link", () => {
    const text = renderAdr(draft({ title: "Avoid [legacy]", guidance: { billing: "See the docs.\n\n[legacy]: https://example.com/legacy" } }));
    expect(h1(text)).toBe("# Avoid \\[legacy\\]");
    expect(parseAdr("0012-x.md", text).title).toBe("Avoid [legacy]");
  });

  it("drops what no H1 can carry: a bold wrapper and a {#id} suffix", () => {
    expect(canonicalAdrDraft(draft({ title: "**Big**" })).title).toBe("Big");
    expect(canonicalAdrDraft(draft({ title: "Anchored {#anchor}" })).title).toBe("Anchored");
    expect(canonicalAdrDraft(draft({ title: "   " })).title).toBe("Untitled decision");
  });

  it("escapes module names that markdown would change", () => {
    const text = renderAdr(draft({ modules: ["*core*", "web"], guidance: { "*core*": "a", web: "b" } }));
    expect(text).toContain("### \\*core\\*\n\na\n\n### web\n\nb\n");
    expect(parseAdr("0012-x.md", text).guidance).toEqual({ "*core*": "a", web: "b" });
  });
});

// Short excerpts in the styles of shared/adr-corpus (adr-tools, govuk-aws, log4brains, MADR 2, JabRef, opendatahub).
const STYLES: Record<string, { text: string; via: string }> = {
  "adr-tools ## Status": {
    text: "# 2. Implement as shell scripts\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nADRs are plain text files.\n",
    via: "## Status\n\nSuperseded by [12. New thing](0012-new-thing.md)\n\n## Context",
  },
  "adr-tools with history": {
    text: "# 5. Help comments\n\nDate: 2016-02-20\n\n## Status\n\nAccepted\n\nAmended by [9. Help scripts](0009-help-scripts.md)\n\n## Context\n\nx\n",
    via: "## Status\n\nSuperseded by [12. New thing](0012-new-thing.md)\n\nAmended by [9. Help scripts](0009-help-scripts.md)\n\n## Context",
  },
  "govuk (whitespace lines)": {
    text: "# 3. Networking Outline\n \nDate: 2017-06-30\n \n## Status\n \nPending\n \n## Context\n \nAs part of the migration\n",
    via: "## Status\n \nSuperseded by [12. New thing](0012-new-thing.md)\n \n## Context",
  },
  "log4brains bullets": {
    text: "# Use Prettier-ESLint Airbnb\n\n- Status: accepted\n- Date: 2020-09-25\n\n## Context and Problem Statement\n\nWe have to choose.\n",
    via: "- Status: superseded by [12. New thing](0012-new-thing.md)\n- Date: 2020-09-25",
  },
  "MADR 2 bullets": {
    text: "# Use Markdown Architectural Decision Records\n\n* Status: accepted\n* Deciders: Oliver Kopp\n* Date: 2017-12-12\n\n## Context and Problem Statement\n\nx\n",
    via: "* Status: superseded by [12. New thing](0012-new-thing.md)\n* Deciders: Oliver Kopp",
  },
  "JabRef front matter": {
    text: '---\nnav_order: 45\nparent: Decision Records\nstatus: "superseded by ADR-0057"\n---\n# Use `--input` Flag Consistently\n\n## Context and Problem Statement\n\nx\n',
    via: "---\nnav_order: 45\nparent: Decision Records\nstatus: superseded\nsuperseded-by: [ 57, 12 ]\n---\n# Use `--input`",
  },
  "MADR 4 front matter with comments": {
    text: "---\n# These are optional metadata elements.\nstatus: accepted\ndate: 2024-01-01\ndecision-makers: [a, b]\n---\n\n# Use X\n\n## Context\n",
    via: "---\n# These are optional metadata elements.\nstatus: superseded\nsuperseded-by: [ 12 ]\ndate: 2024-01-01\ndecision-makers: [a, b]\n---\n",
  },
  "front matter without status": {
    text: "---\nparent: Decisions\nnav_order: 8\n---\n# Add Status Field\n\n## Context and Problem Statement\n\nx\n",
    via: "---\nparent: Decisions\nnav_order: 8\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# Add Status Field",
  },
  "opendatahub metadata table": {
    text: "# Open Data Hub - AutoML\n\n|                |            |\n| -------------- | ---------- |\n| Date           | 2025-07-20 |\n| Status         | Approved |\n| Supersedes     | N/A |\n| Superseded by: | N/A |\n\n## What\n\nx\n",
    via: "| Status         | Superseded |\n| Supersedes     | N/A |\n| Superseded by: | [12. New thing](0012-new-thing.md) |",
  },
  "no status anywhere": {
    text: "# Some decision\n\nWe decided things.\n",
    via: "---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# Some decision\n\nWe decided things.\n",
  },
};

describe("supersedeAdr", () => {
  const supersede = (text: string, path = "docs/adr/0003-old.md") =>
    supersedeAdr({ path, text }, 3, 12, "0012-new-thing.md", { newTitle: "New thing" });

  for (const [style, { text, via }] of Object.entries(STYLES)) {
    it(`marks a ${style} ADR superseded, keeping the rest`, () => {
      const before = parseAdr("0003-old.md", text);
      const out = supersede(text);
      expect(out.path).toBe("docs/adr/0003-old.md");
      expect(out.content).toContain(via);
      const after = parseAdr("0003-old.md", out.content);
      expect(after.status).toBe("superseded");
      expect(after.supersededBy).toContain(12);
      expect(after.title).toBe(before.title);
      expect(after.date).toBe(before.date);
      // Idempotent: a redelivered event changes nothing.
      expect(supersede(out.content).content).toBe(out.content);
    });
  }

  it("only touches the status lines", () => {
    const text = STYLES["adr-tools ## Status"]!.text;
    const before = text.split("\n");
    const after = supersede(text).content.split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual(["Superseded by [12. New thing](0012-new-thing.md)"]);
  });

  it("supersedes a Baton-written ADR in its front matter", () => {
    const text = renderAdr(draft({ number: 3, status: "accepted", supersedes: [] }));
    const out = supersedeAdr({ path: "docs/adr/0003-x.md", text }, 3, 12, "0012-y.md").content;
    expect(out).toContain("status: superseded\n");
    expect(out).toContain("superseded-by: [ 12 ]\n");
    expect(out.replace("status: superseded", "status: accepted").replace("superseded-by: [ 12 ]", "superseded-by: []")).toBe(text);
    expect(parseAdr("0003-x.md", out)).toMatchObject({ status: "superseded", supersededBy: [12], guidance: draft().guidance });
  });

  it("adds a second superseding ADR without losing the first", () => {
    const once = supersedeAdr({ path: "a/0003-x.md", text: STYLES["adr-tools ## Status"]!.text }, 3, 12, "0012-y.md").content;
    const twice = supersedeAdr({ path: "a/0003-x.md", text: once }, 3, 15, "0015-z.md").content;
    expect(twice).toContain("## Status\n\nSuperseded by [ADR 15](0015-z.md)\n\nSuperseded by [ADR 12](0012-y.md)\n\n## Context");
    expect(parseAdr("0003-x.md", twice).supersededBy).toEqual(expect.arrayContaining([12, 15]));
    const bullets = supersedeAdr({ path: "a/0003-x.md", text: STYLES["log4brains bullets"]!.text }, 3, 12, "0012-y.md").content;
    const bullets2 = supersedeAdr({ path: "a/0003-x.md", text: bullets }, 3, 15, "0015-z.md").content;
    expect(bullets2).toContain("- Status: superseded by [ADR 12](0012-y.md), [ADR 15](0015-z.md)\n");
    expect(parseAdr("0003-x.md", bullets2).supersededBy).toEqual([12, 15]);
  });

  it("keeps CRLF line endings and a BOM", () => {
    const text = `\uFEFF${STYLES["adr-tools ## Status"]!.text.replace(/\n/g, "\r\n")}`;
    const out = supersede(text).content;
    expect(out.startsWith("\uFEFF# 2. Implement")).toBe(true);
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
    expect(parseAdr("0003-old.md", out).status).toBe("superseded");
  });

  it("keeps the front matter's own delimiters, and a file with mixed line endings as it is", () => {
    const dots = "---\nstatus: accepted # reviewed\ntags: [a]\n...\n# Old\n";
    expect(supersedeAdr({ path: "x/0003-old.md", text: dots }, 3, 12, "0012-y.md").content).toBe(
      "---\nstatus: superseded\nsuperseded-by: [ 12 ]\ntags: [a]\n...\n# Old\n",
    );
    const mixed = "# 2. Old\r\n\nDate: 2016-02-12\n\n## Status\r\n\r\nAccepted\r\n";
    const out = supersedeAdr({ path: "x/0002-old.md", text: mixed }, 2, 12, "0012-y.md").content;
    expect(out).toBe("# 2. Old\r\n\nDate: 2016-02-12\n\n## Status\r\n\r\nSuperseded by [ADR 12](0012-y.md)\r\n");
  });

  it("makes a root-relative new path relative to the old file, and ignores a status inside code", () => {
    const text = "# Old\n\n```\nStatus: accepted\n```\n\n## Status\n\nAccepted\n";
    const out = supersedeAdr({ path: "docs/adr/0003-old.md", text }, 3, 12, "docs/adr/0012-new.md").content;
    expect(out).toContain("```\nStatus: accepted\n```");
    expect(out).toContain("## Status\n\nSuperseded by [ADR 12](0012-new.md)\n");
  });

  it("does nothing for a self-reference or an invalid number", () => {
    const text = STYLES["log4brains bullets"]!.text;
    expect(supersedeAdr({ path: "x.md", text }, 3, 3, "0003-x.md").content).toBe(text);
    expect(supersedeAdr({ path: "x.md", text }, 3, -1, "x.md").content).toBe(text);
  });

  const { dir: corpus, available, reason } = adrCorpus();
  // Every style of the shared corpus; a sixth of each folder keeps the test fast (all 192 files pass).
  it.skipIf(!available)(`works on the ADRs of the shared corpus, changing at most four lines${available ? "" : ` (skipped: ${reason})`}`, () => {
    let files = 0;
    for (const dir of readdirSync(corpus).filter((d) => !d.includes(".")).sort()) {
      const names = readdirSync(join(corpus, dir)).filter((f) => f.endsWith(".md")).sort();
      for (const file of names.filter((_, i) => i % 6 === 0)) {
        files++;
        const text = readFileSync(join(corpus, dir, file), "utf8");
        const before = parseAdr(file, text);
        const out = supersedeAdr({ path: `docs/adr/${file}`, text }, before.number, 999, "0999-new.md").content;
        const after = parseAdr(file, out);
        const where = `${dir}/${file}`;
        expect(after.status, where).toBe("superseded");
        expect(after.supersededBy, where).toEqual(expect.arrayContaining([...before.supersededBy, 999]));
        expect(after.supersedes, where).toEqual(before.supersedes);
        expect([after.title, after.date], where).toEqual([before.title, before.date]);
        expect(supersedeAdr({ path: `docs/adr/${file}`, text: out }, before.number, 999, "0999-new.md").content, where).toBe(out);
        const a = text.split("\n");
        const b = out.split("\n");
        let p = 0;
        while (p < a.length && a[p] === b[p]) p++;
        let s = 0;
        while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
        expect(Math.max(a.length - p - s, b.length - p - s), where).toBeLessThanOrEqual(4);
      }
    }
    expect(files).toBeGreaterThan(25);
  }, 60_000);
});
