import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { parseAdrDate } from "../../src/context-store/adr/adr-dates.js";
import { normaliseStatus } from "../../src/context-store/adr/adr-status.js";
import { numberFromAdrId } from "../../src/context-store/adr/adr-file-names.js";
import { assertProperty } from "../support/property.js";

describe("status", () => {
  test("emoji before the status word is ignored", () => {
    const adr = parseAdr("0001-x.md", "# 1. X\n\nDate: 2025-03-06\n\n## Status\n\n✅ Accepted\n\n## Context\n\nWhy.\n");
    expect(adr.status).toBe("accepted");
    expect(adr.rawStatus).toBe("✅ Accepted");
  });

  test("status headings as teams write them", () => {
    expect(parseAdr("0001-x.md", "# X\n\n## Status: Deprecated\n\nText.\n").status).toBe("deprecated");
    expect(parseAdr("0001-x.md", "# X\n\n## Decision status\n\nApproved\n").status).toBe("accepted");
    expect(parseAdr("0001-x.md", "# X\n\n## 2. Status\n\nRejected\n").status).toBe("rejected");
    expect(parseAdr("0001-x.md", "# X\n\n# Context\n\nWhy.\n\n# Status\n\nDraft\n").status).toBe("proposed");
  });

  test("a Status section at the end of the file counts", () => {
    const text = "# Use Kafka\n\n## Context\n\nWe need a queue.\n\n## Decision\n\nKafka.\n\n## Status\n\nRejected\n";
    expect(parseAdr("0002-kafka.md", text).status).toBe("rejected");
  });

  test("a status that appears only inside a code fence does not count", () => {
    const text = "# Template\n\n## Example\n\n```markdown\n## Status\n\nAccepted\n\nStatus: accepted\n```\n";
    const adr = parseAdr("0003-template-example.md", text);
    expect(adr.status).toBe("unknown");
    expect(adr.rawStatus).toBeNull();
    expect(adr.warnings).toContain("no status found");
  });

  test("a metadata line before the first ## wins over a Status section", () => {
    const text = "# X\n\nStatus: Proposed\n\n## Status\n\nAccepted\n";
    expect(parseAdr("0004-x.md", text).status).toBe("proposed");
  });

  test("front matter wins over everything in the body", () => {
    const text = "---\nstatus: deprecated\n---\n# X\n\n- Status: accepted\n\n## Status\n\nAccepted\n";
    const adr = parseAdr("0005-x.md", text);
    expect(adr.status).toBe("deprecated");
    expect(adr.rawStatus).toBe("deprecated");
  });

  test("a table row with a bold Status key", () => {
    const text = "# X\n\n| | |\n|---|---|\n| **Status** | Approved |\n| **Date** | 2024-10-31 |\n\n## What\n\nx\n";
    const adr = parseAdr("0006-x.md", text);
    expect(adr.status).toBe("accepted");
    expect(adr.date).toBe("2024-10-31");
  });

  test("a horizontal metadata table (keys in the header row)", () => {
    const text = "| Status | Date | Author(s) |\n| :-- | :-- | :-- |\n| Proposed | 2025-05-14 | [@j](https://github.com/j) |\n\n## Context\n";
    const adr = parseAdr("009-auth-and-roles.md", text);
    expect(adr.status).toBe("proposed");
    expect(adr.date).toBe("2025-05-14");
  });

  test("a changelog table is not metadata", () => {
    const text = "# X\n\n| Date | Change |\n|---|---|\n| 2020-01-01 | Created |\n\n## Status\n\nAccepted\n";
    const adr = parseAdr("0007-x.md", text);
    expect(adr.date).toBeNull();
    expect(adr.status).toBe("accepted");
  });

  test("a checked item of a status checklist", () => {
    const text = "# X\n\n## Status\n\n- [ ] Proposed\n- [x] Accepted\n";
    expect(parseAdr("0008-x.md", text).status).toBe("accepted");
  });

  test("struck-through status text is left out", () => {
    expect(parseAdr("0009-x.md", "# X\n\nStatus: ~~Proposed~~ Accepted\n").status).toBe("accepted");
  });

  test("a template placeholder is no status", () => {
    const text = '---\nstatus: "{proposed | rejected | accepted | … | superseded by [ADR-0005](0005-example.md)}"\n---\n# X\n';
    const adr = parseAdr("0010-x.md", text);
    expect(adr.status).toBe("unknown");
    expect(adr.supersededBy).toEqual([]);
  });

  test.each([
    ["Accepted", "accepted"],
    ["Partially implemented", "accepted"],
    ["Partly superseded", "superseded"],
    ["Superceded by 3", "superseded"],
    ["Under review", "proposed"],
    ["WIP", "proposed"],
    ["**Draft**", "proposed"],
    ["Obsolete", "deprecated"],
    ["Declined", "rejected"],
    ["on hold", "other"],
    ["Reverted", "other"],
    ["TBD", "other"],
    ["Not accepted", "other"],
    ["Refinement completed. TP in 3.4", "other"],
    ["🟢 Approved", "accepted"],
    ["Status: Accepted", "accepted"],
  ])("status word %j is %s", (raw, expected) => {
    expect(normaliseStatus(raw)).toBe(expected);
  });

  test("empty status text is no status", () => {
    expect(normaliseStatus("  ** ")).toBeNull();
  });
});

