import { describe, expect, it } from "vitest";
import { normaliseLesson, pitfallId, pitfallPath } from "../../src/context-store/pitfalls/pitfall-entry.js";
import { parsePitfalls, parseSource } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { appendPitfall, canonicalPitfallText, pitfallTitle } from "../../src/context-store/pitfalls/write-pitfalls.js";

const LESSON = {
  title: "Retries need an idempotency key",
  lesson: "The HTTP client retries POSTs on timeout, so every payment call must send an idempotency key.",
  why: "Without it a customer can be charged twice.",
  source: { url: "https://github.com/acme/shop/pull/123#discussion_r987", pr: 123 },
  date: "2024-05-01",
};

describe("pitfallId and pitfallPath", () => {
  it("derives the same id from wordings that differ only in case, spacing and punctuation", () => {
    const id = pitfallId("Never log card numbers.");
    expect(id).toMatch(/^pf-[0-9a-f]{12}$/);
    expect(pitfallId("  never   LOG card-numbers!! ")).toBe(id);
    expect(pitfallId("Never log card numbers")).toBe(id);
    expect(pitfallId("Never log card numbers twice")).not.toBe(id);
    expect(normaliseLesson("Ça **marche**,\n  `vraiment`?")).toBe("ca marche vraiment");
  });

  it("puts one file per module under the folder", () => {
    expect(pitfallPath("docs/pitfalls", "payments")).toBe("docs/pitfalls/payments.md");
    expect(pitfallPath("docs/pitfalls/", "web.api")).toBe("docs/pitfalls/web.api.md");
    expect(pitfallPath("docs/pitfalls", "../etc/x y")).toBe("docs/pitfalls/-etc-x-y.md");
  });
});

describe("appendPitfall", () => {
  it("creates the module's file with a readable entry", () => {
    const result = appendPitfall(null, "payments", LESSON);
    expect(result.added).toBe(true);
    expect(result.id).toBe(pitfallId(LESSON.lesson));
    expect(result.content).toBe(
      [
        "# Pitfalls: payments",
        "",
        "Known pitfalls of the payments module, one entry per lesson. Baton adds entries (`/baton remember` on a pull request); hand-written entries are read too.",
        "",
        "## Retries need an idempotency key",
        `<!-- baton:pitfall id=${result.id} -->`,
        "",
        LESSON.lesson,
        "",
        `**Why it matters:** ${LESSON.why}`,
        "",
        "**Learned in:** [PR #123](https://github.com/acme/shop/pull/123#discussion_r987)",
        "",
        "**When:** 2024-05-01",
        "",
      ].join("\n"),
    );
  });

  it("reads back what it wrote", () => {
    const file = parsePitfalls("docs/pitfalls/payments.md", appendPitfall(null, "payments", LESSON).content);
    expect(file.module).toBe("payments");
    expect(file.warnings).toEqual([]);
    expect(file.entries).toEqual([
      { id: pitfallId(LESSON.lesson), title: LESSON.title, lesson: LESSON.lesson, why: LESSON.why, source: LESSON.source, date: LESSON.date, marked: true, line: 5 },
    ]);
  });

  it("does not add the same lesson twice, however it is worded", () => {
    const first = appendPitfall(null, "payments", LESSON);
    const again = appendPitfall(first.content, "payments", {
      lesson: "the http client RETRIES posts on timeout; so every payment call must send an idempotency key!!",
      date: "2024-06-01",
    });
    expect(again).toEqual({ content: first.content, added: false, id: first.id });
  });

  it("recognises a lesson already written by hand", () => {
    const hand = "# Pitfalls: payments\n\n## Never log card numbers\n\nMask the PAN before logging.\n\n## Keep amounts in cents\n";
    expect(appendPitfall(hand, "payments", { lesson: "Mask the PAN before logging", date: "2024-01-01" }).added).toBe(false);
    expect(appendPitfall(hand, "payments", { lesson: "keep amounts in cents.", date: "2024-01-01" }).added).toBe(false);
    const added = appendPitfall(hand, "payments", { lesson: "Use banker's rounding.", date: "2024-01-01" });
    expect(added.added).toBe(true);
    // Existing text is kept byte for byte; the entry goes at the end.
    expect(added.content.startsWith(hand.trimEnd())).toBe(true);
    expect(parsePitfalls("payments.md", added.content).entries.map((e) => e.title)).toEqual([
      "Never log card numbers",
      "Keep amounts in cents",
      "Use banker's rounding",
    ]);
  });

  it("keeps CRLF line endings", () => {
    const hand = "# Pitfalls: web\r\n\r\n## Old lesson\r\n\r\nText.\r\n";
    const out = appendPitfall(hand, "web", { lesson: "New lesson.", date: "2024-01-01" }).content;
    expect(out.startsWith(hand.trimEnd())).toBe(true);
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
    expect(parsePitfalls("web.md", out).entries.map((e) => e.lesson)).toEqual(["Text.", "New lesson."]);
  });

  it("closes a code fence a hand edit left open, so the new entry is read", () => {
    const hand = "# Pitfalls: web\n\n## Old\n\n```js\nconsole.log(1)\n";
    const out = appendPitfall(hand, "web", { lesson: "New lesson.", date: "2024-01-01" }).content;
    expect(parsePitfalls("web.md", out).entries.map((e) => e.lesson)).toEqual(["```js\nconsole.log(1)\n```", "New lesson."]);
  });

  it("keeps headings and field-like lines inside a lesson from breaking the entry", () => {
    const lesson = "Check the cache.\n\n## Why\n\nIt is stale.\n\n**When:** the deploy runs";
    const out = appendPitfall(null, "cache", { lesson, why: "# Big\n\nStale reads.", date: "2024-01-01" }).content;
    const [entry, ...rest] = parsePitfalls("cache.md", out).entries;
    expect(rest).toEqual([]);
    expect(entry?.lesson).toBe("Check the cache.\n\n### Why\n\nIt is stale.\n\n\\**When:** the deploy runs");
    expect(entry?.lesson).toBe(canonicalPitfallText(lesson));
    expect(entry?.why).toBe("### Big\n\nStale reads.");
    expect(entry?.date).toBe("2024-01-01");
  });

  it("derives a title from the lesson when none is given", () => {
    expect(pitfallTitle("**Never** call `save()` twice. It duplicates rows.")).toBe("Never call save() twice");
    expect(pitfallTitle("- [ ] see [the docs](https://x.y/z) first")).toBe("see the docs first");
    expect(pitfallTitle("word ".repeat(40)).length).toBeLessThanOrEqual(81);
  });

  it("adds nothing for an empty lesson", () => {
    expect(appendPitfall("# Pitfalls: x\n", "x", { lesson: " \n ", date: "2024-01-01" })).toMatchObject({ content: "# Pitfalls: x\n", added: false });
  });
});

