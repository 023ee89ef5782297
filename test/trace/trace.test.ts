import { afterEach, describe, expect, it } from "vitest";
import { buildTrace, parseTraceQuery, type TraceSources } from "../../src/trace/build-trace.js";
import { renderTrace } from "../../src/trace/render-trace.js";
import { mermaidLabel } from "../../src/context-store/adr/adr-index.js";
import { escapeMarkdownInline } from "../../src/util/posted-text.js";
import { baton, createLocalRepo, type LocalRepo } from "../local/fixtures/temp-repo.js";

const OLD = { number: 1, title: "Return problem+json errors", status: "superseded" as const, path: "docs/adr/0001-problem-json.md", spec: "#12", supersedes: [], supersededBy: [2] };
const NEW = { number: 2, title: "Return JSON:API errors", status: "accepted" as const, path: "docs/adr/0002-json-api.md", spec: "#12", supersedes: [1], supersededBy: [] };
const OTHER = { number: 3, title: "Use a queue", status: "accepted" as const, path: "docs/adr/0003-queue.md", spec: "#40", supersedes: [], supersededBy: [] };

function sources(): TraceSources {
  return {
    adrs: [OLD, NEW, OTHER],
    pitfalls: [
      { module: "api", path: "docs/pitfalls/api.md", id: "pf-aaaaaaaaaaaa", title: "Clamp limits", pr: 21 },
      { module: "api", path: "docs/pitfalls/api.md", id: "pf-bbbbbbbbbbbb", title: "Unrelated", pr: 99 },
    ],
    changes: [
      { ref: "#20", number: 20, title: "ADR 2: Return JSON:API errors", state: "merged", url: "https://github.com/o/r/pull/20", headRef: "baton/adr/12-x", text: "Refs #12.\n\nBaton-Step: architecture-review@1.0.0\nBaton-ADR: docs/adr/0002-json-api.md" },
      { ref: "#21", number: 21, title: "Add search", state: "merged", url: "https://github.com/o/r/pull/21", text: "Closes #12\n\nBaton-Step: dev@1.0.0\nBaton-ADR: docs/adr/0002-json-api.md", openFindings: [{ id: "3f2a9c01", title: "Limit <not> clamped", severity: "high", path: "src/api/search.ts" }] },
      { ref: "#22", number: 22, title: "Follow ADR 1 | old", state: "open", text: "Keeps ADR-0001 behaviour." },
      { ref: "#23", number: 23, title: "Queue work", state: "open", text: "Implements ADR 3" },
    ],
    pinned: new Map([[12, "docs/specs/pinned/issue-12.md"]]),
    issueTitles: new Map([[12, "Add a user search endpoint"]]),
  };
}

describe("trace queries", () => {
  it("reads issues, ADR numbers and spec files", () => {
    expect(parseTraceQuery("#12")).toEqual({ kind: "issue", number: 12 });
    expect(parseTraceQuery("issue 12")).toEqual({ kind: "issue", number: 12 });
    expect(parseTraceQuery("ADR-0007")).toEqual({ kind: "adr", number: 7 });
    expect(parseTraceQuery("7")).toEqual({ kind: "adr", number: 7 });
    expect(parseTraceQuery("docs/specs/export.md")).toEqual({ kind: "spec-file", path: "docs/specs/export.md" });
    expect(parseTraceQuery("banana")).toBeNull();
  });
});

