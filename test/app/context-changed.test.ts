import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUsedContext } from "../../src/graph/context-identities.js";
import { escapeMarkdownInline } from "../../src/util/posted-text.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub, gitBlobSha } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { ADR_PATH, adrText, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { checkRunRerequested, pullRequestEvent, pullSpec, pushToMain } from "./fixtures/webhooks.js";

const REVIEW = {
  summary: "Adds a search; fine.",
  specCompliance: [],
  adrConformance: [{ adr: "ADR 1", status: "conforms", note: "" }],
  findings: [],
};
const EDITED_GUIDANCE = "Every handler under src/api returns errors as `application/problem+json` and logs a correlation id.";

describe("context changed since the last review", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    const main = seedRepository(github, repositoryFiles({ adr: { spec: "#12" } }));
    github.addIssue(ISSUE_12);
    // A pull request citing ADR 1, reviewed against main as it is now.
    github.setBranch("feature/search", main);
    const head = github.push("feature/search", { "src/api/search.ts": "export const search = (q: string) => q;\nexport const limit = 50;\nexport const page = 1;\n" }).after;
    github.addPull({ number: 15, title: "Add user search", body: "Implements ADR 1.", headRef: "feature/search", headSha: head, baseSha: main, files: [], filesFromGit: true });
    app = await startApp();
    claude.answersWithTool("submit_review", REVIEW);
    await app.deliver("pull_request", pullRequestEvent("opened", { ...pullSpec(github.pulls.get(15)!), additions: 3 }));
    expect(claude.isDone()).toBe(true);
  });
  afterEach(() => github.stop());

  const contextRuns = () => github.checkRuns.filter((c) => c.name === "Baton: context changed");

  it("the review's check run records every file it read, at its blob", () => {
    const run = github.checkRuns.find((c) => c.name === "Baton: review")!;
    const used = readUsedContext(run.output?.summary ?? "");
    expect(used.commit).toBe(github.pulls.get(15)!.baseSha);
    expect(used.files).toContainEqual({ path: ADR_PATH, sha: gitBlobSha(adrText({ spec: "#12" })) });
    expect(used.files.map((f) => f.path)).toContain("docs/pitfalls/api.md");
  });

  it("an ADR edited on the default branch flags the pull request, naming the ADR; Re-run reviews it with the new text", async () => {
    const edited = adrText({ spec: "#12" }).replace(/Every handler under src\/api returns errors as `application\/problem\+json` with a stable `type` URI\./, EDITED_GUIDANCE);
    const push = github.push("main", { [ADR_PATH]: edited }, "Tighten ADR 1");
    await app.deliver("push", pushToMain({ ...push, modified: [ADR_PATH] }));

    const pull = github.pulls.get(15)!;
    expect(contextRuns()).toHaveLength(1);
    const run = contextRuns()[0]!;
    expect(run).toMatchObject({ headSha: pull.headSha, status: "completed", conclusion: "neutral" });
    expect(run.output?.title).toBe("ADR 1 changed since the last review");
    const summary = run.output?.summary ?? "";
    expect(summary).toContain(`[${escapeMarkdownInline(ADR_PATH)}](https://github.com/acme/widgets/blob/${push.after}/docs/adr/0001-return-problem-json-errors.md) (${escapeMarkdownInline("ADR 1: Return problem+json errors from the API")})`);
    expect(summary).toContain(`| \`${gitBlobSha(adrText({ spec: "#12" })).slice(0, 7)}\` | \`${gitBlobSha(edited).slice(0, 7)}\` ([changes](https://github.com/acme/widgets/compare/${pull.baseSha}...${push.after})) |`);
    expect(summary).toContain("Press **Re-run** on this check");

    // Re-run, by a maintainer (a re-run needs write access: octocat is the sender of GitHub's example payload):
    // the pull request is reviewed again, with the ADR as it is now.
    github.permissions.set("octocat", "maintain");
    claude.answersWithTool("submit_review", REVIEW);
    await app.deliver("check_run", checkRunRerequested({ id: run.id, name: run.name, headSha: run.headSha, externalId: run.externalId }));
    expect(claude.isDone()).toBe(true);
    expect(claude.openingText(1)).toContain("logs a correlation id");
    expect(github.reviews.filter((r) => r.pullNumber === 15)).toHaveLength(2);
    expect(run.conclusion).toBe("success");
    expect(github.unmatched).toEqual([]);
  });

  it("a pitfall file and the config count too; a push that changes neither flags nothing", async () => {
    await app.deliver("push", pushToMain({ ...github.push("main", { "src/web/app.ts": "export const app = 2;\n" }), modified: ["src/web/app.ts"] }));
    expect(contextRuns()).toEqual([]);
    const push = github.push("main", { "docs/pitfalls/api.md": "# Pitfalls: api\n\n## New\n\nA new lesson.\n", ".github/baton.yml": "triggers:\n  smallChangeLines: 1\n" });
    await app.deliver("push", pushToMain({ ...push, modified: ["docs/pitfalls/api.md", ".github/baton.yml"] }));
    expect(contextRuns()[0]!.output?.title).toBe("2 context files changed since the last review");
    expect(contextRuns()[0]!.output?.summary).toContain(escapeMarkdownInline("docs/pitfalls/api.md"));
    expect(contextRuns()[0]!.output?.summary).toContain(escapeMarkdownInline(".github/baton.yml"));
  });

  it("a pull request that cites an ADR now superseded is flagged, with its successor named", async () => {
    const successor = adrText({ spec: "#40" }).replace("# Return problem+json errors from the API", "# Return JSON:API errors").replace("status: accepted", "status: accepted\nsupersedes: [1]");
    const superseded = adrText({ spec: "#12", status: "superseded" }).replace("status: superseded", "status: superseded\nsuperseded-by: [2]");
    const push = github.push("main", { "docs/adr/0002-return-json-api-errors.md": successor, [ADR_PATH]: superseded });
    await app.deliver("push", pushToMain({ ...push, added: ["docs/adr/0002-return-json-api-errors.md"], modified: [ADR_PATH] }));
    const run = contextRuns()[0]!;
    expect(run.output?.title).toBe("ADR 1 changed since the last review; cites superseded ADR 1");
    expect(run.output?.summary).toContain(`This pull request cites ADR 1 (\`${ADR_PATH}\`), which is superseded by [${escapeMarkdownInline("ADR 2: Return JSON:API errors")}](https://github.com/acme/widgets/blob/${push.after}/docs/adr/0002-return-json-api-errors.md)`);
  });
});