describe("supersession", () => {
  test("a link target's number counts, not the link text", () => {
    const adr = parseAdr("0004-dns.md", "# 4. DNS\n\n## Status\n\nSuperseded by [ADR-0015](0015-dns.md)\n");
    expect(adr.status).toBe("superseded");
    expect(adr.supersededBy).toEqual([15]);
    expect(adr.rawStatus).toBe("Superseded by [ADR-0015](0015-dns.md)");
  });

  test("a link to a dated slug is no number", () => {
    const text = "# X\n\n- Status: superseded by [20201016-use-slug](20201016-use-slug.md)\n- Date: 2020-09-26\n";
    const adr = parseAdr("20200926-use-number.md", text);
    expect(adr.status).toBe("superseded");
    expect(adr.supersededBy).toEqual([]);
    expect(adr.number).toBeNull();
  });

  test("amends and in-favour-of are not supersession", () => {
    const text =
      "# 9. Help\n\n## Status\n\nAccepted\n\nAmends [5. Help comments](0005-help-comments.md)\n\nDeprecated in favour of [ADR-0007](0007-x.md).\n";
    const adr = parseAdr("0009-help.md", text);
    expect(adr.supersedes).toEqual([]);
    expect(adr.supersededBy).toEqual([]);
  });

  test("explicit sentences in the body, in both directions", () => {
    const text =
      "# 33. IPs\n\n## Status\n\nPending\n\n## Context\n\nThis ADR in part supersedes [0003](0003-networking.md).\n\nADR-0004 is superseded by this decision.\n";
    const adr = parseAdr("0033-ip-ranges.md", text);
    expect(adr.supersedes).toEqual([3, 4]);
  });

  test("front matter supersession in its usual shapes", () => {
    const text =
      "---\nstatus: accepted\nsupersedes:\n  - ADR-0051\n  - 0003-x.md\n  - 7\nsuperseded_by: \"ADR-0090\"\n---\n# X\n";
    const adr = parseAdr("0052-x.md", text);
    expect(adr.supersedes).toEqual([51, 3, 7]);
    expect(adr.supersededBy).toEqual([90]);
  });

  test("status text in front matter carries supersession", () => {
    const adr = parseAdr("0057-x.md", '---\nstatus: "accepted; supersedes ADR-0045"\n---\n# X\n');
    expect(adr.status).toBe("accepted");
    expect(adr.supersedes).toEqual([45]);
  });

  test("metadata rows: N/A, URLs and versions are not ADRs", () => {
    const text =
      "# X\n\n| | |\n|---|---|\n| Status | Draft |\n| Supersedes | https://github.com/o/r/pull/23 |\n| Superseded by: | N/A |\n| Replaces | Data Connections (pre-2.16) |\n\n## What\n";
    const adr = parseAdr("ODH-ADR-Operator-0005-x.md", text);
    expect(adr.supersedes).toEqual([]);
    expect(adr.supersededBy).toEqual([]);
  });

  test("several references in the order written", () => {
    const adr = parseAdr("0020-x.md", "# X\n\nStatus: Accepted\nSupersedes: [ADR-12](0012-a.md), ADR-3 and 0009\n");
    expect(adr.supersedes).toEqual([12, 3, 9]);
  });

  test("bracketed and reference-style references", () => {
    const text = "# X\n\n## Status\n\nSuperseded by [[0005-foo]] and [ADR-6][six]\n\n[six]: 0006-six.md\n";
    expect(parseAdr("0004-x.md", text).supersededBy).toEqual([5, 6]);
  });

  test("an issue number in prose is not an ADR", () => {
    const adr = parseAdr("0004-x.md", "# X\n\n## Context\n\nThis replaces #12 and 2 older services.\n");
    expect(adr.supersedes).toEqual([]);
  });

  test("a relation as link text points at the link target", () => {
    const adr = parseAdr("0006-x.md", "# X\n\n* Status: [Superseded by](0012-foo.md)\n");
    expect(adr.supersededBy).toEqual([12]);
  });
});

