import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkSync } from "recheck";
import { adrFileName, detectNamingStyle, nextAdrNumber, numberFromFileName, NUMBERED_FILE_NAME, slugify } from "../../src/context-store/adr/adr-numbering.js";
import { assertProperty } from "../support/property.js";

describe("nextAdrNumber", () => {
  it("starts at 1 in an empty folder", () => {
    expect(nextAdrNumber([])).toBe(1);
  });

  it("is one past the highest number, whatever the order", () => {
    expect(
      nextAdrNumber([
        { file: "0007-b.md", number: 7 },
        { file: "0001-a.md", number: 1 },
        { file: "0003-c.md", number: 3 },
      ]),
    ).toBe(8);
  });

  it("falls back to the file name when a record has no number, and ignores dates", () => {
    expect(
      nextAdrNumber([
        { file: "adr-012-x.md", number: null },
        { file: "20200926-use-log4brains.md", number: null },
        { file: "README.md", number: null },
      ]),
    ).toBe(13);
  });

  it("goes by a record's own number over the one in its file name", () => {
    expect(nextAdrNumber([{ file: "use-postgres.md", number: 4 }])).toBe(5);
    expect(nextAdrNumber([{ file: "0002-renumbered.md", number: 9 }])).toBe(10);
  });

  it("keeps numbering after 0000 (MADR starts there)", () => {
    expect(nextAdrNumber([{ file: "0000-use-madr.md", number: 0 }])).toBe(1);
  });
});

describe("numberFromFileName", () => {
  it.each([
    ["0001-record.md", 1],
    ["adr-001-x.md", 1],
    ["ADR032-x.md", 32],
    ["ADR-7.md", 7],
    ["ODH-ADR-DR-0001-data-registry.md", 1],
    ["docs/adr/0042-x.markdown", 42],
    ["20200926-use-the-adr-number.md", null],
    ["README.md", null],
    ["use-postgres.md", null],
    [".#0003-x.md", null],
  ])("%s → %s", (file, expected) => {
    expect(numberFromFileName(file)).toBe(expected);
  });

  it("reads long letter runs, with a pattern a ReDoS checker proves safe (no super-linear backtracking)", () => {
    expect(numberFromFileName(`${"a".repeat(5000)}.md`)).toBeNull();
    expect(numberFromFileName(`${"a-".repeat(5000)}x.md`)).toBeNull();
    expect(numberFromFileName(`${"a-".repeat(5000)}7-x.md`)).toBe(7);
    // recheck's automaton checker decides it, without timing anything; it does flag /^(a+)+$/.
    expect(checkSync(NUMBERED_FILE_NAME.source, NUMBERED_FILE_NAME.flags, { checker: "automaton" }).status).toBe("safe");
    expect(checkSync("^(a+)+$", "", { checker: "automaton" }).status).toBe("vulnerable");
  });
});

describe("adrFileName", () => {
  it("defaults to 4-digit NNNN-slug.md", () => {
    expect(adrFileName(12, "Use PostgreSQL for the job queue", [])).toBe("0012-use-postgresql-for-the-job-queue.md");
  });

  it("follows a folder that uses an adr- prefix and 3 digits", () => {
    const existing = ["adr-001-record-decisions.md", "adr-002-use-go.md", "README.md"];
    expect(detectNamingStyle(existing)).toEqual({ prefix: "adr-", width: 3, separator: "-", extension: ".md" });
    expect(adrFileName(3, "Adopt gRPC", existing)).toBe("adr-003-adopt-grpc.md");
  });

  it("follows the most common width and separator", () => {
    const existing = ["001_first.md", "002_second.md", "0003-odd-one.md"];
    expect(adrFileName(4, "Fourth one", existing)).toBe("004_fourth-one.md");
  });

  it("keeps a folder's .markdown extension", () => {
    expect(adrFileName(2, "Second", ["0001-first.markdown"])).toBe("0002-second.markdown");
  });

  it("does not copy a log4brains date prefix as if it were a number", () => {
    expect(adrFileName(1, "New decision", ["20200926-use-log4brains.md", "20201001-other.md"])).toBe("0001-new-decision.md");
  });

  it("lets numbers grow past the folder's width", () => {
    expect(adrFileName(1000, "Big", ["001-a.md", "999-z.md"])).toBe("1000-big.md");
  });

  it("reads the folder's style and taken names from paths as well as bare names", () => {
    expect(detectNamingStyle(["docs/adr/adr-001-a.md"])).toEqual({ prefix: "adr-", width: 3, separator: "-", extension: ".md" });
    expect(adrFileName(5, "Use Kafka", ["docs/adr/0005-use-kafka.md"])).toBe("0005-use-kafka-2.md");
  });

  it("never returns a name that exists, even differing only in case", () => {
    expect(adrFileName(5, "Use Kafka", ["0005-use-kafka.md"])).toBe("0005-use-kafka-2.md");
    expect(adrFileName(5, "Use Kafka", ["0005-USE-KAFKA.md", "0005-use-kafka-2.md"])).toBe("0005-use-kafka-3.md");
  });

  it("never collides, for any title and folder", () => {
    assertProperty(
      fc.property(fc.nat({ max: 50 }), fc.string(), fc.array(fc.string({ maxLength: 30 }), { maxLength: 10 }), (n, title, names) => {
        const existing = [...names, adrFileName(n, title, names)];
        const again = adrFileName(n, title, existing);
        expect(existing.map((e) => e.toLowerCase())).not.toContain(again.toLowerCase());
      }),
    );
  });
});

