import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { setAdrStatus } from "../../src/context-store/adr/adr-status-edit.js";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { renderAdr } from "../../src/context-store/adr/write-adr.js";
import { describeWithCorpus } from "../support/adr-corpus.js";

const decide = (text: string, status: "accepted" | "rejected" = "accepted", date = "2026-11-25") => setAdrStatus({ path: "docs/adr/0007-x.md", text }, status, date).content;

describe("setAdrStatus", () => {
  it("accepts a Baton ADR: the status and date lines change, nothing else", () => {
    const text = renderAdr({
      number: 7,
      title: "Use a queue",
      status: "proposed",
      date: "2026-11-01",
      modules: ["api"],
      spec: "#12",
      supersedes: [3],
      supersededBy: [],
      context: "c",
      options: [],
      decision: "d",
      consequences: [],
      guidance: { api: "g" },
    });
    const out = decide(text);
    const changed = out.split("\n").filter((l, i) => l !== text.split("\n")[i]);
    expect(changed).toEqual(["status: accepted", "date: 2026-11-25"]);
    const read = parseAdr("0007-x.md", out);
    expect(read).toMatchObject({ status: "accepted", date: "2026-11-25", supersedes: [3], spec: "#12", modules: ["api"] });
    // Deciding twice changes nothing more.
    expect(decide(out)).toBe(out);
  });

  it("writes rejected, and adds the date after the status when the front matter has none", () => {
    const out = decide("---\nstatus: proposed\nmodules: [api]\n---\n# Title\n", "rejected");
    expect(out).toBe("---\nstatus: rejected\ndate: 2026-11-25\nmodules: [api]\n---\n# Title\n");
    expect(parseAdr("0007-x.md", out).status).toBe("rejected");
  });

  it("keeps CRLF line endings and a BOM", () => {
    const out = decide("\uFEFF---\r\nstatus: proposed\r\ndate: 2026-01-01\r\n---\r\n# T\r\n");
    expect(out).toBe("\uFEFF---\r\nstatus: accepted\r\ndate: 2026-11-25\r\n---\r\n# T\r\n");
  });

  it("edits a Nygard/adr-tools status section and its Date line in the style of the word it replaces", () => {
    const text = "# 7. Use a queue\n\nDate: 2019-01-02\n\n## Status\n\nProposed\n\n## Context\n\nSome.\n";
    const out = decide(text);
    expect(out).toBe("# 7. Use a queue\n\nDate: 2026-11-25\n\n## Status\n\nAccepted\n\n## Context\n\nSome.\n");
    expect(parseAdr("0007-use-a-queue.md", out)).toMatchObject({ status: "accepted", date: "2026-11-25" });
  });

  it("keeps status history lines with links and puts the decision above them", () => {
    const out = decide("# 7. X\n\n## Status\n\nAmends [3. Old](0003-old.md)\n\n## Context\n");
    expect(out).toBe("# 7. X\n\n## Status\n\nAccepted\n\nAmends [3. Old](0003-old.md)\n\n## Context\n");
  });

  it("edits a metadata table row and a bold metadata line", () => {
    const table = "# X\n\n| Field | Value |\n|---|---|\n| Status | Proposed |\n| Date | 2020-01-01 |\n\n## Context\n";
    expect(decide(table)).toBe("# X\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Date | 2026-11-25 |\n\n## Context\n");
    const bold = "# X\n\n* **Status:** proposed\n* **Date:** 2020-01-01\n\n## Context\n";
    expect(decide(bold, "rejected")).toBe("# X\n\n* **Status:** rejected\n* **Date:** 2026-11-25\n\n## Context\n");
  });

  it("front matter that is not a readable mapping is kept as written; the decision goes under the title, where it is read", () => {
    const cases: [string, string][] = [
      ["---\ntitle: [unclosed\n---\n# 7. Use X\n\n## Context\n", "---\ntitle: [unclosed\n---\n# 7. Use X\n\nStatus: Accepted\nDate: 2026-11-25\n\n## Context\n"],
      ["---\n- a\n- b\n---\n# 7. Use X\n", "---\n- a\n- b\n---\n# 7. Use X\n\nStatus: Accepted\nDate: 2026-11-25\n"],
      ["---\njust a note\n---\n\nWords.\n", "---\njust a note\n---\nStatus: Accepted\nDate: 2026-11-25\n\nWords.\n"],
    ];
    for (const [text, expected] of cases) {
      const out = decide(text);
      expect(out).toBe(expected);
      expect(parseAdr("docs/adr/0007-x.md", out)).toMatchObject({ status: "accepted", date: "2026-11-25" });
      // Decided twice: the second finds the Status line and changes nothing.
      expect(decide(out)).toBe(out);
    }
    expect(decide("---\n- a\n---\n# 7. Use X\n", "rejected")).toContain("\nStatus: Rejected\n");
  });

  it("adds front matter to an ADR that states no status", () => {
    const out = decide("# Use a queue\n\n## Context\n\nSome.\n");
    expect(out).toBe("---\nstatus: accepted\ndate: 2026-11-25\n---\n\n# Use a queue\n\n## Context\n\nSome.\n");
  });
});

// Found from the repository root or BATON_ADR_CORPUS, as every corpus test finds it (test/support/adr-corpus.ts).
describeWithCorpus("setAdrStatus on the real ADR corpus", (CORPUS) => {
  const cases = readFileSync(join(CORPUS, "expected.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { file: string; date: string | null });

  it("every ADR, whatever its style, reads back rejected with its title, number and supersession unchanged", () => {
    const problems: string[] = [];
    let dated = 0;
    for (const c of cases) {
      const text = readFileSync(join(CORPUS, c.file), "utf8");
      const before = c; // the corpus's expected reading of the file as it is
      const after = parseAdr(basename(c.file), setAdrStatus({ path: c.file, text }, "rejected", "2031-02-03").content);
      if (after.status !== "rejected") problems.push(`${c.file}: status ${after.status}`);
      for (const field of ["title", "number", "supersedes", "supersededBy"] as const) {
        if (JSON.stringify(after[field]) !== JSON.stringify(before[field])) problems.push(`${c.file}: ${field} changed`);
      }
      if (after.date === "2031-02-03") dated++;
      else if (after.date !== before.date) problems.push(`${c.file}: date ${after.date}`);
    }
    expect(problems).toEqual([]);
    // Most styles keep the date next to the status; the others keep theirs untouched.
    expect(dated).toBeGreaterThan(cases.length / 2);
  });
});
