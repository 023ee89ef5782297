import { describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { renumberedName, renumberPullRequestAdrs } from "../../src/context-store/adr/renumber-adrs.js";
import { supersedeAdr } from "../../src/context-store/adr/supersede-adr.js";

const OLD = "---\nstatus: accepted\ndate: 2026-01-01\n---\n# Use files\n";

describe("renumbering an open ADR pull request", () => {
  it("moves a taken number to the next free one: file name, links, superseded-by and a pinned spec's adr", () => {
    const superseded = supersedeAdr({ path: "docs/adr/0001-use-files.md", text: OLD }, 1, 2, "0002-use-caches.md", { newTitle: "Use caches" }).content;
    const plan = renumberPullRequestAdrs({
      folder: "docs/adr",
      onMain: [
        { file: "0001-use-files.md", number: 1 },
        { file: "0002-use-queues.md", number: 2 },
      ],
      reserved: [3],
      files: [
        { path: "docs/adr/0002-use-caches.md", added: true, text: "---\nstatus: accepted\nsupersedes: [1]\n---\n# Use caches\n\nSee [ADR 2](0002-use-caches.md).\n" },
        { path: "docs/adr/0001-use-files.md", added: false, text: superseded },
        { path: "docs/specs/pinned/issue-9.md", added: true, text: "---\npinned-spec: \"#9\"\nadr: docs/adr/0002-use-caches.md\n---\nBody\n" },
        { path: "docs/adr/README.md", added: false, text: "index" },
      ],
    });
    expect(plan.renames).toEqual([{ from: "docs/adr/0002-use-caches.md", to: "docs/adr/0004-use-caches.md", fromNumber: 2, toNumber: 4 }]);
    expect(plan.numbers).toEqual([4]);
    const byPath = new Map(plan.files.map((f) => [f.path, f.content]));
    expect([...byPath.keys()]).toEqual(["docs/adr/0004-use-caches.md", "docs/adr/0001-use-files.md", "docs/specs/pinned/issue-9.md", "docs/adr/README.md"]);
    expect(byPath.get("docs/adr/0004-use-caches.md")).toContain("See [ADR 4](0004-use-caches.md).");
    expect(parseAdr("0004-use-caches.md", byPath.get("docs/adr/0004-use-caches.md")!)).toMatchObject({ number: 4, title: "Use caches", supersedes: [1] });
    expect(parseAdr("0001-use-files.md", byPath.get("docs/adr/0001-use-files.md")!)).toMatchObject({ status: "superseded", supersededBy: [4] });
    expect(byPath.get("docs/specs/pinned/issue-9.md")).toContain("adr: docs/adr/0004-use-caches.md");
  });

  it("leaves a pull request alone when its number is free, or when the file on main is its own (it landed)", () => {
    const files = [{ path: "docs/adr/0003-x.md", added: true, text: "# X\n" }];
    expect(renumberPullRequestAdrs({ folder: "docs/adr", onMain: [{ file: "0002-y.md", number: 2 }], reserved: [], files }).renames).toEqual([]);
    expect(renumberPullRequestAdrs({ folder: "docs/adr", onMain: [{ file: "0003-x.md", number: 3 }], reserved: [], files }).renames).toEqual([]);
  });

  it("renumbers an adr-tools heading and keeps the folder's own naming", () => {
    const plan = renumberPullRequestAdrs({ folder: "doc/adr", onMain: [{ file: "2-a.md", number: 2 }], reserved: [], files: [{ path: "doc/adr/2-b.md", added: true, text: "# 2. B\n\n## Status\n\nAccepted\n" }] });
    expect(plan.files).toEqual([{ path: "doc/adr/3-b.md", content: "# 3. B\n\n## Status\n\nAccepted\n" }]);
    expect(renumberedName("adr-009-x.md", 9, 12, 3)).toBe("adr-012-x.md");
    expect(renumberedName("0009-x.md", 9, 10, 4)).toBe("0010-x.md");
  });
});
