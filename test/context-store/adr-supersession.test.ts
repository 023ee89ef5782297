import { describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { supersedeAdr } from "../../src/context-store/adr/supersede-adr.js";

/*
 * Marking an old ADR superseded, in the places a team's own files keep their
 * status (front matter, metadata lines and tables, a `## Status` section):
 * the exact text committed, what the reader makes of it, and that a second
 * run changes nothing. adr-writer.test.ts covers the common styles; these are
 * their edges.
 */

const PATH = "docs/adr/0001-old.md";

function supersede(text: string, newNumber = 12, newFile = "0012-x.md", oldNumber: number | null = 1, path = PATH): string {
  return supersedeAdr({ path, text }, oldNumber, newNumber, newFile).content;
}

/** The committed text, read back, and run again (a redelivered event changes nothing). */
function supersededOnce(text: string): string {
  const out = supersede(text);
  expect(parseAdr("0001-old.md", out)).toMatchObject({ status: "superseded", supersededBy: expect.arrayContaining([12]) });
  expect(supersede(out)).toBe(out);
  return out;
}

describe("which new numbers supersede", () => {
  const text = "# T\n\n* Status: accepted\n";

  it.each([Number.NaN, 2.5, Number.POSITIVE_INFINITY, -1])("leaves the file as it is for %s", (n) => {
    expect(supersedeAdr({ path: PATH, text }, 1, n, "0012-x.md")).toEqual({ path: PATH, content: text });
  });

  it("takes ADR 0 (MADR numbers from 0000) for an unnumbered file", () => {
    expect(supersede(text, 0, "0000-x.md", null)).toBe("# T\n\n* Status: superseded by [ADR 0](0000-x.md)\n");
  });
});

describe("the link to the new ADR", () => {
  const text = "# T\n\n* Status: accepted\n";

  it("escapes brackets and backslashes in the title and keeps it on one line", () => {
    const out = supersedeAdr({ path: PATH, text }, 1, 12, "0012-x.md", { newTitle: "Use [brackets] and \\ back\nslash" }).content;
    expect(out).toBe("# T\n\n* Status: superseded by [12. Use \\[brackets\\] and \\\\ back slash](0012-x.md)\n");
    expect(parseAdr("0001-old.md", out).supersededBy).toEqual([12]);
  });

  it("wraps a file name with spaces or parentheses in angle brackets", () => {
    expect(supersede(text, 12, "0012 new (x) <y>.md")).toBe("# T\n\n* Status: superseded by [ADR 12](<0012 new (x) y.md>)\n");
  });

  it("keeps a path into another folder, and a file at the repository root links its neighbour by name", () => {
    expect(supersede(text, 12, "other/0012-x.md")).toContain("[ADR 12](other/0012-x.md)");
    expect(supersede(text, 12, "0012-x.md", 1, "0001-old.md")).toContain("[ADR 12](0012-x.md)");
    expect(supersede(text, 12, "docs/0012-x.md", 1, "0001-old.md")).toContain("[ADR 12](docs/0012-x.md)");
  });
});

describe("line endings", () => {
  it("finds front matter behind a BOM and in a CRLF file, and keeps both", () => {
    expect(supersededOnce("\uFEFF---\nstatus: accepted\n---\n# T\n")).toBe("\uFEFF---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersededOnce("---\r\nstatus: accepted\r\n---\r\n# T\r\n")).toBe("---\r\nstatus: superseded\r\nsuperseded-by: [ 12 ]\r\n---\r\n# T\r\n");
  });

  it("edits a file whose first line ends in LF and the others in CRLF as it is (mixed)", () => {
    const text = "\n# Old\r\n\r\n## Status\r\n\r\nAccepted\r\n";
    expect(supersede(text)).toBe("\n# Old\r\n\r\n## Status\r\n\r\nSuperseded by [ADR 12](0012-x.md)\r\n");
  });
});

describe("front matter", () => {
  it("is only a block at the very start: thematic breaks further down are not front matter", () => {
    expect(supersededOnce("# T\n\nSome text.\n\n---\n\nfoo\n\n---\n\nbar\n")).toBe(
      "---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n\nSome text.\n\n---\n\nfoo\n\n---\n\nbar\n",
    );
  });

  it("takes delimiters with trailing spaces, and a closing line that ends the file", () => {
    expect(supersededOnce("--- \nstatus: accepted\n---\t\n# T\n")).toBe("--- \nstatus: superseded\nsuperseded-by: [ 12 ]\n---\t\n# T\n");
    expect(supersededOnce("---\nstatus: accepted\n---")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---");
  });

  it("comes first, as for the reader: a front-matter status is edited, not a status section below it", () => {
    expect(supersededOnce("---\nstatus: accepted\n---\n# T\n\n## Status\n\nAccepted\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n\n## Status\n\nAccepted\n");
  });

  it("edits a status line or section in the body when the front matter has no status, leaving the front matter alone", () => {
    expect(supersededOnce("---\nparent: X\n---\n# T\n\n* Status: accepted\n")).toBe("---\nparent: X\n---\n# T\n\n* Status: superseded by [ADR 12](0012-x.md)\n");
    expect(supersededOnce("---\nparent: X\n---\n# T\n\n## Status\n\nAccepted\n")).toBe("---\nparent: X\n---\n# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
  });

  it("fills an empty front matter and one holding only a comment", () => {
    expect(supersededOnce("---\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersededOnce("---\n# just a comment\n---\n# T\n")).toBe("---\n# just a comment\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
  });

  it("keeps front matter that is not valid YAML byte for byte, adding the status lines, instead of failing", () => {
    expect(supersede("---\ntitle: [unclosed\n---\n# T\n")).toBe("---\ntitle: [unclosed\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersede("---\nstatus: accepted\ntitle: [unclosed\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\ntitle: [unclosed\n---\n# T\n");
    // A list or a text has no place for a status: it is kept, with the status lines after it.
    expect(supersede("---\n- a\n- b\n---\n# T\n")).toBe("---\n- a\n- b\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersede("---\njust a note\n---\n# T\n")).toBe("---\njust a note\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    // Front matter that does not parse is not read, as by the reader: a status in the body is edited, and the front matter left alone.
    const inBody = "---\nstatus: accepted\ntitle: [unclosed\n---\n# T\n\nStatus: accepted\n";
    expect(parseAdr("0001-old.md", inBody).status).toBe("accepted");
    expect(supersededOnce(inBody)).toBe("---\nstatus: accepted\ntitle: [unclosed\n---\n# T\n\nStatus: superseded by [ADR 12](0012-x.md)\n");
  });

  it("edits front matter whose aliases would expand past the YAML limit without expanding them", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdef".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`)];
    const out = supersede(`---\n${laughs.join("\n")}\nstatus: accepted\n---\n# T\n`);
    expect(out).toContain("\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(out).toContain("b: &b [ *a, *a, *a, *a, *a, *a, *a, *a, *a ]\n");
  });

  it("merges every number an existing superseded-by names, in any spelling, and drops what is not one", () => {
    const text = '---\nstatus: accepted\nsuperseded-by: [3, "0057", ADR-0058, "[x](0059-y.md)", "[z](../adr/0060-w.md)", -4, 2.5, nothing]\n---\n# T\n';
    expect(supersededOnce(text)).toBe("---\nstatus: superseded\nsuperseded-by: [ 3, 57, 58, 59, 60, 12 ]\n---\n# T\n");
  });

  it("reads the number a link points to, not one in its text, and ADR 0", () => {
    const text = '---\nstatus: accepted\nsuperseded-by: [0, "[Use v2 API](0059-y.md)", "[Drop v3](../adr/ADR-0060-w.md) and [v4](0061-z.md)"]\n---\n# T\n';
    expect(supersededOnce(text)).toBe("---\nstatus: superseded\nsuperseded-by: [ 0, 59, 60, 61, 12 ]\n---\n# T\n");
  });

  it("replaces a superseded-by list written without indent, empty items too, keeping its numbers and the next key as written", () => {
    const date = "date:   2024-01-01   # decided";
    expect(supersededOnce(`---\nstatus: accepted\nsuperseded-by:\n- 5\n- 6\n${date}\n---\n# T\n`)).toBe(`---\nstatus: superseded\nsuperseded-by: [ 5, 6, 12 ]\n${date}\n---\n# T\n`);
    expect(supersededOnce(`---\nstatus: accepted\nsuperseded-by:\n-\n${date}\n---\n# T\n`)).toBe(`---\nstatus: superseded\nsuperseded-by: [ 12 ]\n${date}\n---\n# T\n`);
  });

  it("adds the status to a front matter without one, every other byte as written", () => {
    expect(supersededOnce("---\nparent:   Decisions   # the parent\ntags: [a,b]\n---\n# T\n")).toBe("---\nparent:   Decisions   # the parent\ntags: [a,b]\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
  });

  it("replaces a status that is not text (a list, a number) without reading numbers from it", () => {
    expect(supersededOnce("---\nstatus: [accepted, superseded by 5]\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersededOnce("---\nstatus: 3\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
  });

  it("fills a superseded-by key left empty (as MADR's template leaves it)", () => {
    expect(supersededOnce("---\nstatus: accepted\nsuperseded-by:\ndate: 2024-01-01\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\ndate: 2024-01-01\n---\n# T\n");
  });

  it.each([
    ["Superseded 2024-01-01 by ADR 57", "[ 57, 12 ]"],
    ["replaced by [ADR 7](0007-x.md)", "[ 7, 12 ]"],
    ["superceded by 8", "[ 8, 12 ]"],
    ["accepted (2024-05-01)", "[ 12 ]"],
    ["accepted by the board", "[ 12 ]"],
  ])("reads the ADR a status of %j names after `by`, and no number from any other status", (status, numbers) => {
    expect(supersededOnce(`---\nstatus: ${status}\n---\n# T\n`)).toBe(`---\nstatus: superseded\nsuperseded-by: ${numbers}\n---\n# T\n`);
  });

  it("rewrites a flow-mapping front matter through the YAML document, which keeps its keys", () => {
    expect(supersededOnce("---\n{status: accepted, date: 2024-01-01}\n---\n# T\n")).toBe("---\n{ status: superseded, date: 2024-01-01, superseded-by: [ 12 ] }\n---\n# T\n");
    expect(supersededOnce("---\n{status: accepted, superseded_by: [5]}\n---\n# T\n")).toBe("---\n{ status: superseded, superseded_by: [ 5, 12 ] }\n---\n# T\n");
    expect(supersededOnce("---\n{date: 2024-01-01}\n---\n# T\n")).toBe("---\n{ date: 2024-01-01, status: superseded, superseded-by: [ 12 ] }\n---\n# T\n");
  });

  it("rewrites an explicit `? status` key through the YAML document, superseded-by still a flow list, long lines unfolded", () => {
    expect(supersededOnce("---\n? status\n: accepted\ndate: 2024-01-01\n---\n# T\n")).toBe("---\nstatus: superseded\ndate: 2024-01-01\nsuperseded-by: [ 12 ]\n---\n# T\n");
    const summary = "summary: a decision about the message broker we use between the billing service and the ledger";
    expect(supersededOnce(`---\n? status\n: accepted\n${summary}\n---\n# T\n`)).toBe(`---\nstatus: superseded\n${summary}\nsuperseded-by: [ 12 ]\n---\n# T\n`);
  });

  it("replaces a value spread over several lines, keeping the key's own spelling", () => {
    const text = "---\nStatus: >\n  accepted\n  long\nsuperseded_by:\n  - 5\ndate: 2024-01-01\n---\n# T\n";
    expect(supersededOnce(text)).toBe("---\nStatus: superseded\nsuperseded_by: [ 5, 12 ]\ndate: 2024-01-01\n---\n# T\n");
  });

  it("finds a quoted key, and leaves comments and nested keys that say status alone", () => {
    const text = '---\n# status: commented out\n"status": accepted\nmeta:\n  status: nested\n---\n# T\n';
    expect(supersededOnce(text)).toBe('---\n# status: commented out\n"status": superseded\nsuperseded-by: [ 12 ]\nmeta:\n  status: nested\n---\n# T\n');
  });

  it("takes only the key `status` for the status, not keys that contain the word", () => {
    expect(supersededOnce("---\nreview-status: done\n---\n# T\n")).toBe("---\nreview-status: done\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
    expect(supersededOnce("---\nstatus-note: x\nstatus: accepted\n---\n# T\n")).toBe("---\nstatus-note: x\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
  });

  it("takes superseded-by in its spellings, but not keys that only contain it", () => {
    expect(supersededOnce("---\nstatus: accepted\nsupersededBy: [5]\n---\n# T\n")).toBe("---\nstatus: superseded\nsupersededBy: [ 5, 12 ]\n---\n# T\n");
    expect(supersededOnce("---\nstatus: accepted\nwas-superseded-by: 3\nsuperseded-by-note: 4\n---\n# T\n")).toBe(
      "---\nstatus: superseded\nsuperseded-by: [ 12 ]\nwas-superseded-by: 3\nsuperseded-by-note: 4\n---\n# T\n",
    );
  });

  it("takes a key with a quote inside for what it is, not for status", () => {
    expect(supersededOnce("---\nsta'tus:   draft   # note\nstatus: accepted\n---\n# T\n")).toBe("---\nsta'tus:   draft   # note\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n# T\n");
  });

  it("keeps a line of spaces after the status, which is no part of its value", () => {
    expect(supersededOnce("---\nstatus: accepted\n  \ndate: 2024-01-01\n---\n# T\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n  \ndate: 2024-01-01\n---\n# T\n");
  });

  it("fills superseded-by where it stands, before the status too", () => {
    expect(supersededOnce("---\nsuperseded-by: []\nstatus: accepted\n---\n# T\n")).toBe("---\nsuperseded-by: [ 12 ]\nstatus: superseded\n---\n# T\n");
  });
});

describe("metadata lines", () => {
  it.each([
    ["Status: ✅ Accepted", "Status: Superseded by [ADR 12](0012-x.md)"],
    ["Status: superseded", "Status: superseded by [ADR 12](0012-x.md)"],
    ["Status:", "Status: superseded by [ADR 12](0012-x.md)"],
    ["**Status:**", "**Status:** superseded by [ADR 12](0012-x.md)"],
    ["**Status:** Accepted  ", "**Status:** Superseded by [ADR 12](0012-x.md)  "],
    ["* Status: Superseded by [ADR 9](0009-x.md)", "* Status: Superseded by [ADR 9](0009-x.md), [ADR 12](0012-x.md)"],
    ["Status: **Accepted**", "Status: **Superseded by [ADR 12](0012-x.md)**"],
    ["* Status: __accepted__", "* Status: __superseded by [ADR 12](0012-x.md)__"],
    ["**Status**: Accepted", "**Status**: Superseded by [ADR 12](0012-x.md)"],
    ["__Status:__ accepted", "__Status:__ superseded by [ADR 12](0012-x.md)"],
    ["Status : accepted", "Status : superseded by [ADR 12](0012-x.md)"],
    ["-   Status: accepted", "-   Status: superseded by [ADR 12](0012-x.md)"],
    ["  + Status: accepted", "  + Status: superseded by [ADR 12](0012-x.md)"],
    ["* Status:", "* Status: superseded by [ADR 12](0012-x.md)"],
    ["* Status: proposed by Alice", "* Status: superseded by [ADR 12](0012-x.md)"],
    ["**Status:** **Accepted**", "**Status:** Superseded by [ADR 12](0012-x.md)"],
    ["Status: Accepted (parts superseded by the 2024 rewrite)", "Status: Superseded by [ADR 12](0012-x.md)"],
    ["Status: ⚠️ Superseded by [ADR 9](0009-x.md)", "Status: ⚠️ Superseded by [ADR 9](0009-x.md), [ADR 12](0012-x.md)"],
    ["Status: **Superseded by [ADR 9](0009-x.md)**", "Status: **Superseded by [ADR 9](0009-x.md), [ADR 12](0012-x.md)**"],
    ["Status: Superseded  by [ADR 9](0009-x.md)", "Status: Superseded  by [ADR 9](0009-x.md), [ADR 12](0012-x.md)"],
  ])("%j becomes %j", (line, expected) => {
    expect(supersededOnce(`# T\n\n${line}\n\n## Context\n`)).toBe(`# T\n\n${expected}\n\n## Context\n`);
  });

  it("reads past a title that contains ## (only a heading line ends the metadata)", () => {
    expect(supersededOnce("# Support ## and ### headings in the editor\n\nStatus: accepted\n")).toBe("# Support ## and ### headings in the editor\n\nStatus: superseded by [ADR 12](0012-x.md)\n");
  });

  it("edits the first status line, even on the file's first line", () => {
    expect(supersededOnce("Status: accepted\nDate: 2024-01-01\nStatus: reviewed\n")).toBe("Status: superseded by [ADR 12](0012-x.md)\nDate: 2024-01-01\nStatus: reviewed\n");
  });

  it("does not take a line that only mentions a status for the status line", () => {
    expect(supersededOnce("# T\n\nProject status: green\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n\nProject status: green\n");
  });

  it("reads a status line under the title (ATX or setext) but not one inside a section", () => {
    expect(supersededOnce("Title\n=====\n\n# Sub\n\nStatus: accepted\n")).toBe("Title\n=====\n\n# Sub\n\nStatus: superseded by [ADR 12](0012-x.md)\n");
    expect(supersededOnce("# T\n## Context\n\nStatus: the service is flaky\n")).toBe(
      "---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n## Context\n\nStatus: the service is flaky\n",
    );
  });

  it("ignores status lines in fenced code: backticks inside tildes, longer closing fences, info strings, up to three spaces of indent", () => {
    expect(supersededOnce("# T\n\n~~~\n* Status: draft\n```\n* Status: also\n~~~\n\n* Status: accepted\n")).toBe(
      "# T\n\n~~~\n* Status: draft\n```\n* Status: also\n~~~\n\n* Status: superseded by [ADR 12](0012-x.md)\n",
    );
    expect(supersededOnce("# T\n\n````\n```js\nStatus: x\n```\nStatus: y\n`````\n\nStatus: accepted\n")).toContain("`````\n\nStatus: superseded by");
    expect(supersededOnce("# T\n\n```\nStatus: x\n```js\nStatus: y\n```\n\nStatus: accepted\n")).toContain("Status: y\n```\n\nStatus: superseded by");
    // Triple backticks inside a line open no fence.
    expect(supersededOnce("# T\n\nRun ```make``` first.\n\nStatus: accepted\n")).toBe("# T\n\nRun ```make``` first.\n\nStatus: superseded by [ADR 12](0012-x.md)\n");
    // Four spaces make an indented code block's text, not a fence: the line after it is metadata again.
    expect(supersededOnce("# T\n\n   ```\nStatus: x\n   ```\n    ```\nStatus: accepted\n")).toBe("# T\n\n   ```\nStatus: x\n   ```\n    ```\nStatus: superseded by [ADR 12](0012-x.md)\n");
  });
});

describe("metadata tables", () => {
  const table = (...rows: string[]) => `# T\n\n| | |\n|---|---|\n${rows.join("\n")}\n`;

  it("writes the link into the status cell when there is no Superseded by row", () => {
    expect(supersededOnce(table("| Status | accepted |", "| Date | 2024-01-01 |"))).toBe(table("| Status | superseded by [ADR 12](0012-x.md) |", "| Date | 2024-01-01 |"));
  });

  it("keeps the width of an aligned column when the value fits, and adds the space a compact cell lacks", () => {
    const wide = "| Status | Accepted                                         |";
    expect(supersededOnce(table(wide))).toBe(table("| Status | Superseded by [ADR 12](0012-x.md)                |"));
    expect(supersededOnce("# T\n\n|||\n|-|-|\n|Status|Accepted|\n|Superseded by|none|\n")).toBe("# T\n\n|||\n|-|-|\n|Status| Superseded |\n|Superseded by| [ADR 12](0012-x.md) |\n");
  });

  it.each(["-", "---", "—", "n/a", "NA", "None", "TBD"])("replaces a Superseded by cell that says nothing (%j) with the link", (empty) => {
    expect(supersededOnce(table("| Status | accepted |", `| Superseded by | ${empty} |`))).toBe(table("| Status | Superseded |", "| Superseded by | [ADR 12](0012-x.md) |"));
  });

  it("adds the link after what a Superseded by cell already says, once", () => {
    expect(supersededOnce(table("| **Status** | Superseded |", "| Superseded by | [ADR 9](0009-x.md) |"))).toBe(
      table("| **Status** | Superseded |", "| Superseded by | [ADR 9](0009-x.md), [ADR 12](0012-x.md) |"),
    );
    expect(supersededOnce(table("| Status | accepted |", "| Superseded by | later |"))).toBe(table("| Status | Superseded |", "| Superseded by | later, [ADR 12](0012-x.md) |"));
  });

  it("reads labels in bold or with a colon, keeps a status that already says superseded, and replaces one that only mentions it", () => {
    expect(supersededOnce(table("| **Status:** | Approved |", "| __Superseded_by__ | n/a |"))).toBe(table("| **Status:** | Superseded |", "| __Superseded_by__ | [ADR 12](0012-x.md) |"));
    expect(supersededOnce(table("| Status | superseded (see below) |", "| Superseded by | |"))).toBe(table("| Status | superseded (see below) |", "| Superseded by | [ADR 12](0012-x.md) |"));
    expect(supersededOnce(table("| Status | Partly superseded |", "| Superseded by | |"))).toBe(table("| Status | Superseded        |", "| Superseded by | [ADR 12](0012-x.md) |"));
    expect(supersededOnce(table("| Status | *Superseded* |", "| Superseded by | |"))).toBe(table("| Status | *Superseded* |", "| Superseded by | [ADR 12](0012-x.md) |"));
    expect(supersede(table("| Status | accepted |", "| SupersededBy | none |"))).toBe(table("| Status | Superseded |", "| SupersededBy | [ADR 12](0012-x.md) |"));
  });

  it("takes an indented table's rows, and only lines that start with a pipe as rows", () => {
    expect(supersededOnce("# T\n\n  | | |\n  |---|---|\n  | Status | accepted |\n")).toBe("# T\n\n  | | |\n  |---|---|\n  | Status | superseded by [ADR 12](0012-x.md) |\n");
    expect(supersededOnce("# T\n\nOwner: team-a | Status | Accepted |\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n\nOwner: team-a | Status | Accepted |\n");
  });

  it("reads a label with spaces inside its bold markers, and a status row that heads the file's table", () => {
    expect(supersededOnce(table("| ** Status ** | accepted |"))).toBe(table("| ** Status ** | superseded by [ADR 12](0012-x.md) |"));
    expect(supersededOnce("| Status | accepted |\n|---|---|\n| Status | draft |\n")).toBe("| Status | superseded by [ADR 12](0012-x.md) |\n|---|---|\n| Status | draft |\n");
  });

  it("takes only a row labelled exactly Superseded by for the link", () => {
    expect(supersededOnce(table("| Status | accepted |", "| Partly superseded by | ADR 3 |", "| Superseded by (date) | 2024 |"))).toBe(
      table("| Status | superseded by [ADR 12](0012-x.md) |", "| Partly superseded by | ADR 3 |", "| Superseded by (date) | 2024 |"),
    );
  });

  it("keeps a Superseded by cell that says more than nothing, and the width of a wide one it replaces", () => {
    expect(supersededOnce(table("| Status | accepted |", "| Superseded by | TBD later |"))).toBe(table("| Status | Superseded |", "| Superseded by | TBD later, [ADR 12](0012-x.md) |"));
    expect(supersededOnce(table("| Status | accepted |", "| Superseded by | pending tbd |"))).toBe(table("| Status | Superseded |", "| Superseded by | pending tbd, [ADR 12](0012-x.md) |"));
    const pad = " ".repeat(35);
    expect(supersededOnce(table(`| Status        | accepted${pad}|`, `| Superseded by | none${pad}    |`))).toBe(
      table(`| Status        | Superseded${pad.slice(2)}|`, `| Superseded by | [ADR 12](0012-x.md)${pad.slice(15)}    |`),
    );
  });

  it("edits the first status row and the last Superseded by row", () => {
    expect(supersede(table("| Status | accepted |", "| Status | draft |"))).toBe(table("| Status | superseded by [ADR 12](0012-x.md) |", "| Status | draft |"));
    expect(supersededOnce(table("| Status | accepted |", "| Superseded by | - |", "| Superseded-by | TBD |"))).toBe(
      table("| Status | Superseded |", "| Superseded by | - |", "| Superseded-by | [ADR 12](0012-x.md) |"),
    );
  });

  it("goes on to the ## Status section when the table has a Superseded by row but no status row", () => {
    expect(supersededOnce("# T\n\n| Superseded by | none |\n\n## Status\n\nAccepted\n")).toBe("# T\n\n| Superseded by | none |\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
  });
});

describe("the ## Status section", () => {
  it("takes a level-3 heading with closing hashes, up to a level-1 heading, but not a level-4 heading", () => {
    expect(supersededOnce("# T\n\n### Status ###\n\nAccepted\n\n# Next\n")).toBe("# T\n\n### Status ###\n\nSuperseded by [ADR 12](0012-x.md)\n\n# Next\n");
    expect(supersededOnce("# T\n\n##  Status\n\nAccepted\n")).toBe("# T\n\n##  Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
    expect(supersededOnce("# T\n\n#### Status\n\nAccepted\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n\n#### Status\n\nAccepted\n");
    expect(supersededOnce("# T\n\n## Status quo\n\nWe use X.\n")).toBe("---\nstatus: superseded\nsuperseded-by: [ 12 ]\n---\n\n# T\n\n## Status quo\n\nWe use X.\n");
  });

  it("fills an empty section, before another heading or at the end of the file, with its blank lines", () => {
    expect(supersededOnce("# T\n\n## Status\n\n## Context\n\nx\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\n## Context\n\nx\n");
    expect(supersededOnce("# T\n\n## Status\n## Context\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\n## Context\n");
    expect(supersededOnce("# T\n\n## Status\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
    expect(supersededOnce("# T\n\n## Status")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
    expect(supersededOnce("# T\n\n## Status\n\n\n## Context\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\n## Context\n");
    expect(supersededOnce("# T\n\n## Status\n# Appendix\n\nx\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\n# Appendix\n\nx\n");
  });

  it("replaces a status word on the line after the heading, or one with a # in it, keeping the history below", () => {
    expect(supersededOnce("# T\n\n## Status\nAccepted\n\nAmends [3. Old](0003-old.md)\n")).toBe("# T\n\n## Status\nSuperseded by [ADR 12](0012-x.md)\n\nAmends [3. Old](0003-old.md)\n");
    expect(supersededOnce("# T\n\n## Status\n\nAccepted (meeting # 4)\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n");
  });

  it("keeps a section's own spacing, and a file without a final newline without one", () => {
    expect(supersededOnce("# T\n\n## Status\nAccepted")).toBe("# T\n\n## Status\nSuperseded by [ADR 12](0012-x.md)");
    expect(supersededOnce("# T\n\n## Status\nAccepted\n## Context\n")).toBe("# T\n\n## Status\nSuperseded by [ADR 12](0012-x.md)\n\n## Context\n");
    expect(supersededOnce("# T\n\n## Status\n\n\nAmends [3. Old](0003-old.md)\n\n\n## Context\n")).toBe(
      "# T\n\n## Status\n\n\nSuperseded by [ADR 12](0012-x.md)\n\nAmends [3. Old](0003-old.md)\n\n\n## Context\n",
    );
  });

  it("puts the supersession above an earlier amendment or partial supersession by the same ADR", () => {
    expect(supersededOnce("# T\n\n## Status\n\nAmended by [12. X](0012-x.md)\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\nAmended by [12. X](0012-x.md)\n");
    expect(supersededOnce("# T\n\n## Status\n\nPartly superseded by [12. X](0012-x.md)\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\nPartly superseded by [12. X](0012-x.md)\n");
  });

  it("leaves a section that already opens with the supersession, however it is spelled", () => {
    const text = "# T\n\n## Status\n\n⚠️ Superseded  by [ADR 12](0012-x.md)\n";
    expect(supersede(text)).toBe(text);
  });

  it("ends the new line as the line it replaces ends, or as the heading in an empty section (mixed line endings)", () => {
    expect(supersededOnce("# T\n\n## Status\n\nAccepted\r\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\r\n");
    expect(supersededOnce("# T\n\n## Status\r\n")).toBe("# T\n\n## Status\r\n\nSuperseded by [ADR 12](0012-x.md)\r\n");
  });

  it("drops the bare status word but keeps the history below it", () => {
    expect(supersededOnce("# T\n\n## Status\n\nAccepted\n\n\nAmends [3. Old](0003-old.md)\n")).toBe("# T\n\n## Status\n\nSuperseded by [ADR 12](0012-x.md)\n\nAmends [3. Old](0003-old.md)\n");
  });
});
