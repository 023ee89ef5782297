import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, BATON_YML, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/**
 * The dev step's bounds, as a team sees them on GitHub: the ADR folder and
 * Baton's own config are never written even when the config allows every
 * path, `dev.maxFiles` caps the files of the commit, a loop cut short opens
 * a draft, and the model's summary pings nobody and forges no marker.
 */

const ISSUE = { ...ISSUE_12, labels: ["ready-for-dev"] };
const BRANCH = "baton/dev/12-add-a-user-search-endpoint";
const SEARCH_TS = "export const search = (q: string) => q.slice(0, 50);\n";

describe("dev step limits, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    github.addIssue(ISSUE);
  });
  afterEach(() => github.stop());

  function seed(devSection: string): string {
    return seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" }, batonYml: `${BATON_YML}dev:\n${devSection}` }));
  }

  /** The tool result the model got back for its call in turn `turn` (0-based). */
  function toolResult(turn: number) {
    return claude.requests[turn + 1]!.messages.at(-1)!.content.find((b) => b.type === "tool_result")!;
  }

  it("never writes the ADR folder or .github/baton.yml, even when dev.allowPaths allows everything and dev.denyPaths and dev.protectedPaths are empty", async () => {
    const main = seed('  allowPaths: ["**"]\n  denyPaths: []\n  protectedPaths: []\n');
    claude
      .answersWithTool("write_file", { path: "docs/adr/0001-return-problem-json-errors.md", content: "---\nstatus: rejected\n---\n# Gone\n" })
      .answersWithTool("write_file", { path: ".github/baton.yml", content: "dev:\n  maxFiles: 500\n" })
      .answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS })
      .answersWithTool("finish", { summary: "Added search." });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(toolResult(0)).toMatchObject({ is_error: true, content: expect.stringContaining("docs/adr/0001-return-problem-json-errors.md: the step may never write here (always denied") });
    expect(toolResult(1)).toMatchObject({ is_error: true, content: expect.stringContaining(".github/baton.yml: the step may never write here (always denied") });
    const tip = github.branchSha(BRANCH)!;
    const before = github.filesAt(main);
    const after = github.filesAt(tip);
    expect(Object.keys(after).filter((p) => after[p] !== before[p])).toEqual(["src/api/search.ts"]);
    expect(after[ADR_PATH]).toBe(before[ADR_PATH]);
    expect(after[".github/baton.yml"]).toBe(before[".github/baton.yml"]);
  });

  it("stops at dev.maxFiles: the file past the limit is refused to the model and not committed", async () => {
    const main = seed("  maxFiles: 1\n");
    claude
      .answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS })
      .answersWithTool("write_file", { path: "src/api/search.test.ts", content: "// test\n" })
      .answersWithTool("finish", { summary: "Added search." });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE, "ready-for-dev"));

    expect(claude.isDone()).toBe(true);
    expect((toolResult(0) as { is_error?: boolean }).is_error).toBeFalsy();
    expect(toolResult(1)).toMatchObject({ is_error: true, content: expect.stringContaining("file limit reached (1 files, dev.maxFiles)") });
    const after = github.filesAt(github.branchSha(BRANCH)!);
    expect(after["src/api/search.ts"]).toBe(SEARCH_TS);
    expect(after["src/api/search.test.ts"]).toBeUndefined();
    expect(Object.keys(after).length).toBe(Object.keys(github.filesAt(main)).length + 1);
  });

  it("opens a draft pull request, saying why, when the loop is cut short by dev.maxTurns", async () => {
    seed("  maxTurns: 2\n");
    claude
      .answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS })
      .answersWithTool("read_file", { path: "src/api/users.ts" });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE, "ready-for-dev"));

    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(2);
    const prs = [...github.pulls.values()];
    expect(prs).toHaveLength(1);
    expect(prs[0]!.draft).toBe(true);
    expect(prs[0]!.body).toContain("> This PR is a draft:\n> - the dev step stopped early: turn limit reached (2 turns, dev.maxTurns)");
    expect(github.filesAt(prs[0]!.headSha)["src/api/search.ts"]).toBe(SEARCH_TS);
    expect(github.checkRuns).toMatchObject([{ name: "Baton: dev", conclusion: "neutral" }]);
    expect(github.checkRuns[0]!.output?.title).toContain("stopped early");
  });

  it("a finished loop opens a ready (not draft) pull request", async () => {
    seed("  maxTurns: 2\n");
    claude.answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS }).answersWithTool("finish", { summary: "Added search." });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(ISSUE, "ready-for-dev"));

    expect([...github.pulls.values()].map((p) => p.draft)).toEqual([false]);
    expect(github.checkRuns).toMatchObject([{ name: "Baton: dev", conclusion: "success" }]);
  });
});
