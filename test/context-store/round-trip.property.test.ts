import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { adrFileName } from "../../src/context-store/adr/adr-numbering.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { supersedeAdr } from "../../src/context-store/adr/supersede-adr.js";
import { canonicalAdrDraft, embedMarkdown, renderAdr, type AdrDraft, type AdrDraftStatus } from "../../src/context-store/adr/write-adr.js";
import { normaliseLesson, pitfallId } from "../../src/context-store/pitfalls/pitfall-entry.js";
import { parsePitfalls } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { appendPitfall, canonicalPitfallText, canonicalSource, pitfallTitle } from "../../src/context-store/pitfalls/write-pitfalls.js";
import { assertProperty, propertyRuns } from "../support/property.js";

/*
 * What Baton writes, Baton reads back. The expected values are computed here
 * independently of the writer where the rule is simple (titles, modules,
 * dates, numbers); free markdown is compared with the writer's documented
 * canonical form, which is itself checked to be the identity on plain text
 * and idempotent.
 */

const RUNS = { numRuns: propertyRuns(150) };
/** Each ADR run renders and reads whole files several times: fewer runs. */
const ADR_RUNS = { numRuns: propertyRuns(60) };
const SLOW = 120_000;

const TITLE_PIECES = [
  "12. ", "0009. ", "23 ", "ADR-7: ", "ADR001: ", "ODH-ADR-DR-0001: ", "1) ", "#", "# ", " #", "##", "*", "**", "_", "__", "`", "``",
  ":", ": ", '"', "'", "[", "]", "](", "(", ")", "<b>", "</b>", "<!--", "-->", "&amp;", "&#35;", "\\", " ", "{#x}", "—", "é", "日本",
  "~", "~~", "|", "!", "![", "http://x.y/z", "www.a.b", "Use ", "Postgres", "2024", "v2.0", "C#", "F# ",
];

const title = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
  fc.array(fc.oneof(fc.constantFrom(...TITLE_PIECES), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 12 }).map((a) => a.join("")),
);

/** The title rule, restated: whitespace folded; the reader drops a `{#id}` suffix and a bold wrapper from every H1. */
function expectedTitle(raw: string): string {
  let t = raw.replace(/\0/g, "\uFFFD").replace(/\s+/g, " ").trim();
  for (let previous = ""; previous !== t; ) {
    previous = t;
    t = t.replace(/\s*\{#[^}]*\}\s*$/, "").trim();
    const bold = /^(\*\*|__)(.+)\1$/s.exec(t);
    if (bold) t = (bold[2] ?? "").trim();
  }
  return t || "Untitled decision";
}

const moduleName = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
  fc.constantFrom("@scope/pkg", "web api", "c++", "a#", "*x*", "x_y_", "api/v2", "Ünïcode", "1. core", "# root", "a|b", "<core>", "&amp;"),
);

const MARKDOWN_LINES = [
  "# H1", "## H2", "### H3", "#### H4", "##### H5", "###### H6", "Setext", "===", "---", "***", "```", "```ts", "~~~", "~~~~", "- item",
  "* item", "1. item", "  - nested", "> quote", "> # quoted heading", "<!-- c -->", "<!--", "-->", "<pre>", "</pre>", "<div>", "</div>",
  "| a | b |", "|---|---|", "text with *emph* and `code`", "    indented code", "", "", "  ", "\t", "[ref]: http://x.y", "Some **bold** text",
  "\\", "#hashtag", "#5 issue", "**When:** later", "- **Why it matters:** x", "<!-- baton:pitfall id=pf-000000000000 -->", "Title: x",
];

const markdownText = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...MARKDOWN_LINES) }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) }), {
    maxLength: 12,
  })
  .map((lines) => lines.join("\n"));

