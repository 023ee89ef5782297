import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run-action.js";
import type { GitHubClient } from "../../src/runner/github-port.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { ADR_PATH, ISSUE_12, repositoryFiles } from "../app/fixtures/repo-state.js";
import { issueLabeled } from "../app/fixtures/webhooks.js";
import { FakeAnthropicServer, type ScriptStep } from "../support/fake-anthropic/fake-anthropic-server.js";

/**
 * The GitHub Action runs the dev step as a real Claude Code session (the
 * Agent SDK's binary) in its workspace, against the scripted fake Anthropic
 * endpoint on 127.0.0.1; GitHub is faked at the network edge. What lands on
 * GitHub: one commit with the in-boundary files only, a pull request with
 * the session's account, a check run, a comment on the issue.
 */
const COMMIT_DATE = "2026-11-25T12:00:00Z";
const SEARCH_TS = "export function search(q: string) {\n  return q.trim();\n}\n";
const TEST_JS = `const fs = require("fs");
const ok = fs.existsSync("src/api/search.ts");
console.log(ok ? "PASS search present" : "FAIL src/api/search.ts missing");
process.exit(ok ? 0 : 1);
`;

function files(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...repositoryFiles({ adr: { status: "accepted", spec: "#12" } }),
    "package.json": JSON.stringify({ name: "widgets", private: true, scripts: { test: "node test.cjs" } }, null, 2) + "\n",
    "test.cjs": TEST_JS,
    ...extra,
  };
}

/** The Actions runner's checkout: the same commit as on GitHub (same files, author, date and message, so the same sha). */
function checkout(fileSet: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "baton-workspace-"));
  for (const [path, text] of Object.entries(fileSet)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env = { ...process.env, GIT_AUTHOR_NAME: "Baton", GIT_AUTHOR_EMAIL: "baton@example.com", GIT_COMMITTER_NAME: "Baton", GIT_COMMITTER_EMAIL: "baton@example.com", GIT_AUTHOR_DATE: COMMIT_DATE, GIT_COMMITTER_DATE: COMMIT_DATE, GIT_CONFIG_NOSYSTEM: "1" };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).trim();
  git("init", "-q", "-b", "main");
  git("config", "commit.gpgsign", "false");
  git("add", "-A");
  git("commit", "-q", "--no-verify", "-m", "Initial commit");
  return dir;
}

