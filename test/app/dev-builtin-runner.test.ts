import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { BATON_YML, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/**
 * The built-in dev runner (the hosted app's default), as a team sees it on
 * GitHub: long files are read in numbered parts and changed by exact
 * replacement (no tail lost), only `finish` ends the work (a text-only turn,
 * a cut answer or a refusal opens a draft), and the cost cap charges cache
 * reads at their price.
 */
const ISSUE = { ...ISSUE_12, labels: ["ready-for-dev"] };
const BRANCH = "baton/dev/12-add-a-user-search-endpoint";
const BIG = Array.from({ length: 2500 }, (_, i) => `n${i + 1};`).join("\n") + "\n";

describe("the built-in dev runner", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    github.addIssue(ISSUE);
  });
  afterEach(() => github.stop());

  const seed = (dev = "") => seedRepository(github, { ...repositoryFiles({ adr: { status: "accepted", spec: "#12" }, batonYml: `${BATON_YML}${dev}` }), "src/api/big.ts": BIG });
  const toolResult = (request: number) => claude.requests[request]!.messages.at(-1)!.content.find((b) => b.type === "tool_result") as { content: string; is_error?: boolean };
  const deliver = async () => (await startApp()).deliver("issues", issueLabeled(ISSUE, "ready-for-dev"));

  it("reads a long file in numbered parts and edits it in place: the tail is kept", async () => {
    seed();
    claude
      .answersWithTool("read_file", { path: "src/api/big.ts" })
      .answersWithTool("write_file", { path: "src/api/big.ts", content: "n1;\n" })
      .answersWithTool("edit_file", { path: "src/api/big.ts", old_string: "n2400;", new_string: "n4800;" })
      .answersWithTool("read_file", { path: "src/api/big.ts", offset: 2399, limit: 2 })
      .answersWithTool("finish", { summary: "Doubled v2400." });

    await deliver();

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    const first = toolResult(1).content;
    expect(first.split("\n")[0]).toBe("     1\tn1;");
    expect(first).toContain("  2000\tn2000;");
    expect(first).not.toContain("n2001;");
    expect(first.endsWith("[lines 1–2000 of 2500: read on with offset 2001]")).toBe(true);
    expect(toolResult(2)).toMatchObject({ is_error: true, content: "src/api/big.ts exists and you have not read all of it: change it with edit_file, or read it to the end first" });
    expect(toolResult(3)).toMatchObject({ content: "edited src/api/big.ts: 1 occurrence replaced" });
    expect(toolResult(4).content).toBe("  2399\tn2399;\n  2400\tn4800;\n[lines 2399–2400 of 2500: read on with offset 2401]");
    const committed = github.filesAt(github.branchSha(BRANCH)!)["src/api/big.ts"]!;
    expect(committed).toBe(BIG.replace("n2400;", "n4800;"));
    expect([...github.pulls.values()][0]!.draft).toBe(false);
  });

  it("an edit that matches nothing, or more than once, is refused with what to do", async () => {
    seed();
    claude
      .answersWithTool("edit_file", { path: "src/api/big.ts", old_string: "n9999;", new_string: "x" })
      .answersWithTool("edit_file", { path: "src/api/big.ts", old_string: ";", new_string: "," })
      .answersWithTool("finish", { summary: "Nothing." });

    await deliver();

    expect(toolResult(1)).toMatchObject({ is_error: true, content: expect.stringContaining("old_string not found") });
    expect(toolResult(2)).toMatchObject({ is_error: true, content: "src/api/big.ts: old_string occurs 2500 times: quote more lines around it so it is unique, or set replace_all" });
  });

  it.each([
    ["a text-only turn", [{ type: "text" as const, text: "I think the change is done." }], "end_turn", "the model answered in text without calling finish"],
    ["an answer cut at max_tokens", [{ type: "tool_use" as const, id: "toolu_cut", name: "write_file", input: { path: "src/api/b.ts" } }], "max_tokens", "the model's answer was cut at its output limit (max_tokens): its tool calls may be incomplete and were not run"],
    ["a refusal", [{ type: "text" as const, text: "I can't help with that." }], "refusal", "the model refused to continue"],
  ])("%s is not finished: the PR is a draft that says why", async (_name, content, stopReason, why) => {
    seed();
    claude.answersWithTool("write_file", { path: "src/api/a.ts", content: "export const a = 1;\n" }).answersWith(content, { stopReason });

    await deliver();

    expect(claude.isDone()).toBe(true);
    const [pr] = [...github.pulls.values()];
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain(`> - the dev step stopped early: ${why}`);
    expect(github.filesAt(pr!.headSha)["src/api/b.ts"]).toBeUndefined();
    expect(github.checkRuns[0]).toMatchObject({ conclusion: "neutral" });
  });

  it("charges cache reads at their price: a loop re-reading a large cached context is not stopped as if it paid full price", async () => {
    seed();
    const cached = { input_tokens: 2000, cache_read_input_tokens: 300_000, output_tokens: 200 };
    // At full weight, 5 turns × 302,200 tokens would pass budget × 4 (480,000) after the second; at cache prices they cost about $0.47 of $3.60.
    for (let i = 1; i <= 4; i++) claude.answersWith([{ type: "tool_use", id: `toolu_r${i}`, name: "read_file", input: { path: "src/api/users.ts" } }], { usage: cached });
    claude.answersWith([{ type: "tool_use", id: "toolu_w", name: "write_file", input: { path: "src/api/a.ts", content: "export const a = 1;\n" } }], { usage: cached });
    claude.answersWith([{ type: "tool_use", id: "toolu_f", name: "finish", input: { summary: "Added a." } }], { usage: cached });

    await deliver();

    expect(claude.isDone()).toBe(true);
    expect([...github.pulls.values()][0]!.draft).toBe(false);
  });

  it("stops at the cost cap derived from budgets.dev, and opens a draft that says so", async () => {
    seed("budgets:\n  dev: 1000\n");
    // budgets.dev 1,000 → a cap of 10,000 Sonnet input tokens: $0.03. One turn reading 300,000 cached tokens costs $0.09.
    claude.answersWith([{ type: "tool_use", id: "toolu_w", name: "write_file", input: { path: "src/api/a.ts", content: "export const a = 1;\n" } }], { usage: { input_tokens: 100, cache_read_input_tokens: 300_000, output_tokens: 100 } });

    await deliver();

    expect(claude.isDone()).toBe(true);
    const [pr] = [...github.pulls.values()];
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toMatch(/> - the dev step stopped early: cost cap reached \(\$0\.09 of \$0\.03, from budgets\.dev\)/);
  });
});