/** Prose without markdown syntax: must come back exactly as given (trimmed). */
const plainText = fc
  .array(fc.stringMatching(/^[A-Za-z0-9 ,.;'"()?-]{0,40}$/), { minLength: 1, maxLength: 6 })
  .map((lines) => lines.join("\n"))
  .filter((t) => normaliseLesson(t) !== "" && !/^\s*[-*+]|^\s*\d+[.)]|^\s{4}|^\s*-{3,}\s*$/m.test(t));

const isoDate = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2199-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const status = fc.constantFrom<AdrDraftStatus>("proposed", "accepted", "rejected", "deprecated", "superseded");
const adrNumbers = fc.uniqueArray(fc.nat({ max: 9999 }), { maxLength: 4 });

const draft: fc.Arbitrary<AdrDraft> = fc.record({
  number: fc.nat({ max: 99999 }),
  title,
  status,
  date: isoDate,
  modules: fc.uniqueArray(moduleName, { maxLength: 4 }),
  spec: fc.option(fc.oneof(fc.constantFrom("docs/specs/x.md", "#12", "123", "null", "true", "~", "a: b", "# c"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }))),
  supersedes: adrNumbers,
  supersededBy: adrNumbers,
  context: markdownText,
  options: fc.array(
    fc.record({ name: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...MARKDOWN_LINES)), description: fc.option(markdownText, { nil: undefined }) }),
    { maxLength: 3 },
  ),
  decision: markdownText,
  consequences: fc.array(markdownText, { maxLength: 3 }),
  guidance: fc.dictionary(moduleName, markdownText, { maxKeys: 4 }),
});

function read(d: AdrDraft) {
  const text = renderAdr(d);
  return { text, record: parseAdr(adrFileName(d.number, d.title, []), text) };
}

describe("ADR round trip: parseAdr(renderAdr(d))", () => {
  it("gives back title, status, date, modules, spec, supersession and guidance", () => {
    assertProperty(
      fc.property(draft, (d) => {
        const { record } = read(d);
        const c = canonicalAdrDraft(d);
        expect(record.number).toBe(d.number);
        expect(record.title).toBe(expectedTitle(d.title));
        expect(record.status).toBe(d.status);
        expect(record.date).toBe(d.date);
        expect(record.modules).toEqual(c.modules);
        expect(record.spec).toBe(c.spec);
        expect(record.supersedes).toEqual(d.supersedes);
        expect(record.supersededBy).toEqual(d.supersededBy);
        expect(record.guidance).toEqual(c.guidance);
        expect(record.warnings).toEqual([]);
      }),
      ADR_RUNS,
    );
  }, SLOW);

  it("keeps module names exactly", () => {
    assertProperty(
      fc.property(fc.uniqueArray(moduleName, { minLength: 1, maxLength: 5 }), (modules) => {
        const d = { ...canonicalAdrDraft(emptyDraft()), modules, guidance: Object.fromEntries(modules.map((m) => [m, `Guidance for ${m}.`])) };
        const { record } = read(d);
        expect(record.modules).toEqual(modules.map((m) => m.replace(/\s+/g, " ").trim()));
        expect(Object.keys(record.guidance).sort()).toEqual([...record.modules].sort());
      }),
      ADR_RUNS,
    );
  }, SLOW);

  it("keeps plain guidance exactly, and never lets free text break the section structure", () => {
    assertProperty(
      fc.property(draft, plainText, (d, plain) => {
        const withPlain = { ...d, guidance: { ...d.guidance, "plain-module": plain } };
        const { record } = read(withPlain);
        expect(record.guidance["plain-module"]).toBe(plain.trim());
        const c = canonicalAdrDraft(withPlain);
        const expected = [
          c.context.trim() && embedMarkdown(c.context) ? "Context and Problem Statement" : null,
          c.options.some((o) => o.name.trim() !== "") ? "Considered Options" : null,
          embedMarkdown(c.decision) ? "Decision Outcome" : null,
          c.consequences.some((x) => embedMarkdown(x) !== "") ? "Consequences" : null,
          "Module guidance",
        ].filter((h): h is string => h !== null);
        expect(record.sections.filter((s) => s.depth === 2).map((s) => s.heading)).toEqual(expected);
        // Free text has its headings at depth 4 or more: the only `###` are the module headings.
        expect(record.sections.filter((s) => s.depth === 3)).toHaveLength(Object.keys(c.guidance).length);
      }),
      ADR_RUNS,
    );
  }, SLOW);

  it("uses a canonical form that is idempotent and renders the same file", () => {
    assertProperty(
      fc.property(draft, (d) => {
        const c = canonicalAdrDraft(d);
        expect(canonicalAdrDraft(c)).toEqual(c);
        expect(renderAdr(c)).toBe(renderAdr(d));
        for (const text of Object.values(d.guidance)) expect(embedMarkdown(embedMarkdown(text))).toBe(embedMarkdown(text));
      }),
      ADR_RUNS,
    );
  }, SLOW);

  it("supersedes what it wrote, keeping everything else", () => {
    assertProperty(
      fc.property(draft, fc.nat({ max: 99999 }), (d, newer) => {
        fc.pre(newer !== d.number && !d.supersededBy.includes(newer));
        const { text, record } = read(d);
        const file = adrFileName(d.number, d.title, []);
        const out = supersedeAdr({ path: `docs/adr/${file}`, text }, d.number, newer, adrFileName(newer, "Newer", [file])).content;
        const after = parseAdr(file, out);
        expect(after.status).toBe("superseded");
        expect(after.supersededBy).toEqual([...d.supersededBy, newer]);
        expect({ ...after, status: record.status, rawStatus: record.rawStatus, supersededBy: record.supersededBy }).toEqual(record);
      }),
      { numRuns: propertyRuns(40) },
    );
  }, SLOW);
});

