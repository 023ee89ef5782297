import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBaton, createBatonApp, jobFor, type Baton, type BatonAppOptions } from "../../src/app/probot-app.js";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { QueueClosedError, QueueFullError } from "../../src/jobs/job.js";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import { checkRunExternalId } from "../../src/runner/check-run-id.js";
import { createCheckRunJournal } from "../../src/runner/check-run-journal.js";
import { createMetrics } from "../../src/server/metrics.js";
import { createMemoryState } from "../../src/state/memory-state.js";
import { deferred } from "../jobs/helpers.js";
import { FakeGitHub, INSTALLATION_ID } from "../app/fixtures/fake-github.js";
import { NOW, testPrivateKey } from "../app/fixtures/harness.js";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "../app/fixtures/repo-state.js";
import { issueComment, issueLabeled, pullRequestEvent } from "../app/fixtures/webhooks.js";
import { probotOctokit } from "../writer/github-fake.js";

/**
 * What the webhook endpoint answers for a delivery (Baton.accept): a queued
 * route job, nothing to do and why, or a refusal GitHub shows as a failed
 * delivery; and what the metrics endpoint counts of it.
 */

function probot(): Probot {
  return new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((options: Record<string, Record<string, unknown> | undefined>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    logLevel: "fatal",
  });
}

/** createBaton as Probot runs it: once Probot has initialised (its logger, its Octokit). */
async function start(options: BatonAppOptions): Promise<Baton> {
  let made: Baton | undefined;
  await probot().load(async (app) => {
    made = await createBaton(app, options);
  });
  return made!;
}

const model = createAnthropicModelClient({ apiKey: "test-key", maxRetries: 0 });
const help = (id: number) => issueComment({ number: 12, body: "/baton help", commentId: id, login: "reader" });

let github: FakeGitHub;
let baton: Baton | undefined;
beforeEach(() => {
  github = new FakeGitHub().start();
  seedRepository(github, repositoryFiles());
  github.addIssue(ISSUE_12);
});
afterEach(async () => {
  await baton?.close();
  baton = undefined;
  github.stop();
});

async function metricLines(b: Baton, name: string): Promise<string[]> {
  return (await b.metrics.registry.metrics()).split("\n").filter((l) => l.startsWith(name));
}