describe("dates", () => {
  test.each([
    ["2016-02-12", "2016-02-12"],
    ["05/02/2018", "2018-02-05"],
    ["10/04/18", "2018-04-10"],
    ["22-10-2024", "2024-10-22"],
    ["11-April-2023", "2023-04-11"],
    ["Sep 5th, 2023", "2023-09-05"],
    ["September 22, 2023", "2023-09-22"],
    ["8 Jun 2024", "2024-06-08"],
    ["03/14/2019", "2019-03-14"],
    ["2020-01-01, revised 2021-02-02", "2020-01-01"],
    ["20200924", "2020-09-24"],
    ["January, 2026", null],
    ["May 2026", null],
    ["insert date", null],
    ["YYYY-MM-DD", null],
    ["31/02/2020", null],
  ])("%j → %s", (text, expected) => {
    expect(parseAdrDate(text)).toBe(expected);
  });

  test("a status line dates the decision when nothing else does", () => {
    const adr = parseAdr("0003-x.md", "# X\n\n## Status\n\nAccepted on 2017-11-28.\n");
    expect(adr.date).toBe("2017-11-28");
  });

  test("a supersession date is not the decision's date", () => {
    const adr = parseAdr("0003-x.md", "# X\n\n## Status\n\nSuperseded by ADR-0009 on 2026-05-19\n");
    expect(adr.date).toBeNull();
  });

  test("an unreadable date is a warning, not an error", () => {
    const adr = parseAdr("0004-x.md", "# X\n\nDate: insert date\n");
    expect(adr.date).toBeNull();
    expect(adr.warnings).toContain('date not understood: "insert date"');
  });
});