describe("slugify", () => {
  it("folds accents and transliterates common letters", () => {
    expect(slugify("Über café: naïve façade")).toBe("uber-cafe-naive-facade");
    expect(slugify("Straße & Ærø")).toBe("strasse-and-aero");
    expect(slugify("C++ over C#")).toBe("c-plus-plus-over-c");
    expect(slugify("ß æ Æ œ Œ ø Ø ł Ł đ Đ ð Ð þ Þ ı ħ Ħ ŋ Ŋ", 100)).toBe("ss-ae-ae-oe-oe-o-o-l-l-d-d-d-d-th-th-i-h-h-n-n");
    expect(slugify("Mail ops@team")).toBe("mail-ops-at-team");
  });

  it("drops scripts without an ASCII reading and never returns an empty slug", () => {
    expect(slugify("日本語")).toBe("decision");
    expect(slugify("Use 日本語 input")).toBe("use-input");
    expect(slugify("!!!")).toBe("decision");
  });

  it("cuts long titles at a word, within 50 characters", () => {
    const slug = slugify("Introduce an event sourced ledger for every payment transaction in the system");
    expect(slug.length).toBeLessThanOrEqual(50);
    expect(slug).toBe("introduce-an-event-sourced-ledger-for-every");
  });

  it("always yields lowercase ascii words joined by single hyphens", () => {
    assertProperty(
      fc.property(fc.string({ unit: "grapheme", maxLength: 120 }), (title) => {
        const slug = slugify(title);
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(50);
      }),
    );
  });

  it("never ends a cut slug in a hyphen, whatever the length limit", () => {
    assertProperty(
      fc.property(fc.array(fc.constantFrom("a", "bc", "def", "-", " ", "é", "&"), { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (parts, max) => {
        const slug = slugify(parts.join(""), max, "x");
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe("ADR numbers and names at their edges", () => {
  it.each([
    ["19700101-x.md", null],
    ["21991231-x.md", null],
    ["20201231-x.md", null],
    ["19691231-x.md", 19691231],
    ["22000101-x.md", 22000101],
    ["20200001-x.md", 20200001],
    ["20201301-x.md", 20201301],
    ["20200100-x.md", 20200100],
    ["20200132-x.md", 20200132],
    ["adr-20200926-x.md", 20200926],
    ["2020092-x.md", 2020092],
    ["99999999999999999999-x.md", null],
    ["0001-x.md.orig", null],
    ["0001-x.mdx", null],
  ])("reads %s as %s: only an 8-digit date from 1970 to 2199 without a prefix is not a number", (file, expected) => {
    expect(numberFromFileName(file)).toBe(expected);
  });

  it("skips numbers that are not safe integers", () => {
    expect(nextAdrNumber([{ file: "0002-a.md", number: 2 }, { file: "x.md", number: 2 ** 60 }, { file: "y.md", number: 2.5 }])).toBe(3);
  });

  it("breaks ties between styles by the first in sort order, whatever the listing order", () => {
    expect(adrFileName(3, "c", ["001-a.md", "0002-b.md"])).toBe("003-c.md");
    expect(adrFileName(3, "c", ["0002-b.md", "001-a.md"])).toBe("003-c.md");
    expect(adrFileName(3, "c", ["adr-001-a.md", "002-b.md"])).toBe("003-c.md");
    expect(detectNamingStyle(["0001.first.md", "0002_second.md", "0003_third.md"])).toEqual({ prefix: "", width: 4, separator: "_", extension: ".md" });
    expect(detectNamingStyle(["0001.first.md"]).separator).toBe("-");
  });

  it("writes a negative or non-integer number as 0", () => {
    expect(adrFileName(-3, "x", [])).toBe("0000-x.md");
    expect(adrFileName(Number.NaN, "x", [])).toBe("0000-x.md");
  });

  it("cuts at the last hyphen only when it keeps at least half the length", () => {
    expect(slugify("aaaaa-bbbbbbbbbb", 10)).toBe("aaaaa");
    expect(slugify("aaaa-bbbbbbbbbb", 10)).toBe("aaaa-bbbbb");
    expect(slugify("abcdefghij", 10)).toBe("abcdefghij");
    // A slug of exactly the limit is kept whole; one a hyphen past it loses only the hyphen.
    expect(slugify("aaaaa-bbbb", 10)).toBe("aaaaa-bbbb");
    expect(slugify("aaaaa-bbbb-cc", 10)).toBe("aaaaa-bbbb");
    expect(slugify("", 10, "fallback")).toBe("fallback");
  });
});

