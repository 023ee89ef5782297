import { describe, expect, it } from "vitest";
import { changedInputs, contextMarker, fileIdentity, readUsedContext } from "../../src/graph/context-identities.js";
import type { Manifest } from "../../src/graph/manifest.js";
import { manifestToMarkdown } from "../../src/graph/render-manifest.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

function manifest(identities: string[]): Manifest {
  return {
    step: { id: "review", version: "1.0.0" },
    model: "m",
    commit: C,
    budget: 1000,
    usedTokens: 10,
    inputs: identities.map((identity) => ({ selector: "adr:linked", label: "x | y", identity, tokens: 1 })),
    omitted: [],
    notes: [],
  };
}

describe("the files a step's context was read from", () => {
  it("survive in a hidden line, whatever the path holds (spaces, `-->`, a forged marker)", () => {
    const hostile = "docs/adr/0001 x --><!-- baton:context commit=" + B + " -->.md";
    const m = manifest([`${hostile}@${A}`, `docs/pitfalls/api.md@${B}`, `docs/adr/0002-y.md@${A}#guidance/api`, `diff ${A.slice(0, 12)}..${B.slice(0, 12)}`, "issue#12@2026-01-01T00:00:00Z", `module-map@.github/baton.yml@${C}`]);
    const marker = contextMarker(m);
    expect(marker).not.toMatch(/-->[\s\S]*-->/);
    // Quoted anywhere but the header, a marker is not Baton's: not read.
    expect(readUsedContext(`text\n${marker}\nmore`).commit).toBeNull();
    expect(readUsedContext(`<!-- baton:job push-1 -->\n${marker}\nmore`)).toEqual({
      commit: C,
      files: [
        { path: hostile, sha: A },
        { path: "docs/pitfalls/api.md", sha: B },
        { path: "docs/adr/0002-y.md", sha: A },
        { path: ".github/baton.yml", sha: C },
      ],
    });
  });

  it("are read from the manifest table of a check run written before the hidden line existed", () => {
    const table = manifestToMarkdown(manifest([`docs/adr/0001-x.md@${A}`, `docs/adr/0001-x.md@${A}#guidance/api`, "issue#3@2026-01-01T00:00:00Z"]));
    expect(readUsedContext(table)).toEqual({ commit: null, files: [{ path: "docs/adr/0001-x.md", sha: A }] });
    expect(fileIdentity("tree@" + A)).toBeNull();
  });

  it("changed: another blob now, or gone; only where it matters", () => {
    const used = [
      { path: "docs/adr/1.md", sha: A },
      { path: "docs/adr/2.md", sha: A },
      { path: "docs/pitfalls/api.md", sha: B },
      { path: "src/x.ts", sha: A },
    ];
    const now = new Map([["docs/adr/1.md", A], ["docs/pitfalls/api.md", C], ["src/x.ts", B]]);
    expect(changedInputs(used, now, (p) => p.startsWith("docs/"))).toEqual([
      { path: "docs/adr/2.md", was: A, now: null },
      { path: "docs/pitfalls/api.md", was: B, now: C },
    ]);
  });
});