describe("buildTrace and renderTrace", () => {
  it("follows the chain: spec, its ADRs both ways of supersession, the PRs that propose, implement or cite them, the pitfalls learned, the open findings", () => {
    const trace = buildTrace(sources(), { kind: "issue", number: 12 });
    expect(trace.spec).toEqual({ key: "#12", label: "Issue #12: Add a user search endpoint", pinned: "docs/specs/pinned/issue-12.md" });
    expect(trace.adrs.map((a) => a.number)).toEqual([1, 2]);
    expect(trace.changes.map((c) => [c.ref, c.role, c.adrs])).toEqual([
      ["#20", "proposes the ADR", [2]],
      ["#21", "implements", [2]],
      ["#22", "cites", [1]],
    ]);
    expect(trace.pitfalls.map((p) => p.id)).toEqual(["pf-aaaaaaaaaaaa"]);
    // From an ADR number the same chain comes back, through the ADR's spec.
    expect(buildTrace(sources(), { kind: "adr", number: 1 }).changes.map((c) => c.ref)).toEqual(["#20", "#21", "#22"]);

    const text = renderTrace(trace, { file: (p) => `https://github.com/o/r/blob/main/${p}`, issue: (n) => `https://github.com/o/r/issues/${n}` });
    const graph = /```mermaid\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
    for (const edge of ["spec --> adr1", "spec --> adr2", "adr2 -->|supersedes| adr1", "adr2 -->|proposed in| c0", "adr2 -->|implemented in| c1", "adr1 -->|cited by| c2", "c1 -->|learned| p0", "c1 -.->|open finding| f0"]) expect(graph).toContain(edge);
    expect(graph).toContain("class adr1 retired");
    // Labels cannot break the graph: `<`, `>` and `|` are entity codes.
    expect(graph).toContain(`f0[${mermaidLabel("high: Limit <not> clamped")}]`);
    expect(mermaidLabel("Follow | old <x>")).toBe('"Follow #124; old #60;x#62;"');
    expect(graph).toContain(`c2[${mermaidLabel("#22: Follow ADR 1 | old (open)")}]`);
    const e = escapeMarkdownInline;
    expect(text).toContain(`| spec | [${e("Issue #12: Add a user search endpoint")}](https://github.com/o/r/issues/12) | pinned at acceptance in \`docs/specs/pinned/issue-12.md\` |`);
    expect(text).toContain(`| ADR 1 | [${e("Return problem+json errors")}](https://github.com/o/r/blob/main/docs/adr/0001-problem-json.md) | superseded, superseded by ADR 2 |`);
    expect(text).toContain(`| pull request ${e("#21")} | [Add search](https://github.com/o/r/pull/21) | merged · implements ADR 2 |`);
    expect(text).toContain(`| finding \`3f2a9c01\` | high: Limit &lt;not&gt; clamped (\`src/api/search.ts\`) | open on ${e("#21")} |`);
  });

  it("says what is missing instead of drawing nothing", () => {
    const trace = buildTrace(sources(), { kind: "issue", number: 77 });
    expect(trace.adrs).toEqual([]);
    expect(renderTrace(trace, { file: () => null, issue: () => null })).toContain(`- ${escapeMarkdownInline("no ADR names #77 as its spec")}`);
  });
});

describe("baton trace on a scripted git history", () => {
  let r: LocalRepo;
  afterEach(() => r.remove());

  it("prints the chain from the repository alone: ADRs, the commits and merged PRs that carry them, the pitfalls learned", async () => {
    r = createLocalRepo();
    r.write("docs/adr/0001-problem-json.md", "---\nstatus: accepted\ndate: 2026-01-01\nspec: \"#12\"\nmodules: [api]\n---\n# Return problem+json errors\n");
    r.commit("docs(adr): Return problem+json errors\n\nBaton-Step: architecture-review@1.0.0\nBaton-ADR: docs/adr/0001-problem-json.md");
    r.git("checkout", "-q", "-b", "baton/dev/12-search");
    r.write("src/api/search.ts", "export const search = 1;\n");
    r.commit("Add search\n\nCloses #12\n\nBaton-Step: dev@1.0.0\nBaton-ADR: docs/adr/0001-problem-json.md");
    r.git("checkout", "-q", "main");
    r.git("merge", "-q", "--no-ff", "baton/dev/12-search", "-m", "Merge pull request #21 from acme/baton/dev/12-search");
    r.write("docs/pitfalls/api.md", "# Pitfalls: api\n\n## Clamp limits\n\nClamp every limit.\n\n**Learned in:** [PR #21](https://github.com/acme/widgets/pull/21)\n");
    r.commit("docs(pitfalls): learned in #21");

    const run = await baton(r.dir, ["trace", "#12"]);
    expect(run.code).toBe(0);
    const graph = /```mermaid\n([\s\S]*?)```/.exec(run.stdout)?.[1] ?? "";
    expect(graph).toContain('adr1["ADR 1: Return problem+json errors (accepted)"]');
    expect(graph).toMatch(/adr1 -->\|proposed in\| c\d/);
    expect(graph).toMatch(/adr1 -->\|implemented in\| c(\d)[\s\S]*c\1 -->\|learned\| p0/);
    expect(run.stdout).toMatch(/\| commit [0-9a-f]{7} \(#21\) \| Add search \| commit · implements ADR 1 \|/);
    expect(run.stdout).toContain("| pitfall | api: Clamp limits | learned in #21");

    const bad = await baton(r.dir, ["trace", "banana"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"banana" is not a spec file, an issue (#12) or an ADR number (12)');
  });
});
