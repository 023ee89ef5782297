import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recoverCheckRuns } from "../../src/app/recover-check-runs.js";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { checkRunExternalId } from "../../src/runner/check-run-id.js";
import { createCheckRunJournal, type CheckRunJournal } from "../../src/runner/check-run-journal.js";
import type { GitHubClient } from "../../src/runner/github-port.js";
import { jobId, type JobRequest } from "../../src/runner/job-request.js";
import { createMemoryState } from "../../src/state/memory-state.js";
import { botIdentityOfApp } from "../../src/writer/bot-identity.js";
import { deferred } from "../jobs/helpers.js";
import { FakeGitHub, INSTALLATION_ID } from "../app/fixtures/fake-github.js";
import { repositoryFiles, seedRepository } from "../app/fixtures/repo-state.js";
import { probotOctokit } from "../writer/github-fake.js";

/**
 * At startup, the check runs a stopped process left open: what ends up on
 * GitHub (left alone, cancelled with a note saying what to do) and what is
 * queued again, for a queue that outlived the process (Redis) and one that
 * died with it (in-process).
 */

const target = { owner: "acme", repo: "widgets", installationId: INSTALLATION_ID };
const RESTART_NOTE =
  "Baton stopped (a crash or a restart without draining) while this step was running, so it was cancelled. Nothing it had not finished was written. Press **Re-run** on this check, or comment the `/baton` command again.";
const TWICE_NOTE = "Baton stopped twice while running this step, so it is not run a third time by itself. Press **Re-run** on this check once the cause (see the app's log) is fixed.";

let github: FakeGitHub;
let head: string;
let journal: CheckRunJournal;
let logged: { level: string; obj: Record<string, unknown>; msg: string }[];
let enqueued: JobRequest[];
const octokit = () => probotOctokit() as unknown as GitHubClient;

beforeEach(() => {
  github = new FakeGitHub().start();
  head = seedRepository(github, repositoryFiles());
  journal = createCheckRunJournal(createMemoryState());
  logged = [];
  enqueued = [];
});
afterEach(() => github.stop());

/** A check run the stopped process had opened (on GitHub, and in the journal). */
async function leftOpen(req: JobRequest & { kind: "review" }, status = "in_progress"): Promise<number> {
  const { data } = await octokit().rest.checks.create({ owner: "acme", repo: "widgets", name: "Baton: review", head_sha: head, status: status as "in_progress", external_id: checkRunExternalId(req) });
  await journal.opened({ target, checkRunId: data.id, stepId: "review", externalId: checkRunExternalId(req), cause: req.cause, openedAt: "2026-11-25T12:00:00Z" });
  return data.id;
}

const review = (cause: string) => ({ kind: "review" as const, target, pullNumber: 7, headSha: head, cause });

function recover(shared: boolean, queue = createInProcessQueue({ handler: async () => {} }), octokitFor = async () => octokit()) {
  return recoverCheckRuns({
    journal,
    queue,
    octokitFor,
    bot: async () => botIdentityOfApp("baton-test"),
    shared,
    enqueue: async (req) => void enqueued.push(req),
    log: { info: (obj, msg) => void logged.push({ level: "info", obj, msg }), warn: (obj, msg) => void logged.push({ level: "warn", obj, msg }) },
  });
}

