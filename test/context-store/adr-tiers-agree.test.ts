import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import fc from "fast-check";
import { parseDocument } from "yaml";
import { describe, expect, test } from "vitest";
import { readSimpleYaml } from "../../src/context-store/adr/adr-simple-yaml.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { readAdrMetadata } from "../../src/context-store/adr/read-adr-metadata.js";
import { generateSyntheticRepo } from "../../bench/synthetic-repo.js";
import { adrCorpus, REPOSITORY_ROOT } from "../support/adr-corpus.js";
import { propertyRuns } from "../support/property.js";

/**
 * The fast tier (a linear scan, for every ADR) and the full tier (remark,
 * for ADRs that enter a context or lint) must read every metadata field the
 * same way: the list and the graph use the first, the model sees the second.
 */
const FIELDS = ["number", "title", "status", "rawStatus", "supersededBy", "supersedes", "date", "modules", "spec"] as const;

function disagreements(file: string, text: string): string[] {
  const full = parseAdr(file, text);
  const fast = readAdrMetadata(file, text).metadata;
  return FIELDS.flatMap((field) => {
    const a = JSON.stringify(full[field]);
    const b = JSON.stringify(fast[field]);
    return a === b ? [] : [`${file} ${field}: full ${a}, fast ${b}`];
  });
}

const { dir: CORPUS, available, reason } = adrCorpus();
const OWN_ADRS = join(REPOSITORY_ROOT, "docs/adr");

describe("the two tiers of the ADR reader", () => {
  test.skipIf(!available)(`agree on every field of every ADR of the shared corpus${available ? "" : ` (skipped: ${reason})`}`, () => {
    const files = readdirSync(CORPUS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(CORPUS, d.name)).filter((f) => f.endsWith(".md")).map((f) => join(CORPUS, d.name, f)));
    expect(files.length).toBeGreaterThanOrEqual(192);
    expect(files.flatMap((p) => disagreements(basename(p), readFileSync(p, "utf8")))).toEqual([]);
  });

  test("agree on Baton's own ADRs and on the benchmark's generated ones", () => {
    const own = readdirSync(OWN_ADRS).filter((f) => /^\d{4}-.*\.md$/.test(f));
    const repo = generateSyntheticRepo({ adrs: 120, pitfallFiles: 1, sourcePaths: 1 });
    const generated = repo.files.filter((f) => f.kind === "adr");
    expect(own.length + generated.length).toBeGreaterThan(120);
    expect([
      ...own.flatMap((f) => disagreements(f, readFileSync(join(OWN_ADRS, f), "utf8"))),
      ...generated.flatMap((f) => disagreements(basename(f.path), f.text())),
    ]).toEqual([]);
  });

  test.each([
    ["setext headings", "Use Kafka\n=========\n\nStatus\n------\n\nAccepted\n"],
    ["a checklist of statuses", "# X\n\n## Status\n\n- [ ] Proposed\n- [x] Accepted\n- [ ] Rejected\n"],
    ["struck-through status", "# X\n\nStatus: ~~Proposed~~ Accepted\n"],
    ["a reference link in a status", "# X\n\n## Status\n\nSuperseded by [the DNS ADR][dns]\n\n[dns]: 0015-dns.md\n"],
    ["status inside a code fence only", "# X\n\n```\nStatus: accepted\n```\n"],
    ["status inside an HTML comment", "# X\n\n<!--\nStatus: accepted\n-->\n\nStatus: proposed\n"],
    ["a horizontal metadata table", "| Status | Date |\n|---|---|\n| Approved | 9 April 2018 |\n\n## Context\n"],
    ["unclosed front matter", "---\nstatus: accepted\n\n# Title\n\nText.\n"],
    ["TOML front matter", "+++\nstatus = \"deprecated\"\ndate = \"2020-01-02\"\n+++\n\n# T\n"],
    ["emphasis in keys and values", "# T\n\n**Status:** _Accepted_ on 2019-03-04\n\n* **Supersedes:** [ADR-3](0003-x.md), ADR-4\n"],
    ["nested quotes and lists", "# T\n\n> - Status: accepted\n> - Date: 2020-02-02\n"],
  ])("agree on %s", (_name, text) => {
    expect(disagreements("0042-case.md", text)).toEqual([]);
  });
});

describe("the simple front-matter reader", () => {
  const scalar = fc.oneof(
    fc.constantFrom("true", "False", "null", "~", "", "0", "12", "-3", "1.5", ".5", "1e3", "2024-01-02", "#12", "a: b", "x #y", "[a]"),
    fc.stringMatching(/^[A-Za-z0-9 ./()'"#:,-]{0,12}$/),
  );
  const line = fc.oneof(
    fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), scalar).map(([k, v]) => `${k}: ${v}`),
    fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), fc.array(scalar, { maxLength: 3 })).map(([k, vs]) => `${k}: [${vs.join(", ")}]`),
    fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), fc.array(scalar, { maxLength: 3 })).map(([k, vs]) => `${k}:\n${vs.map((v) => `  - ${v}`).join("\n")}`),
  );

  test("reads what it accepts exactly as the yaml library does (seed 20261204)", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const source = lines.join("\n");
        const simple = readSimpleYaml(source);
        if (simple === null) return;
        const doc = parseDocument(source, { uniqueKeys: false });
        expect(doc.errors).toEqual([]);
        expect(simple).toEqual(doc.toJS() ?? {});
      }),
      { seed: 20261204, numRuns: propertyRuns(2000) },
    );
  });
});

describe("reading as a newcomer's ADRs are written (both tiers)", () => {
  const read = (text: string) => {
    const fast = readAdrMetadata("0007-x.md", text).metadata;
    expect(disagreements("0007-x.md", text)).toEqual([]);
    return fast;
  };

  test("a title prefix naming the document type is dropped, like an ADR number", () => {
    expect(read("# Architecture Decision Record: Use ADRs\n").title).toBe("Use ADRs");
    expect(read("# ADR: Use Kafka\n").title).toBe("Use Kafka");
    expect(read("# ADR 7: Use Kafka\n").title).toBe("Use Kafka");
    expect(read("# Decision records are kept in git\n").title).toBe("Decision records are kept in git");
  });

  test.each([
    ["Date: 2018-04-09", "2018-04-09"],
    ["Date 09/04/2018", "2018-04-09"],
    ["Date: 9 April 2018", "2018-04-09"],
    ["Date: April 9, 2018", "2018-04-09"],
    ["Date: 04/25/2020", "2020-04-25"],
    ["Date: 25/04/2020", "2020-04-25"],
    ["- Date: 2018-04-09", "2018-04-09"],
  ])("the date in %s", (line, date) => {
    expect(read(`# X\n\n${line}\n\n## Status\n\nAccepted\n`).date).toBe(date);
  });

  test("a misspelt status is `other`, with an error that suggests the word", () => {
    const problems = readAdrMetadata("0007-x.md", "# X\n\nStatus: acepted\n").problems;
    expect(read("# X\n\nStatus: acepted\n").status).toBe("other");
    expect(problems).toContainEqual({ level: "error", message: 'status "acepted" is not a known status; did you mean "accepted"?', line: 3, column: 1 });
    expect(readAdrMetadata("0007-x.md", "# X\n\nStatus: on hold\n").problems.filter((p) => p.level === "error")).toEqual([]);
  });
});
