import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BATON_WORKFLOW_YAML } from "../../src/runner/baton-workflow.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, BATON_YML, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/**
 * The hosted app with `dev.runner: claude-code`: it never runs the session
 * (nor the repository's code) itself. It hands the job, with its pinned
 * inputs, to the repository's Baton workflow, and says so on the issue and
 * the check run; without such a workflow it says that, with the one to copy.
 */
const CLAUDE_CODE_YML = `${BATON_YML}dev:\n  runner: claude-code\n`;

describe("dev with dev.runner: claude-code on the hosted app", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  it("dispatches the job to the repository's Baton workflow with the pinned commit, and says where it runs", async () => {
    const main = seedRepository(github, { ...repositoryFiles({ adr: { status: "accepted", spec: "#12" }, batonYml: CLAUDE_CODE_YML }), ".github/workflows/baton.yml": BATON_WORKFLOW_YAML });
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.dispatches).toHaveLength(1);
    const adrSha = github.git.flatten(main).get(ADR_PATH)!.sha;
    expect(github.dispatches[0]).toEqual({ event_type: "baton-dev", client_payload: { issue: 12, commit: main, adr: `${ADR_PATH}@${adrSha}`, cause: expect.stringMatching(/^label-/) } });
    // Nothing written to the repository by the app: no branch, no pull request.
    expect([...github.pulls.values()]).toEqual([]);
    const comments = github.commentsOn(12).map((c) => c.body);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("the workflow `.github/workflows/baton.yml` runs a Claude Code session");
    expect(comments[0]).toContain("https://github.com/acme/widgets/actions/workflows/baton.yml");
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ name: "Baton: dev", headSha: main, status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "Dev runs on GitHub Actions", summary: expect.stringContaining(`commit \`${main}\``) }) });
  });

  it("without such a workflow, says so on the issue and the check run, with the workflow to copy", async () => {
    seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" }, batonYml: CLAUDE_CODE_YML }));
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.dispatches).toEqual([]);
    const [comment] = github.commentsOn(12).map((c) => c.body);
    expect(comment).toContain("there is none that takes it");
    expect(comment).toContain(`\`\`\`yaml\n${BATON_WORKFLOW_YAML.trimEnd()}\n\`\`\``);
    expect(comment).toContain("dev.runner: builtin");
    expect(github.checkRuns[0]).toMatchObject({ name: "Baton: dev", conclusion: "action_required", output: expect.objectContaining({ title: "No Baton workflow to run the dev session" }) });
  });

  it("without dev.runner, the app keeps to the built-in runner: nothing is dispatched", async () => {
    seedRepository(github, { ...repositoryFiles({ adr: { status: "accepted", spec: "#12" } }), ".github/workflows/baton.yml": BATON_WORKFLOW_YAML });
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    claude.answersWithTool("finish", { summary: "Nothing to change." });
    const app = await startApp();

    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));

    expect(github.dispatches).toEqual([]);
    expect(claude.requests.map((r) => r.tools!.map((t) => t.name).includes("write_file"))).toEqual([true]);
  });
});

describe("the workflow to copy", () => {
  it("is the one the README shows, and the app finds it", async () => {
    const { readFileSync } = await import("node:fs");
    const { findDevWorkflow } = await import("../../src/runner/baton-workflow.js");
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain(`\`\`\`yaml\n# .github/workflows/baton.yml\n${BATON_WORKFLOW_YAML}\`\`\``);
    expect(findDevWorkflow([{ path: ".github/workflows/baton.yml", text: BATON_WORKFLOW_YAML }])).toBe(".github/workflows/baton.yml");
    expect(findDevWorkflow([{ path: ".github/workflows/ci.yml", text: "on: [push]\njobs: {}\n" }, { path: ".github/workflows/other.yml", text: "on:\n  repository_dispatch:\n    types: [deploy]\n" }])).toBeNull();
    expect(findDevWorkflow([{ path: ".github/workflows/any.yaml", text: "on:\n  repository_dispatch:\n" }])).toBe(".github/workflows/any.yaml");
    expect(findDevWorkflow([{ path: ".github/workflows/broken.yml", text: "on: [\n" }])).toBeNull();
  });
});
