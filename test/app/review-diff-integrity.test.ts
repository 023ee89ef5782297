import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countTokens } from "../../src/graph/token-count.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { pullRequestEvent } from "./fixtures/webhooks.js";
import { unifiedPatch } from "../support/fake-github/unified-diff.js";


/** Code that opens an HTML comment in a string: a prose sanitiser would cut everything after it, other files included. */
const PARSER_PATCH = [
  "@@ -1,2 +1,9 @@",
  " export function parse(html: string) {",
  '+  const opener = "<!--";',
  '+  const closer = "-->";',
  "+  const start = html.indexOf(opener);",
  "+  if (start < 0) return html;",
  "+  const end = html.indexOf(closer, start);",
  "+  return html.slice(0, start) + (end < 0 ? \"\" : html.slice(end + closer.length));",
  "+  // a trailing \u202E bidi override, revealed rather than dropped",
  " }",
].join("\n");

const TEMPLATE_PATCH = [
  "@@ -1,1 +1,5 @@",
  " <main>",
  "+  <!-- the banner is rendered server-side",
  "+       and hydrated later -->",
  "+  <Banner kind=\"info\" />",
  "+  <p>{t(\"welcome\")}</p>",
].join("\n");

const REVIEW = { summary: "Adds an HTML comment stripper and a banner.", specCompliance: [], adrConformance: [], findings: [] };

/** A file as the patch leaves it (the patches here cover whole files). */
function afterPatch(patch: string): string {
  return `${patch.split("\n").filter((l) => !l.startsWith("@@") && !l.startsWith("-")).map((l) => l.slice(1)).join("\n")}\n`;
}

function addedLines(patch: string): string[] {
  return patch.split("\n").filter((l) => l.startsWith("+")).map((l) => l.slice(1));
}

describe("diff integrity: code reaches the model exactly as committed", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;
  let HEAD: string;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" } }));
    HEAD = github.commitOnto(main, { "src/api/parse.ts": afterPatch(PARSER_PATCH), "src/web/page.tsx": afterPatch(TEMPLATE_PATCH) }, "Strip comments");
    github.addIssue({ ...ISSUE_12, labels: [] });
  });
  afterEach(() => github.stop());

  it('a PR whose code holds "<!--" in a string: every added line of both files is sent, and the manifest counts what was sent', async () => {
    claude.answersWithTool("submit_review", REVIEW);
    const spec = { number: 15, title: "Strip comments", body: "Closes #12", headRef: "feature/strip", headSha: HEAD, additions: 11, deletions: 0 };
    github.addPull({
      ...spec,
      baseSha: main,
      files: [
        { filename: "src/api/parse.ts", status: "modified", patch: PARSER_PATCH },
        { filename: "src/web/page.tsx", status: "modified", patch: TEMPLATE_PATCH },
      ],
    });
    const app = await startApp();

    await app.deliver("pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    const diffLabel = `diff ${main.slice(0, 12)}..${HEAD.slice(0, 12)}`;
    const blocks = claude.requests[0]!.messages[0]!.content.map((c) => c.text ?? "");
    const open = `<context label="${diffLabel}">\n`;
    const diffBlock = blocks.find((b) => b.startsWith(open))!;
    expect(diffBlock).toBeDefined();
    // Every added line of both files, in full; the bidi override shown, not dropped.
    for (const line of [...addedLines(PARSER_PATCH), ...addedLines(TEMPLATE_PATCH)]) {
      expect(diffBlock).toContain(`+${line.replace("\u202E", "<U+202E>")}`);
    }
    expect(diffBlock).toContain("### src/web/page.tsx");
    expect(diffBlock).toContain("Note from Baton: this diff (src/api/parse.ts) contains 1 invisible or bidirectional character");

    // The check run's manifest counts the diff block as it was sent.
    const summary = github.checkRuns[0]!.output!.summary!;
    const row = summary.split("\n").find((l) => l.includes(`\`${diffLabel}\``))!;
    const tokens = Number(row.split("|")[3]!.trim());
    expect(tokens).toBe(countTokens(diffBlock.slice(open.length, -"</context>".length)));
    expect(row).toContain("hidden characters made visible in src/api/parse.ts: U+202E right-to-left override ×1");
  });
});

describe("context that explains the change", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  it("extends a hunk to its enclosing function, sends a small file whole, tells the model it sees fragments, and says so in the manifest", async () => {
    const filler = Array.from({ length: 240 }, (_, i) => `export const c${i} = ${i};`).join("\n");
    const bigBefore = `${filler}\n\nexport function total(items: number[]) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item;\n  }\n  // keep the sum\n  const result = sum;\n  return result;\n}\n`;
    const bigAfter = bigBefore.replace("    sum += item;", "    sum += Math.max(0, item);");
    const small = "export function greet(name: string) {\n  return `hi ${name}`;\n}\n\nexport const LOUD = false;\n";
    const smallAfter = small.replace("LOUD = false", "LOUD = true");
    const base = { ...repositoryFiles({ adr: null }), "src/api/total.ts": bigBefore, "src/api/greet.ts": small };
    const main = seedRepository(github, base);
    const head = github.commit({ ...base, "src/api/total.ts": bigAfter, "src/api/greet.ts": smallAfter }, "Clamp items");
    claude.answersWithTool("submit_review", REVIEW);
    const bigPatch = unifiedPatch(bigBefore, bigAfter);
    const smallPatch = unifiedPatch(small, smallAfter);
    const spec = { number: 16, title: "Clamp", body: "", headRef: "feature/clamp", headSha: head, additions: 2, deletions: 2 };
    github.addPull({
      ...spec,
      baseSha: main,
      files: [
        { filename: "src/api/total.ts", status: "modified", patch: bigPatch.patch },
        { filename: "src/api/greet.ts", status: "modified", patch: smallPatch.patch },
      ],
    });
    const app = await startApp();

    await app.deliver("pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }));

    expect(github.unmatched).toEqual([]);
    const sent = claude.openingText();
    // GitHub's 3 lines of context would start at `let sum`; the function's signature is there, and its last line.
    expect(sent).toContain("export function total(items: number[]) {");
    expect(sent).toContain("  return result;");
    expect(sent).not.toContain("export const c200 = 200;");
    expect(sent).toContain("context extended by Baton");
    // The small file whole, its first line included.
    expect(sent).toMatch(/\n\s*1  export function greet\(name: string\) \{/);
    expect(sent).toContain("Note from Baton: this diff shows fragments of the repository");
    const summary = github.checkRuns[0]!.output!.summary!;
    expect(summary).toMatch(/src\/api\/total\.ts: 1 of 1 hunk extended to the enclosing block \(\+\d+ lines\)/);
    expect(summary).toMatch(/src\/api\/greet\.ts: sent whole \(5 lines\)/);
  });
});
