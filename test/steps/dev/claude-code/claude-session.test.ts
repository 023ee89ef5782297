import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAnthropicServer } from "../../../support/fake-anthropic/fake-anthropic-server.js";
import { createLocalRepo, type LocalRepo } from "../../../local/fixtures/temp-repo.js";
import { runClaudeSession } from "../../../../src/steps/dev/claude-code/run-claude-session.js";
import { stepPathPolicy } from "../../../../src/policy/path-policy.js";
import type { StepDeclaration } from "../../../../src/graph/step-declaration.js";

/**
 * The real Claude Code binary (the Agent SDK's platform package) against the
 * scripted fake Anthropic endpoint on 127.0.0.1: no network, every tool call
 * really decided by Baton's hook, every command really run.
 */
const step = { id: "dev", writablePaths: ["**"], deniedPaths: [".github/workflows/**", "docs/adr/**"] } as unknown as StepDeclaration;

describe("a Claude Code session under Baton's hooks", () => {
  let fake: FakeAnthropicServer;
  let repo: LocalRepo;
  beforeAll(async () => {
    fake = await new FakeAnthropicServer({ log: () => undefined }).start();
    repo = createLocalRepo();
    repo.write("package.json", JSON.stringify({ scripts: { test: "node check.js" } }));
    repo.write("check.js", "const fs = require('fs');\nif (!fs.existsSync('src/a.ts')) { console.log('no src/a.ts yet'); process.exit(4); }\nconsole.log('checked ' + fs.readFileSync('src/a.ts', 'utf8').trim());\n");
    repo.commit("init");
  });
  afterAll(async () => {
    await fake.stop();
    repo.remove();
  });

  it("writes inside the boundary, is refused outside it, runs only declared commands and reports exit codes", async () => {
    fake.unstreamed = 1;
    fake.script = [
      { bash: "npm test" },
      { write: "src/a.ts", content: "export const a = 1;\n" },
      { edit: "src/a.ts", old: "a = 1", new: "a = 2" },
      { write: ".github/workflows/x.yml", content: "on: push\n" },
      { bash: "curl https://example.com" },
      { bash: "npm  test" },
      { text: "Added src/a.ts." },
    ];
    const result = await runClaudeSession({
      root: repo.dir,
      model: "claude-sonnet-4-5",
      instructions: "BATON-INSTRUCTIONS-MARKER",
      prompt: "Implement the ADR.",
      maxTurns: 20,
      maxBudgetUsd: 5,
      gate: { root: repo.dir, policy: stepPathPolicy(step), commands: { test: "npm test" } },
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: fake.baseUrl },
    });
    expect(result.finished).toBe(true);
    // No network: the binary spoke only to the Messages API of the fake on 127.0.0.1.
    expect(fake.rejected).toEqual([]);
    expect(fake.requests.length).toBeGreaterThanOrEqual(7);
    expect(new Set(fake.requests.map((r) => r.kind))).toEqual(new Set(["claude-code"]));
    // Both wire formats: Claude Code streams (SSE) and falls back to plain JSON.
    expect(fake.requests.some((r) => r.stream)).toBe(true);
    expect(fake.requests.some((r) => !r.stream)).toBe(true);
    expect(repo.read("src/a.ts")).toBe("export const a = 2;\n");
    expect(repo.exists(".github/workflows/x.yml")).toBe(false);
    expect(result.commands).toEqual([
      { name: "test", command: "npm test", exitCode: 4 },
      { name: null, command: "curl https://example.com", exitCode: null, refused: expect.stringContaining("not a declared command") },
      { name: "test", command: "npm test", exitCode: 0 },
    ]);
    expect(result.refused.map((r) => [r.tool, r.target])).toEqual([
      ["Write", ".github/workflows/x.yml"],
      ["Bash", "curl https://example.com"],
    ]);
    expect(result.written).toEqual(["src/a.ts"]);
    expect(result.turns).toBe(7);
    expect(result.summary).toBe("Added src/a.ts.");
    // What the model saw: Baton's instructions in the system prompt, the command's real output.
    expect(fake.requests[0]!.system).toContain("BATON-INSTRUCTIONS-MARKER");
    const results = fake.sessionToolResults();
    expect(results.find((r) => r.toolUseId === "toolu_script_5")?.content).toContain("checked export const a = 2;");
    expect(results.find((r) => r.toolUseId === "toolu_script_3")).toMatchObject({ isError: true, content: expect.stringContaining("Baton refused this") });
  }, 120_000);
});