describe("a check run left in progress", () => {
  it("without a shared queue (its job died with the process) is cancelled on GitHub, saying why and what to do", async () => {
    const id = await leftOpen(review("pr-x"));
    expect(await recover(false)).toEqual({ requeued: 0, cancelled: 1, untouched: 0 });
    const run = github.checkRuns.find((c) => c.id === id)!;
    expect(run.history).toEqual(["in_progress", "completed:cancelled"]);
    expect(run.output).toMatchObject({ title: "review was interrupted", summary: RESTART_NOTE });
    expect(await journal.list()).toEqual([]);
    expect(enqueued).toEqual([]);
    expect(logged).toEqual([{ level: "warn", obj: { checkRun: id, repository: "acme/widgets", step: "review" }, msg: "check run left in progress by a stopped process: cancelled" }]);
  });

  it("with a shared queue is queued again once, as a recovery, and left open for that job", async () => {
    const id = await leftOpen(review("pr-x"));
    expect(await recover(true)).toEqual({ requeued: 1, cancelled: 0, untouched: 0 });
    expect(enqueued).toEqual([{ kind: "review", target, pullNumber: 7, headSha: head, cause: `recover-${id}` }]);
    expect(github.checkRuns.find((c) => c.id === id)!.history).toEqual(["in_progress"]);
    expect(await journal.list()).toEqual([]);
    expect(logged).toEqual([{ level: "info", obj: { checkRun: id, repository: "acme/widgets", step: "review" }, msg: "check run left in progress by a stopped process: queued again" }]);
  });

  it("by a recovery's own job is not run a third time: cancelled, saying so", async () => {
    const id = await leftOpen(review("recover-12"));
    expect(await recover(true)).toEqual({ requeued: 0, cancelled: 1, untouched: 0 });
    expect(enqueued).toEqual([]);
    expect(github.checkRuns.find((c) => c.id === id)!.output).toMatchObject({ summary: TWICE_NOTE });
  });

  it("queued (not yet started) is treated the same", async () => {
    const id = await leftOpen(review("pr-x"), "queued");
    expect(await recover(false)).toEqual({ requeued: 0, cancelled: 1, untouched: 0 });
    expect(github.checkRuns.find((c) => c.id === id)!.history).toEqual(["queued", "completed:cancelled"]);
  });
});

describe("a check run left alone", () => {
  it("when its job is still in the queue (another worker runs it): nothing on GitHub, kept in the journal", async () => {
    const req = review("pr-x");
    await leftOpen(req);
    const held = deferred();
    const queue = createInProcessQueue({ handler: () => held.promise });
    await queue.enqueue({ id: jobId(req), key: "k", kind: "review", group: "1", payload: req });
    const requests = github.requests.length;
    expect(await recover(true, queue)).toEqual({ requeued: 0, cancelled: 0, untouched: 1 });
    expect(github.requests.length).toBe(requests);
    expect(await journal.list()).toHaveLength(1);
    held.resolve();
    await queue.onIdle();
  });

  it("when GitHub shows it completed already: only the journal entry goes", async () => {
    const id = await leftOpen(review("pr-x"));
    await octokit().rest.checks.update({ owner: "acme", repo: "widgets", check_run_id: id, conclusion: "success" });
    expect(await recover(true)).toEqual({ requeued: 0, cancelled: 0, untouched: 1 });
    expect(github.checkRuns.find((c) => c.id === id)!.history).toEqual(["in_progress", "completed:success"]);
    expect(await journal.list()).toEqual([]);
    expect(enqueued).toEqual([]);
  });

  it("when GitHub cannot be asked (installation gone, GitHub down): kept for the next start, the others still recovered", async () => {
    const first = await leftOpen(review("pr-a"));
    const second = await leftOpen({ ...review("pr-b"), pullNumber: 8 });
    github.failOnce("GET", `/repos/acme/widgets/check-runs/${first}`, 502);
    expect(await recover(false)).toEqual({ requeued: 0, cancelled: 1, untouched: 0 });
    expect((await journal.list()).map((r) => r.checkRunId)).toEqual([first]);
    expect(github.checkRuns.find((c) => c.id === second)!.conclusion).toBe("cancelled");
    expect(logged[0]).toMatchObject({ level: "warn", obj: { checkRun: first, err: "Server Error" }, msg: "could not recover a check run left open" });

    expect(await recover(false, undefined, async () => Promise.reject("installation 4242 suspended"))).toEqual({ requeued: 0, cancelled: 0, untouched: 0 });
    expect(logged.at(-1)).toEqual({ level: "warn", obj: { checkRun: first, err: "installation 4242 suspended" }, msg: "could not recover a check run left open" });
  });

  it("whose external id names no Baton job cannot be queued again: cancelled", async () => {
    const id = await leftOpen(review("pr-x"));
    const [entry] = await journal.list();
    await journal.opened({ ...entry!, externalId: "not-baton" });
    expect(await recover(true)).toEqual({ requeued: 0, cancelled: 1, untouched: 0 });
    expect(enqueued).toEqual([]);
    expect(github.checkRuns.find((c) => c.id === id)!.conclusion).toBe("cancelled");
  });
});