describe("parsePitfalls", () => {
  it("reads hand-written entries, with or without Baton's fields", () => {
    const text = [
      "# Pitfalls: payments",
      "",
      "Intro text is not an entry.",
      "",
      "## Never log card numbers",
      "",
      "Mask the PAN.",
      "",
      "- **Why**: PCI scope.",
      "- **Source:** https://github.com/acme/shop/pull/77",
      "- **Date**: 2023-01-01",
      "",
      "## Amounts",
      "Keep amounts in cents.",
      "",
      "```md",
      "**When:** not a field inside code",
      "```",
      "",
      "Learned the hard way",
      "---------------------",
      "",
      "Setext headings are entries too.",
    ].join("\n");
    const file = parsePitfalls("docs/pitfalls/payments.md", text);
    expect(file.warnings).toEqual([]);
    expect(file.entries.map(({ title, lesson, why, source, date, marked }) => ({ title, lesson, why, source, date, marked }))).toEqual([
      { title: "Never log card numbers", lesson: "Mask the PAN.", why: "PCI scope.", source: { url: "https://github.com/acme/shop/pull/77", pr: 77 }, date: "2023-01-01", marked: false },
      { title: "Amounts", lesson: "Keep amounts in cents.\n\n```md\n**When:** not a field inside code\n```", why: null, source: {}, date: null, marked: false },
      { title: "Learned the hard way", lesson: "Setext headings are entries too.", why: null, source: {}, date: null, marked: false },
    ]);
    expect(file.entries[0]?.id).toBe(pitfallId("Mask the PAN."));
  });

  it("keeps the marker's id when the lesson was edited by hand", () => {
    const written = appendPitfall(null, "payments", LESSON);
    const edited = written.content.replace("must send", "has to send");
    expect(parsePitfalls("payments.md", edited).entries[0]?.id).toBe(written.id);
  });

  it("warns about repeated lessons and a title for another module", () => {
    const text = "# Pitfalls: billing\n\n## A\n\nSame lesson.\n\n## B\n\nsame  lesson!\n";
    const file = parsePitfalls("docs/pitfalls/payments.md", text);
    expect(file.entries).toHaveLength(2);
    expect(file.warnings).toEqual(['the title names module "billing", but the file is for "payments"', 'line 7: "B" repeats the lesson of line 3 (' + pitfallId("same lesson") + ")"]);
  });

  it("never throws on odd input", () => {
    for (const text of ["", "\uFEFF", "## ", "##\n\n<!-- baton:pitfall id=pf-zz -->", "<!--", "```\n## not an entry", "\0\0##"]) {
      expect(() => parsePitfalls("x.md", text)).not.toThrow();
    }
    expect(parsePitfalls("x.md", "```\n## not an entry").entries).toEqual([]);
  });

  it("reads the usual ways of citing a source", () => {
    expect(parseSource("[PR #12](https://github.com/o/r/pull/12#discussion_r1)")).toEqual({ url: "https://github.com/o/r/pull/12#discussion_r1", pr: 12 });
    expect(parseSource("PR #12")).toEqual({ pr: 12 });
    expect(parseSource("<https://example.com/review>")).toEqual({ url: "https://example.com/review" });
    expect(parseSource("[PR #3](<https://x.y/a (b)>)")).toEqual({ url: "https://x.y/a (b)", pr: 3 });
  });
});