describe("titles and numbers", () => {
  test.each([
    ["# 1. Record architecture decisions", "Record architecture decisions"],
    ["# 0009. Help scripts", "Help scripts"],
    ["# 23 Use X", "Use X"],
    ["# ADR001: Use Y", "Use Y"],
    ["# ODH-ADR-DR-0001: Data Registry", "Data Registry"],
    ["# ADR-0077 | Admit a rule", "Admit a rule"],
    ["# **ADR RHAISTRAT-1109 “Integrate”**", "ADR RHAISTRAT-1109 “Integrate”"],
    ["# Use `public final` instead of getters", "Use `public final` instead of getters"],
    ["# Open Data Hub - ODH-ADR-0003 - Licence", "Open Data Hub - ODH-ADR-0003 - Licence"],
    ["# Use [Lunr](https://lunrjs.com) for search", "Use Lunr for search"],
  ])("%j → %j", (heading, title) => {
    expect(parseAdr("0001-x.md", `${heading}\n\nText.\n`).title).toBe(title);
  });

  test("a heading inside a code fence is not the title", () => {
    const text = "```\n# Not me\n```\n\n# Me\n";
    expect(parseAdr("0001-x.md", text).title).toBe("Me");
  });

  test("front-matter title only when there is no H1", () => {
    const withH1 = parseAdr("0038-x.md", "---\ntitle: From front matter\n---\n# From heading\n");
    expect(withH1.title).toBe("From heading");
    const withoutH1 = parseAdr("adr001-log.md", "---\ntitle: 'ADR001: Decision log'\n---\n\n## Context\n");
    expect(withoutH1.title).toBe("Decision log");
    expect(withoutH1.warnings).toContain("no H1 title");
  });

  test("no title anywhere: one made from the file name", () => {
    expect(parseAdr("0007-use-postgres.md", "Some text.\n").title).toBe("Use postgres");
  });

  test.each([
    ["0001-x.md", 1],
    ["adr-001-x.md", 1],
    ["ADR032-x.md", 32],
    ["ADR-7.md", 7],
    ["ODH-ADR-DR-0001-x.md", 1],
    ["ODH-ADR-Operator-0012-module-onboarding.md", 12],
    ["20200926-x.md", null],
    ["2021-01-15-x.md", null],
    ["use-java-17.md", null],
    ["choose-database.md", null],
  ])("number of %s is %s", (file, n) => {
    expect(numberFromAdrId(file)).toBe(n);
  });

  test("the number comes from the file name, not from a disagreeing H1", () => {
    expect(parseAdr("0035-bouncer.md", "# 3. Bouncer\n").number).toBe(35);
  });
});

