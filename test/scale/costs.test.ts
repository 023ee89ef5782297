import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { startApp } from "../app/fixtures/harness.js";
import { BATON_YML, ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "../app/fixtures/repo-state.js";
import { issueComment, pullRequestEvent } from "../app/fixtures/webhooks.js";
import { deliver, startHttpApp } from "../server/fixtures/http-app.js";

/**
 * Issue 11, costs: daily token caps per repository and per step, checked
 * before the model is called, and token use on the metrics endpoint.
 * FakeClaude reports 4,210 input and 812 output tokens per call (5,022).
 */

const PATCH = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");
const REVIEW = { summary: "Adds a constant.", specCompliance: [], adrConformance: [], findings: [] };

describe("costs: daily token caps and the metrics endpoint", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  function openPull(budgets: string) {
    const main = seedRepository(github, repositoryFiles({ batonYml: `${BATON_YML}budgets:\n${budgets}` }));
    github.addIssue(ISSUE_12);
    const spec = { number: 15, title: "Add a constant", body: "Closes #12", headRef: "feature/c", headSha: headOnto(main), additions: 30, deletions: 0 };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
    github.permissions.set("maintainer", "write");
    return pullRequestEvent("opened", { ...spec, baseSha: main });
  }
  const headOnto = (main: string) => github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add a constant");
  const reviewAgain = (id: number) => issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: id, login: "maintainer" });

  it("a step that could exceed the repository's daily cap ends neutral, saying so, without calling the model", async () => {
    // A review can use its 10,000-token context plus 24,000 for prompt and answer: more than 30,000.
    const app = await startApp();
    await app.deliver("pull_request", openPull("  review: 10000\n  dailyTokens: 30000\n"));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.reviews).toEqual([]);
    expect(github.checkRuns).toHaveLength(1);
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ name: "Baton: review", status: "completed", conclusion: "neutral" });
    expect(run.output?.title).toBe("Daily token budget reached");
    expect(run.output?.summary).toContain("This repository has used 0 of its 30,000 model tokens today (`budgets.dailyTokens`, UTC day), and one **review** run can use up to 34,000.");
    expect(run.output?.summary).toContain("The model was not called.");
  });

  it("counts what each run used against the step's daily cap, and stops the run that could pass it", async () => {
    claude.answersWithTool("submit_review", REVIEW).answersWithTool("submit_review", REVIEW);
    const app = await startApp();
    await app.deliver("pull_request", openPull("  review: 10000\n  dailyTokensPerStep:\n    review: 40000\n"));
    await app.deliver("issue_comment", reviewAgain(9101));
    // Two runs used 10,044; a third could reach 10,044 + 34,000 = 44,044, past 40,000.
    await app.deliver("issue_comment", reviewAgain(9102));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(2);
    expect(github.reviews).toHaveLength(2);
    const run = github.checkRuns[0]!;
    expect(run.history.filter((h) => h.startsWith("completed"))).toEqual(["completed:success", "completed:success", "completed:neutral"]);
    expect(run.output?.summary).toContain("The **review** step has used 10,044 of its 40,000 model tokens today in this repository (`budgets.dailyTokensPerStep.review`, UTC day)");
  });

  it("shows token use per repository and step, refusals, queue depth, job durations and failures, in Prometheus' format", async () => {
    const main = seedRepository(github, repositoryFiles());
    github.addIssue(ISSUE_12);
    const head = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add a constant");
    const spec = { number: 15, title: "Add a constant", body: "Closes #12", headRef: "feature/c", headSha: head, additions: 30, deletions: 0 };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
    claude.answersWithTool("submit_review", REVIEW).failsWith(401, "authentication_error", "invalid x-api-key");
    const app = await startHttpApp({ METRICS_PORT: "0" });
    try {
      await deliver(app.url, "pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }));
      await app.baton.queue.onIdle();
      github.permissions.set("octocat", "admin");
      await deliver(app.url, "issue_comment", issueComment({ number: 15, isPullRequest: true, body: "/baton review", commentId: 9201 }));
      await app.baton.queue.onIdle();

      const res = await fetch(`http://127.0.0.1:${app.metricsHttp!.port}/metrics`);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      expect(text).toContain('baton_model_tokens_total{repository="acme/widgets",step="review",type="input"} 4210');
      expect(text).toContain('baton_model_tokens_total{repository="acme/widgets",step="review",type="output"} 812');
      expect(text).toContain('baton_queue_jobs{state="waiting"} 0');
      expect(text).toContain('baton_queue_jobs{state="running"} 0');
      expect(text).toContain('baton_job_duration_seconds_count{kind="review",result="ok"} 1');
      expect(text).toContain('baton_job_duration_seconds_count{kind="route",result="ok"} 2');
      expect(text).toContain('baton_job_failures_total{kind="review"} 1');
      expect(text).toContain('baton_webhook_deliveries_total{event="pull_request",result="accepted"} 1');
      expect(text).toMatch(/# TYPE baton_budget_refusals_total counter/);
      expect(text).toMatch(/baton_process_resident_memory_bytes \d+/);
    } finally {
      await app.stop();
    }
  });
});
