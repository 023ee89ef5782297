import { describe, expect, test } from "vitest";
import { discoverAdrFolder, isAdrFileName, readAdrFiles } from "../../src/context-store/adr/parse-adr.js";

const repo = [
  "README.md",
  "src/index.ts",
  "docs/adr/README.md",
  "doc/adr/0001-record-architecture-decisions.md",
  "doc/adr/0002-implement-as-shell-scripts.md",
  "docs/decisions/0000-use-madr.md",
];

describe("discoverAdrFolder", () => {
  test("configuration wins, even over a folder that has ADRs", () => {
    const found = discoverAdrFolder({ configured: "./architecture/adr/", paths: repo, adrDirFile: "doc/adr" });
    expect(found.folder).toBe("architecture/adr");
    expect(found.reason).toContain("configured");
    expect(found.reason).toContain("no ADR files yet");
  });

  test("a configured folder outside the repository is refused", () => {
    const found = discoverAdrFolder({ configured: "../elsewhere", paths: repo });
    expect(found.folder).toBeNull();
    expect(found.reason).toContain("not a folder inside the repository");
  });

  test(".adr-dir as adr-tools writes it: a relative path with a newline", () => {
    const found = discoverAdrFolder({ paths: repo, adrDirFile: "doc/adr\n" });
    expect(found.folder).toBe("doc/adr");
    expect(found.reason).toBe("from .adr-dir (doc/adr; 2 ADR files)");
  });

  test("an unusable .adr-dir falls through to the usual places, and says so", () => {
    const found = discoverAdrFolder({ paths: repo, adrDirFile: "/abs/path" });
    expect(found.folder).toBe("doc/adr");
    expect(found.reason).toContain(".adr-dir ignored");
  });

  test("usual places in order; a folder holding only a README does not count", () => {
    const found = discoverAdrFolder({ paths: repo });
    expect(found.folder).toBe("doc/adr");
    expect(found.reason).toBe("found 2 ADR files in doc/adr, a usual ADR folder");
  });

  test("docs/adr comes before docs/decisions when both hold ADRs", () => {
    const found = discoverAdrFolder({ paths: ["docs/decisions/0001-a.md", "docs/adr/0001-b.md"] });
    expect(found.folder).toBe("docs/adr");
  });

  test("ADRs in a subfolder do not make the parent an ADR folder", () => {
    const found = discoverAdrFolder({ paths: ["docs/adr/old/0001-a.md", "decisions/0001-b.md"] });
    expect(found.folder).toBe("decisions");
  });

  test("the repository's own spelling is kept", () => {
    const found = discoverAdrFolder({ paths: new Set(["Docs/ADR/0001-a.md"]) });
    expect(found.folder).toBe("Docs/ADR");
  });

  test("no ADR folder", () => {
    const found = discoverAdrFolder({ paths: ["src/a.ts", "docs/guide.md"] });
    expect(found.folder).toBeNull();
    expect(found.reason).toContain("no ADR folder found");
    expect(found.reason).toContain("docs/architecture/decisions");
  });
});

describe("isAdrFileName", () => {
  test.each([
    ["0001-record-architecture-decisions.md", true],
    ["20200924-use-markdown.md", true],
    ["ODH-ADR-ART-001.md", true],
    ["use-postgres.markdown", true],
    ["README.md", false],
    ["readme.md", false],
    ["index.md", false],
    ["0000-index.md", false],
    ["template.md", false],
    ["adr-template.md", false],
    // A numbered file is an ADR whatever its slug says.
    ["0000-adr-template.md", true],
    ["0012-template-engine-choice.md", true],
    ["template-short.md", false],
    ["_sidebar.md", false],
    [".hidden.md", false],
    ["templates/x.md", false],
    ["0001-diagram.png", false],
    ["0001-x.txt", false],
  ])("%s → %s", (name, expected) => {
    expect(isAdrFileName(name)).toBe(expected);
  });
});

describe("readAdrFiles", () => {
  test("sorted by number then file name, unnumbered last, companions left out", () => {
    const records = readAdrFiles([
      { file: "README.md", text: "# ADRs\n" },
      { file: "0010-b.md", text: "# B\n" },
      { file: "20200101-dated.md", text: "# Dated\n" },
      { file: "0002-z.md", text: "# Z\n" },
      { file: "0002-a.md", text: "# A\n" },
      { file: "template.md", text: "# T\n" },
    ]);
    expect(records.map((r) => r.file)).toEqual(["0002-a.md", "0002-z.md", "0010-b.md", "20200101-dated.md"]);
  });
});