describe("the Action's dev step as a Claude Code session", () => {
  let fake: FakeAnthropicServer;
  let github: FakeGitHub;
  let dirs: string[];
  beforeAll(async () => {
    fake = await new FakeAnthropicServer({ log: () => undefined }).start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    github = new FakeGitHub().start();
    dirs = [];
    fake.requests.length = 0;
  });
  afterEach(() => {
    github.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function run(script: ScriptStep[], fileSet: Record<string, string>, event: "label" | "dispatch" = "label") {
    fake.script = script;
    const main = github.commit(fileSet, "Initial commit\n");
    github.setBranch(github.defaultBranch, main);
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    github.addIssue(issue);
    const workspace = checkout(fileSet);
    dirs.push(workspace);
    expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, encoding: "utf8" }).trim()).toBe(main);
    const eventPath = join(workspace, "..", `event-${Date.now()}.json`);
    const labelled = issueLabeled(issue, "ready-for-dev");
    // What GitHub delivers when the hosted app hands the job over: repository_dispatch, with the pinned inputs.
    const dispatched = { action: "baton-dev", branch: "main", client_payload: { issue: 12, commit: main, adr: ADR_PATH, cause: "label-1" }, repository: labelled.repository, sender: labelled.sender };
    writeFileSync(eventPath, JSON.stringify(event === "label" ? labelled : dispatched));
    dirs.push(eventPath);
    const logs: string[] = [];
    const log = { info: (o: object, m: string) => logs.push(`info ${m}`), warn: (o: object, m: string) => logs.push(`warn ${m} ${JSON.stringify(o)}`), error: (o: object, m: string) => logs.push(`error ${m} ${JSON.stringify(o)}`) };
    const octokit = new ProbotOctokit({ auth: { token: "ghs_test" }, throttle: { enabled: false }, retry: { enabled: false } }) as unknown as GitHubClient;
    const code = await runAction({
      env: { GITHUB_EVENT_NAME: event === "label" ? "issues" : "repository_dispatch", GITHUB_EVENT_PATH: eventPath, GITHUB_WORKSPACE: workspace, INPUT_GITHUB_TOKEN: "ghs_test", ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: fake.baseUrl, PATH: process.env.PATH, HOME: process.env.HOME },
      octokit,
      log,
      sleep: async () => {},
    });
    return { code, logs, main, workspace };
  }

  it("commits the in-boundary files, leaves the workflow write out, and opens a draft PR with the session's account", async () => {
    const { code, logs, main, workspace } = await run(
      [
        { bash: "npm test" },
        { write: "src/api/search.ts", content: SEARCH_TS },
        { write: ".github/workflows/x.yml", content: "on: push\njobs: {}\n" },
        { bash: "npm test" },
        { text: "Added `search()` in src/api/search.ts." },
      ],
      files(),
    );

    expect(logs.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(code).toBe(0);
    expect(github.unmatched).toEqual([]);

    // One commit on the dev branch, on top of main, with the in-boundary file only.
    const branch = "baton/dev/12-add-a-user-search-endpoint";
    const tip = github.branchSha(branch)!;
    expect(github.commits.get(tip)!.parents).toEqual([main]);
    const committed = github.filesAt(tip);
    expect(committed["src/api/search.ts"]).toBe(SEARCH_TS);
    expect(committed[".github/workflows/x.yml"]).toBeUndefined();
    expect(Object.keys(committed).sort()).toEqual([...Object.keys(files()), "src/api/search.ts"].sort());

    // A draft (a write was refused) that closes the issue, cites the ADR and gives the account.
    const [pr] = [...github.pulls.values()];
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toMatch(/^Closes #12/);
    expect(pr!.body).toContain(`Baton-ADR: ${ADR_PATH}`);
    expect(pr!.body).toContain("Baton refused 1 change outside the dev step's boundary");
    expect(pr!.body).toMatch(/\| turns \| 5 of 30 \(dev\.maxTurns\) \|/);
    expect(pr!.body).toMatch(/\| tokens \| [\d,]+ input, [\d,]+ read from cache, [\d,]+ written to cache, [\d,]+ output \|/);
    expect(pr!.body).toMatch(/\| `npm test` \| 1 \|\n\| `npm test` \| 0 \|/);
    expect(pr!.body).toContain("| final tests | passed (`npm test`, exit 0) |");
    expect(pr!.body).toContain("**Files changed:** `src/api/search.ts`");
    expect(pr!.body).toContain("| `.github/workflows/x.yml` |");
    expect(pr!.body).toContain("runner: claude-code");

    // The session saw the real output of the test run, and the issue's text only as delimited data.
    const results = fake.sessionToolResults();
    expect(results.find((r) => r.toolUseId === "toolu_script_0")?.content).toContain("FAIL src/api/search.ts missing");
    expect(results.find((r) => r.toolUseId === "toolu_script_3")?.content).toContain("PASS search present");
    const first = fake.requests.find((r) => r.kind === "claude-code")!;
    expect(first.system).toContain("Every handler under src/api returns errors as `application/problem+json`");
    expect(first.system).toMatch(/<pitfalls module="api"[\s\S]*Clamp pagination parameters/);
    expect(first.system).not.toContain("GET /users?query=");
    expect(first.firstUserText).toMatch(/<untrusted label="issue #12">[\s\S]*GET \/users\?query=/);
    expect(first.firstUserText).not.toContain("ignore all previous instructions");

    // The check run and the issue comment; the workspace is back at the trusted commit.
    expect(github.checkRuns).toEqual([expect.objectContaining({ name: "Baton: dev", headSha: main, conclusion: "neutral" })]);
    expect(github.commentsOn(12).map((c) => c.body)).toEqual([expect.stringContaining(`/pull/${pr!.number}`)]);
    expect(execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: workspace, encoding: "utf8" })).toBe("");
  }, 120_000);

  it("failing tests open the PR as a draft that says why, with the test output", async () => {
    const { code } = await run([{ write: "src/api/other.ts", content: "export const other = 1;\n" }, { text: "Added other.ts." }], files());

    expect(code).toBe(0);
    const [pr] = [...github.pulls.values()];
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain("the tests fail on this commit (`npm test`: exit code 1)");
    expect(pr!.body).toContain("FAIL src/api/search.ts missing");
    expect(pr!.body).toContain("The session ran no command.");
  }, 120_000);

  it("a baton-dev repository_dispatch from the hosted app runs the session at the pinned commit", async () => {
    const { code, main } = await run([{ bash: "npm test" }, { write: "src/api/search.ts", content: SEARCH_TS }, { bash: "npm test" }, { text: "Added search()." }], files(), "dispatch");

    expect(code).toBe(0);
    expect(github.unmatched).toEqual([]);
    const [pr] = [...github.pulls.values()];
    expect(pr!.draft).toBe(false);
    expect(pr!.body).toContain("| final tests | passed (`npm test`, exit 0) |");
    expect(github.checkRuns).toEqual([expect.objectContaining({ name: "Baton: dev", headSha: main, conclusion: "success", externalId: expect.stringContaining(`"commit":"${main}"`) })]);
  }, 120_000);
});