describe("a delivery", () => {
  it("for Baton is queued as a route job, which answers on GitHub; a redelivery is refused as already received", async () => {
    baton = await start({ model, env: {}, now: () => NOW, metrics: createMetrics() });
    expect(await baton.accept({ id: "d-1", name: "issue_comment", payload: help(1) })).toEqual({ accepted: true, job: "route:d-1" });
    await baton.queue.onIdle();
    expect(github.commentsOn(12)).toHaveLength(1);
    expect(github.commentsOn(12)[0]!.body).toContain("**Baton commands**");

    expect(await baton.accept({ id: "d-1", name: "issue_comment", payload: help(1) })).toEqual({ accepted: false, reason: "already received (a redelivery of a delivery still queued, running or done)" });
    await baton.queue.onIdle();
    expect(github.commentsOn(12)).toHaveLength(1);
    expect(await metricLines(baton, "baton_webhook_deliveries_total{")).toEqual([
      'baton_webhook_deliveries_total{event="issue_comment",result="accepted"} 1',
      'baton_webhook_deliveries_total{event="issue_comment",result="duplicate"} 1',
    ]);
    expect(await metricLines(baton, 'baton_job_duration_seconds_count{kind="route"')).toEqual(['baton_job_duration_seconds_count{kind="route",result="ok"} 1']);
    expect(await metricLines(baton, 'baton_job_duration_seconds_count{kind="help"')).toEqual(['baton_job_duration_seconds_count{kind="help",result="ok"} 1']);
  });

  it("that asks nothing of Baton gets no job, the reason, and counts as ignored", async () => {
    // A blank REDIS_URL is no Redis: the in-process queue.
    baton = await start({ model, env: { REDIS_URL: "  " }, now: () => NOW, metrics: createMetrics() });
    expect(await baton.accept({ id: "d-2", name: "issue_comment", payload: issueComment({ number: 12, body: "thanks", commentId: 2 }) })).toEqual({ accepted: false, reason: "comment without a /baton command" });
    expect(await baton.queue.counts()).toEqual({ waiting: 0, running: 0 });
    expect(await metricLines(baton, "baton_webhook_deliveries_total{")).toEqual(['baton_webhook_deliveries_total{event="issue_comment",result="ignored"} 1']);
    expect(github.requests).toEqual([]);
  });

  it("is refused with 'queue full' past BATON_QUEUE_LIMIT, and counted as refused", async () => {
    const gate = deferred();
    baton = await start({
      model,
      env: { BATON_QUEUE_LIMIT: "1" },
      now: () => NOW,
      metrics: createMetrics(),
      queue: async (handler) => createInProcessQueue({ maxQueued: 1, handler: async (job) => gate.promise.then(() => handler(job.payload as never)) }),
    });
    try {
      expect(await baton.accept({ id: "d-1", name: "issue_comment", payload: help(1) })).toMatchObject({ accepted: true });
      const refused = await baton.accept({ id: "d-2", name: "issue_comment", payload: help(2) }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(QueueFullError);
      expect(refused).toMatchObject({ limit: 1 });
      expect(await metricLines(baton, 'baton_webhook_deliveries_total{event="issue_comment",result="refused"}')).toEqual(['baton_webhook_deliveries_total{event="issue_comment",result="refused"} 1']);
    } finally {
      gate.resolve();
    }
    gate.resolve();
    await baton.queue.onIdle();
  });

  it("after close is refused as shutting down, saying to redeliver", async () => {
    baton = await start({ model, env: {}, now: () => NOW });
    const closing = baton;
    await closing.close();
    await expect(closing.accept({ id: "d-9", name: "issue_comment", payload: help(9) })).rejects.toThrow(new QueueClosedError("Baton is shutting down and takes no new events: redeliver this one once it is back"));
  });
});

describe("a route job that fails", () => {
  it("counts as a failed route (routing cannot read the config: GitHub fails), and starts nothing", async () => {
    github.permissions.set("writer", "write");
    baton = await start({
      model,
      env: {},
      now: () => NOW,
      metrics: createMetrics(),
      queue: async (handler, onFailure) => createInProcessQueue({ handler: (job) => handler(job.payload as never), onFailure: (job, err) => onFailure(job.payload as never, err), isTransient: () => false }),
    });
    github.failOnce("GET", "/repos/acme/widgets/contents/.github/baton.yml", 500);
    const label = issueLabeled(ISSUE_12, "needs-architecture");
    label.sender = { ...label.sender, login: "writer" };
    expect(await baton.accept({ id: "d-5", name: "issues", payload: label })).toMatchObject({ accepted: true });
    await baton.queue.onIdle();
    expect(await metricLines(baton, "baton_job_failures_total{")).toEqual(['baton_job_failures_total{kind="route"} 1']);
    expect(await metricLines(baton, 'baton_job_duration_seconds_count{kind="route"')).toEqual(['baton_job_duration_seconds_count{kind="route",result="error"} 1']);
    expect(github.checkRuns).toEqual([]);
  });
});

describe("Probot's form of the app", () => {
  it("takes every event Baton routes through accept, and acts on them", async () => {
    github.permissions.set("ada", "write");
    const app = probot();
    await app.load(
      createBatonApp({
        model,
        env: {},
        now: () => NOW,
        onReady: (handle) => {
          baton = handle;
        },
      }),
    );
    await app.receive({ id: "d-1", name: "issue_comment", payload: help(1) } as Parameters<Probot["receive"]>[0]);
    const label = issueLabeled(ISSUE_12, "bug");
    label.sender = { ...label.sender, login: "ada" };
    await app.receive({ id: "d-2", name: "issues", payload: label } as Parameters<Probot["receive"]>[0]);
    await baton!.queue.onIdle();
    expect(github.commentsOn(12).map((c) => c.body)).toEqual([expect.stringContaining("**Baton commands**")]);
    // The label was routed: its config was read (and the label found not to be Baton's).
    expect(github.requests.filter((r) => r.path === "/repos/acme/widgets/contents/.github/baton.yml")).toHaveLength(1);
  });
});

describe("at startup", () => {
  it("without Redis, a check run the previous process left in progress is cancelled on GitHub (its job died with it)", async () => {
    const state = createMemoryState();
    const target = { owner: "acme", repo: "widgets", installationId: INSTALLATION_ID };
    const req = { kind: "review" as const, target, pullNumber: 7, headSha: github.branchSha("main")!, cause: "pr-x" };
    const { data } = await probotOctokit().rest.checks.create({ owner: "acme", repo: "widgets", name: "Baton: review", head_sha: req.headSha, status: "in_progress", external_id: checkRunExternalId(req) });
    await createCheckRunJournal(state).opened({ target, checkRunId: data.id, stepId: "review", externalId: checkRunExternalId(req), cause: "pr-x", openedAt: NOW.toISOString() });

    baton = await start({ model, env: {}, now: () => NOW, state });
    const run = github.checkRuns.find((c) => c.id === data.id)!;
    expect(run.history).toEqual(["in_progress", "completed:cancelled"]);
    expect(run.output?.summary).toContain("Baton stopped (a crash or a restart without draining)");
    expect(await createCheckRunJournal(state).list()).toEqual([]);
    expect(await baton.queue.counts()).toEqual({ waiting: 0, running: 0 });
  });
});

describe("a step that fails for good, on the app's own queue", () => {
  it("ends its check run as failed, saying why", async () => {
    const claude = new FakeClaude();
    claude.failsWith(401, "authentication_error", "invalid x-api-key");
    const main = github.branchSha("main")!;
    const head = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add a constant");
    const spec = { number: 15, title: "Add a constant", body: "", headRef: "feature/c", headSha: head, additions: 30, deletions: 0 };
    const patch = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch }] });
    baton = await start({ model, env: {}, now: () => NOW, metrics: createMetrics() });

    expect(await baton.accept({ id: "d-7", name: "pull_request", payload: pullRequestEvent("opened", { ...spec, baseSha: main }) })).toMatchObject({ accepted: true });
    await baton.queue.onIdle();
    expect(github.checkRuns).toMatchObject([{ name: "Baton: review", status: "completed", conclusion: "failure" }]);
    expect(await metricLines(baton, "baton_job_failures_total{")).toEqual(['baton_job_failures_total{kind="review"} 1']);
  });
});

describe("a step request's queue job", () => {
  it("is named by the request, one at a time per issue or PR, grouped by installation", () => {
    const req = { kind: "dev" as const, target: { owner: "acme", repo: "widgets", installationId: 4242 }, issueNumber: 12, cause: "label-d-1" };
    expect(jobFor(req)).toEqual({ id: "dev:acme/widgets#12/label-d-1", key: "acme/widgets#12", kind: "dev", group: "4242", payload: req });
  });
});
