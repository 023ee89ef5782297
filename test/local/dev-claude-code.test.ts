import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendPitfall } from "../../src/context-store/pitfalls/write-pitfalls.js";
import { FakeAnthropicServer, type ScriptStep } from "../support/fake-anthropic/fake-anthropic-server.js";
import { ADR_GUIDANCE_PHRASE, ADR_PATH, ADR_TEXT, baton, createLocalRepo, PITFALL_PHRASE, PITFALLS_PATH, pitfallsText, USERS_TS, type LocalRepo } from "./fixtures/temp-repo.js";

/**
 * `baton dev --runner claude-code` end to end: the real Claude Code binary
 * (the Agent SDK's platform package) against the scripted fake Anthropic
 * endpoint on 127.0.0.1, in a real git checkout, with no network.
 */
const WEB_PITFALL_PHRASE = "Never render the heron-banner without escaping";
const SOURCE_ONLY_PHRASE = "users-source-marker-quetzal";
const RATE_LIMIT_TS = "export function allow(count: number, limit: number): boolean {\n  return count < limit;\n}\n";
const RATE_LIMIT_FINAL = RATE_LIMIT_TS.replace("count < limit", "count <= limit");
const TEST_JS = `const fs = require("fs");
if (!fs.existsSync("src/api/rate-limit.ts")) { console.log("FAIL: src/api/rate-limit.ts is missing"); process.exit(1); }
console.log("PASS: rate limit present (" + fs.readFileSync("src/api/rate-limit.ts", "utf8").split("\\n").length + " lines)");
`;

const SCRIPT: ScriptStep[] = [
  { read: "src/api/users.ts" },
  { bash: "npm test" },
  { write: "src/api/rate-limit.ts", content: RATE_LIMIT_TS },
  { edit: "src/api/rate-limit.ts", old: "count < limit", new: "count <= limit" },
  { write: ".github/workflows/x.yml", content: "on: push\njobs: {}\n" },
  { bash: "rm -rf docs" },
  { bash: "npm test" },
  { text: "Added `src/api/rate-limit.ts` with `allow()`, as ADR 1 decides; the tests pass." },
];

function seed(): LocalRepo {
  const repo = createLocalRepo();
  repo.write(".github/baton.yml", `modules:\n  api: ["src/api/**"]\n  web: ["src/web/**"]\n`);
  repo.write(ADR_PATH, ADR_TEXT);
  repo.write(PITFALLS_PATH, pitfallsText());
  repo.write("docs/pitfalls/web.md", appendPitfall(null, "web", { lesson: `${WEB_PITFALL_PHRASE}.`, why: "XSS", source: { url: "https://github.com/acme/widgets/pull/9" }, date: "2026-01-03" }).content);
  repo.write("src/api/users.ts", `${USERS_TS}// ${SOURCE_ONLY_PHRASE}\n`);
  repo.write("src/web/page.ts", "export const page = 1;\n");
  repo.write("package.json", JSON.stringify({ name: "acme", private: true, scripts: { test: "node test.js" } }, null, 2));
  repo.write("test.js", TEST_JS);
  repo.commit("Initial commit");
  return repo;
}

describe("baton dev --runner claude-code", () => {
  let fake: FakeAnthropicServer;
  let repo: LocalRepo;
  beforeAll(async () => {
    fake = await new FakeAnthropicServer({ log: () => undefined }).start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    repo = seed();
    fake.requests.length = 0;
  });
  afterEach(() => repo.remove());

  const env = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: fake.baseUrl });

  it("commits the session's in-boundary files on baton/dev/*, leaves the refused write out of the commit and the working tree, and really runs the tests", async () => {
    fake.script = SCRIPT;
    const main = repo.git("rev-parse", "HEAD");

    const run = await baton(repo.dir, ["dev", "--adr", ADR_PATH, "--runner", "claude-code", "--json"], env());

    expect(run.stderr).not.toContain("baton: error");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { runner: string; branch: string; commit: string; changed: string[]; finished: boolean; manifest: { inputs: { selector: string }[]; notes: string[] } };
    expect(result).toMatchObject({ runner: "claude-code", branch: "baton/dev/use-x-for-request-validation", changed: ["src/api/rate-limit.ts"], finished: false });

    // One commit on top of main, with the in-boundary file as the session left it, and nothing else.
    expect(repo.git("rev-parse", "HEAD")).toBe(result.commit);
    expect(repo.git("rev-parse", `${result.branch}~1`)).toBe(main);
    expect(repo.git("show", "--name-only", "--format=", result.branch).split("\n")).toEqual(["src/api/rate-limit.ts"]);
    expect(repo.git("show", `${result.branch}:src/api/rate-limit.ts`)).toBe(RATE_LIMIT_FINAL.trimEnd());
    // The refused write is nowhere; the refused command did nothing; the tree is clean.
    expect(repo.exists(".github/workflows/x.yml")).toBe(false);
    expect(repo.exists("docs/pitfalls/web.md")).toBe(true);
    expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe("");

    // The command output the session saw: npm test really ran, failing before the change and passing after.
    const results = fake.sessionToolResults();
    expect(results.find((r) => r.toolUseId === "toolu_script_1")).toMatchObject({ isError: true, content: expect.stringContaining("FAIL: src/api/rate-limit.ts is missing") });
    expect(results.find((r) => r.toolUseId === "toolu_script_6")).toMatchObject({ isError: false, content: expect.stringContaining("PASS: rate limit present") });
    expect(results.find((r) => r.toolUseId === "toolu_script_4")).toMatchObject({ isError: true, content: expect.stringContaining(".github/workflows/x.yml") });
    expect(results.find((r) => r.toolUseId === "toolu_script_5")).toMatchObject({ isError: true, content: expect.stringContaining("not a declared command") });

    // The context it was given: the ADR's decision and guidance, the api pitfalls and not the web ones, no pasted source.
    const system = fake.requests.find((r) => r.kind === "claude-code")!.system;
    expect(system).toContain('Chosen option: "X", because one validator gives one error shape.');
    expect(system).toContain(ADR_GUIDANCE_PHRASE);
    expect(system).toContain(PITFALL_PHRASE);
    expect(system).not.toContain(WEB_PITFALL_PHRASE);
    expect(system).not.toContain(SOURCE_ONLY_PHRASE);
    expect(system).toContain("`npm test` (test)");
    expect(result.manifest.inputs.map((i) => i.selector)).not.toContain("source:modules");
  }, 120_000);

  it("prints the session's account: commands with exit codes, the refused write, the final test result", async () => {
    fake.script = SCRIPT;

    const run = await baton(repo.dir, ["dev", "--adr", ADR_PATH, "--runner", "claude-code"], env());

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("### Claude Code session");
    expect(run.stdout).toMatch(/\| `npm test` \| 1 \|\n\| `rm -rf docs` \| refused: not a declared command[^\n]*\|\n\| `npm test` \| 0 \|/);
    expect(run.stdout).toContain("| final tests | passed (`npm test`, exit 0) |");
    expect(run.stdout).toContain("| `.github/workflows/x.yml` |");
    expect(run.stdout).toContain("Baton refused 1 change outside the dev step's boundary");
    expect(run.stderr).toContain("baton: refused Write .github/workflows/x.yml");
    expect(run.stderr).toContain("baton: final test run: npm test");
  }, 120_000);
});