describe("odd input never throws", () => {
  test("an empty file", () => {
    const adr = parseAdr("0001-empty.md", "");
    expect(adr).toMatchObject({ number: 1, title: "Empty", status: "unknown", date: null, sections: [] });
    expect(adr.warnings).toContain("empty file");
  });

  test("a file with only front matter", () => {
    const adr = parseAdr("0002-fm.md", "---\nstatus: accepted\ndate: 2024-01-02\ntitle: Only front matter\n---\n");
    expect(adr).toMatchObject({ title: "Only front matter", status: "accepted", date: "2024-01-02" });
  });

  test("malformed front matter: a warning, and the body is still read", () => {
    const text = "---\nstatus: [accepted\ndate: : :\n---\n# Still read\n\n## Status\n\nProposed\n";
    const adr = parseAdr("0003-bad.md", text);
    expect(adr.title).toBe("Still read");
    expect(adr.status).toBe("proposed");
    expect(adr.warnings.some((w) => w.startsWith("unreadable front matter: "))).toBe(true);
  });

  test("front matter that is not a mapping", () => {
    const adr = parseAdr("0004-list.md", "---\n- a\n- b\n---\n# X\n");
    expect(adr.warnings).toContain("front matter is not a list of key: value pairs; ignored");
  });

  test("a byte-order mark and CRLF line endings", () => {
    const adr = parseAdr("0005-crlf.md", "\uFEFF---\r\nstatus: accepted\r\n---\r\n# 5. Windows\r\n\r\nDate: 2020-01-02\r\n");
    expect(adr).toMatchObject({ title: "Windows", status: "accepted", date: "2020-01-02" });
  });

  test("binary-looking garbage", () => {
    expect(() => parseAdr("0006-x.md", "\u0000\u0001# \uFFFD|||\n---\n[[[")).not.toThrow();
  });

  // Pieces of real ADR syntax in any order: the reader must always return a well-formed record.
  const fragments = [
    "---\n", "status: accepted\n", "date: [\n", "modules: {a: 1}\n", "# 1. Title\n", "## Status\n", "### api\n",
    "## Module guidance\n", "Superseded by [x](0003-x.md)\n", "| Status | Draft |\n", "|---|---|\n", "```\n",
    "- Date: 10/04/18\n", "✅ Accepted\n", "\n", "supersedes ADR-", "12", "~~", "[^1]", "<!-- c -->\n", "> q\n",
  ];
  test("any mix of ADR syntax gives a well-formed record", () => {
    assertProperty(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 30 }), (parts) => {
        const adr = parseAdr("0001-x.md", parts.join(""));
        expect(typeof adr.title).toBe("string");
        expect(["proposed", "accepted", "rejected", "deprecated", "superseded", "other", "unknown"]).toContain(adr.status);
        expect(adr.date === null || /^\d{4}-\d{2}-\d{2}$/.test(adr.date)).toBe(true);
        expect(adr.supersedes.every(Number.isSafeInteger) && adr.supersededBy.every(Number.isSafeInteger)).toBe(true);
        expect(adr.modules.every((m) => typeof m === "string")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe("Baton's own MADR output", () => {
  const text = [
    "---",
    "status: accepted",
    "date: 2026-03-01",
    "modules: [api, web]",
    'spec: "docs/specs/rate-limits.md"',
    "supersedes: [3]",
    "superseded-by: []",
    "---",
    "# 12. Rate-limit the public API",
    "",
    "## Context and Problem Statement",
    "",
    "Clients hammer `/search`.",
    "",
    "## Decision Outcome",
    "",
    "Token bucket per key.",
    "",
    "### Consequences",
    "",
    "* Good, because fair.",
    "",
    "## Module guidance",
    "",
    "### api",
    "",
    "Add the limiter as middleware.",
    "",
    "```ts",
    "### not a module",
    "```",
    "",
    "### `web`",
    "",
    "Show a retry banner on 429.",
    "",
    "## Links",
    "",
    "* Spec",
    "",
  ].join("\n");

  test("front matter and module guidance", () => {
    const adr = parseAdr("0012-rate-limit-the-public-api.md", text);
    expect(adr).toMatchObject({
      number: 12,
      title: "Rate-limit the public API",
      status: "accepted",
      rawStatus: "accepted",
      date: "2026-03-01",
      modules: ["api", "web"],
      spec: "docs/specs/rate-limits.md",
      supersedes: [3],
      supersededBy: [],
      warnings: [],
    });
    expect(adr.guidance).toEqual({
      api: "Add the limiter as middleware.\n\n```ts\n### not a module\n```",
      web: "Show a retry banner on 429.",
    });
  });

  test("sections keep their markdown, ## bodies include their ### subsections", () => {
    const adr = parseAdr("0012-rate-limit-the-public-api.md", text);
    expect(adr.sections.map((s) => [s.heading, s.depth])).toEqual([
      ["Context and Problem Statement", 2],
      ["Decision Outcome", 2],
      ["Consequences", 3],
      ["Module guidance", 2],
      ["api", 3],
      ["web", 3],
      ["Links", 2],
    ]);
    expect(adr.sections[0]?.body).toBe("Clients hammer `/search`.");
    expect(adr.sections[1]?.body).toBe("Token bucket per key.\n\n### Consequences\n\n* Good, because fair.");
  });

  test("modules come from the guidance headings when front matter has none", () => {
    const adr = parseAdr("0013-x.md", "# X\n\n## Module guidance\n\n### billing\n\nCareful.\n\n### auth\n\nAlso.\n");
    expect(adr.modules).toEqual(["billing", "auth"]);
    expect(adr.spec).toBeNull();
  });

  test("a spec given as an issue number", () => {
    expect(parseAdr("0014-x.md", "---\nspec: 12\n---\n# X\n").spec).toBe("#12");
    expect(parseAdr("0015-x.md", "---\nspec: '#12'\n---\n# X\n").spec).toBe("#12");
  });
});

describe("module guidance with names that are also object properties", () => {
  test("reads them as plain module names", () => {
    const text = "# T\n\n## Module guidance\n\n### constructor\n\nA.\n\n### `__proto__`\n\nB.\n";
    const record = parseAdr("0001-t.md", text);
    expect(Object.keys(record.guidance)).toEqual(["constructor", "__proto__"]);
    expect(record.guidance["__proto__"]).toBe("B.");
    expect(Object.getPrototypeOf(record.guidance)).toBe(Object.prototype);
  });
});