function emptyDraft(): AdrDraft {
  return {
    number: 1, title: "T", status: "proposed", date: "2024-01-01", modules: [], spec: null, supersedes: [], supersededBy: [],
    context: "", options: [], decision: "", consequences: [], guidance: {},
  };
}

const source = fc.record(
  { url: fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true }), fc.nat({ max: 9999 }).map((n) => `https://github.com/o/r/pull/${n}#discussion_r${n}`)), pr: fc.nat({ max: 99999 }) },
  { requiredKeys: [] },
);

const pitfall = fc.record({
  lesson: fc.oneof(markdownText, plainText),
  title: fc.option(fc.string({ unit: "grapheme", maxLength: 40 }), { nil: undefined }),
  why: fc.option(fc.oneof(markdownText, plainText), { nil: undefined }),
  source,
  date: isoDate,
});

const existingFile = fc.oneof(
  fc.constant(null),
  fc.constant("# Pitfalls: core\n\n## Old lesson\n\nSomething learned by hand.\n"),
  fc.constant("# Pitfalls: core\n\n## Dangling\n\n```js\nnot closed\n"),
  fc.constant("# Pitfalls: core\r\n\r\n## Windows\r\n\r\nCRLF file.\r\n"),
);

describe("pitfall round trip: parsePitfalls(appendPitfall(...))", () => {
  it("gives back the entry", () => {
    assertProperty(
      fc.property(existingFile, pitfall, (existing, entry) => {
        const lesson = canonicalPitfallText(entry.lesson);
        fc.pre(normaliseLesson(lesson) !== "");
        const result = appendPitfall(existing, "core", entry);
        const before = existing === null ? [] : parsePitfalls("core.md", existing).entries;
        const file = parsePitfalls("docs/pitfalls/core.md", result.content);
        if (!result.added) {
          expect(before.some((e) => e.id === result.id)).toBe(true);
          return;
        }
        expect(file.entries).toHaveLength(before.length + 1);
        const last = file.entries[file.entries.length - 1];
        const why = canonicalPitfallText(entry.why ?? "");
        expect(last).toEqual({
          id: pitfallId(lesson),
          title: (entry.title ?? "").replace(/\0/g, "\uFFFD").replace(/\s+/g, " ").trim() || pitfallTitle(lesson),
          lesson,
          why: why === "" ? null : why,
          source: canonicalSource(entry.source),
          date: entry.date,
          marked: true,
          line: expect.any(Number),
        });
        expect(result.id).toBe(last?.id);
        // The entries that were there are still read the same way.
        expect(file.entries.slice(0, before.length).map((e) => e.lesson.replace(/\n```$/, ""))).toEqual(before.map((e) => e.lesson));
        // The same lesson again is not added.
        expect(appendPitfall(result.content, "core", { ...entry, date: "2030-01-01" })).toEqual({ content: result.content, added: false, id: result.id });
      }),
      RUNS,
    );
  });

  it("keeps plain lessons exactly", () => {
    assertProperty(
      fc.property(plainText, isoDate, (lesson, date) => {
        const entry = parsePitfalls("x.md", appendPitfall(null, "x", { lesson, date }).content).entries[0];
        expect(entry?.lesson).toBe(lesson.trim());
        expect(entry?.date).toBe(date);
      }),
      RUNS,
    );
  });

  it("reads every appended lesson back, in order", () => {
    assertProperty(
      fc.property(fc.uniqueArray(plainText, { minLength: 1, maxLength: 6, selector: (t) => pitfallId(t) }), (lessons) => {
        let content: string | null = null;
        for (const lesson of lessons) content = appendPitfall(content, "core", { lesson, date: "2024-01-01" }).content;
        const file = parsePitfalls("core.md", content ?? "");
        expect(file.entries.map((e) => e.lesson)).toEqual(lessons.map((l) => l.trim()));
        expect(file.warnings).toEqual([]);
      }),
      { numRuns: propertyRuns(50) },
    );
  });
});
