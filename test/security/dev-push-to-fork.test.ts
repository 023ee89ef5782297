/**
 * Audit item 7: model code runs in CI with secrets. The dev commit went to a
 * branch of the repository itself, so every `pull_request` workflow ran the
 * model's code with the repository's secrets, and nothing said so.
 *
 * With `dev.fork` (or `dev.pushTo: fork`) the commit goes to a fork where
 * the app is installed, with that installation's token, and the pull
 * request is opened on the repository from `fork-owner:branch`: GitHub runs
 * a fork's workflows without secrets. Either way the pull request says
 * plainly that CI runs it, and with what.
 *
 * The real app runs against the fake GitHub, which serves the fork as
 * GitHub does: its own installation and token, `merge-upstream`, and a git
 * database that refuses commits the fork does not hold.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { FORK_INSTALLATION_ID, FORK_TOKEN } from "../app/fixtures/fake-github/fork-routes.js";
import { startApp } from "../app/fixtures/harness.js";
import { BATON_YML, ISSUE_12, repositoryFiles } from "../app/fixtures/repo-state.js";
import { issueLabeled } from "../app/fixtures/webhooks.js";

const SEARCH_TS = "export const searchUsers = (q: string) => q.slice(0, 50);\n";
const BRANCH = "baton/dev/12-add-a-user-search-endpoint";
const FORK_OWNER = "baton-bot";

describe("dev.pushTo: where model code is pushed, and who runs it (audit 7)", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    github.addIssue({ ...ISSUE_12, labels: ["ready-for-dev"] });
  });
  afterEach(() => github.stop());

  /** The fork was made from `old`; the repository has moved on to `main` since, with the given configuration. */
  function seedWithHistory(batonYml: string): { old: string; main: string } {
    const old = github.commit(repositoryFiles({ adr: { status: "accepted", spec: "#12" } }), "Initial commit");
    const main = github.commit({ ...repositoryFiles({ adr: { status: "accepted", spec: "#12" }, batonYml }), "src/db.ts": "export const db = {};\n" }, "Later commit", [old]);
    github.setBranch(github.defaultBranch, main);
    return { old, main };
  }

  function modelWrites(): void {
    claude.answersWithTool("write_file", { path: "src/api/search.ts", content: SEARCH_TS }).answersWithTool("finish", { summary: "Added `searchUsers`." });
  }

  it("dev.fork: the commit goes to the fork with the fork's token; the pull request comes from the fork and says CI runs it without secrets", async () => {
    const { old, main } = seedWithHistory(`${BATON_YML}dev:\n  fork: ${FORK_OWNER}/widgets\n`);
    const fork = github.addFork(FORK_OWNER, old);
    modelWrites();
    const app = await startApp();

    await app.deliver("issues", issueLabeled({ ...ISSUE_12, labels: ["ready-for-dev"] }, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    // The app found its installation on the fork (as the app) and took that installation's token.
    const paths = github.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`GET /repos/${FORK_OWNER}/widgets/installation`);
    expect(paths).toContain(`POST /app/installations/${FORK_INSTALLATION_ID}/access_tokens`);
    // Every request to the fork carried the fork's token, and the fork was synced before it was written.
    expect(new Set(fork.authorizations)).toEqual(new Set([`token ${FORK_TOKEN}`]));
    expect(paths).toContain(`POST /repos/${FORK_OWNER}/widgets/merge-upstream`);

    // The commit is on the fork, on top of the repository's main; the repository holds no dev branch and got no git write.
    const tip = fork.branchSha(BRANCH)!;
    expect(tip).toBeDefined();
    expect(github.commits.get(tip)!.parents).toEqual([main]);
    expect(github.filesAt(tip)["src/api/search.ts"]).toBe(SEARCH_TS);
    expect(github.branchSha(BRANCH)).toBeUndefined();
    expect(github.writes().filter((w) => w.path.startsWith("/repos/acme/widgets/git/"))).toEqual([]);

    // The pull request, on the repository, comes from the fork.
    const create = github.writes().find((w) => w.method === "POST" && w.path === "/repos/acme/widgets/pulls")!;
    expect((create.body as { head: string }).head).toBe(`${FORK_OWNER}:${BRANCH}`);
    const pr = [...github.pulls.values()].find((p) => p.headRef === BRANCH)!;
    expect(pr.headRepo).toBe(`${FORK_OWNER}/widgets`);
    expect(pr.headSha).toBe(tip);
    expect(pr.body).toContain("**CI runs this pull request.**");
    expect(pr.body).toContain(`pushed to the fork \`${FORK_OWNER}/widgets\``);
    expect(pr.body).toContain("none of `acme/widgets`'s secrets");
    expect(pr.body).not.toContain("with this repository's secrets");
    // The check run says where the commit went.
    const run = github.checkRuns.find((c) => c.name === "Baton: dev")!;
    expect(run.conclusion).toBe("success");
    expect(run.output!.summary).toContain(`of the fork \`${FORK_OWNER}/widgets\``);
  });

  it("default (a branch of the repository): the pull request warns that CI runs the model's code with the repository's secrets", async () => {
    seedWithHistory(BATON_YML);
    modelWrites();
    const app = await startApp();

    await app.deliver("issues", issueLabeled({ ...ISSUE_12, labels: ["ready-for-dev"] }, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(github.branchSha(BRANCH)).toBeDefined();
    const pr = [...github.pulls.values()].find((p) => p.headRef === BRANCH)!;
    expect(pr.headRepo).toBe("acme/widgets");
    expect(pr.body).toContain("> [!WARNING]\n> **CI runs this pull request with this repository's secrets.**");
    expect(pr.body).toContain("set `dev.fork`");
  });

  it("a fork that cannot be synced fails the run before the model is called, and writes nothing", async () => {
    const { old } = seedWithHistory(`${BATON_YML}dev:\n  pushTo: fork\n  fork: ${FORK_OWNER}/widgets\n`);
    // The fork's main went its own way.
    const diverged = github.commit({ "README.md": "fork's own\n" }, "fork-only commit", [old]);
    github.addFork(FORK_OWNER, diverged);
    const app = await startApp();

    await app.deliver("issues", issueLabeled({ ...ISSUE_12, labels: ["ready-for-dev"] }, "ready-for-dev"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    const run = github.checkRuns.find((c) => c.name === "Baton: dev")!;
    expect(run.conclusion).toBe("failure");
    expect(run.output!.summary).toContain(`the fork ${FORK_OWNER}/widgets could not be synced with acme/widgets`);
    expect(github.pulls.size).toBe(0);
    expect(github.writes().filter((w) => w.path.includes("/git/") || w.path.endsWith("/pulls"))).toEqual([]);
  });

  it("dev.pushTo: fork without dev.fork is a configuration error that says what to set", () => {
    const result = parseConfig("dev:\n  pushTo: fork\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n")).toContain("set dev.fork to owner/repository");
    const named = parseConfig("dev:\n  fork: baton-bot/widgets\n");
    expect(named.ok && named.config.dev.fork).toBe("baton-bot/widgets");
    expect(parseConfig("dev:\n  fork: not a repo\n").ok).toBe(false);
  });
});
