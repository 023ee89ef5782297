import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countTokens } from "../../src/graph/token-count.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { pullRequestEvent } from "./fixtures/webhooks.js";

const HEAD = "3333333333333333333333333333333333333333";

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

function addedLines(patch: string): string[] {
  return patch.split("\n").filter((l) => l.startsWith("+")).map((l) => l.slice(1));
}

describe("diff integrity: code reaches the model exactly as committed", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" } }));
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
