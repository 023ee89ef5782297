import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInProcessQueue } from "../../src/jobs/in-process-queue.js";
import { readStartupMode, StartupError } from "../../src/server/server-config.js";
import type { QueuedWork } from "../../src/app/probot-app.js";
import { FakeClaude } from "../app/fixtures/fake-claude.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { startApp, testPrivateKey } from "../app/fixtures/harness.js";
import { ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "../app/fixtures/repo-state.js";
import { checkRunRerequested, issueComment, pullRequestEvent } from "../app/fixtures/webhooks.js";
import { deliver, postWebhook, startHttpApp } from "../server/fixtures/http-app.js";
import { deferred } from "../jobs/helpers.js";
import { createReplyLimiter } from "../../src/app/reply-limit.js";
import { createMemoryState } from "../../src/state/memory-state.js";

/**
 * Issue 7, "Edges": each case below was open on the main branch this suite
 * was written against (Probot's `development` secret, unbounded bodies, a
 * forged Re-run, free replies for anyone, an unbounded queue).
 */

const APP = { APP_ID: "1", PRIVATE_KEY: testPrivateKey() };

describe("the webhook secret", () => {
  it("is required outside explicit development, and never replaced by Probot's default", () => {
    for (const env of [{ ...APP, NODE_ENV: "production" }, { ...APP }, { ...APP, NODE_ENV: "test" }, { ...APP, NODE_ENV: "development" }, { ...APP, WEBHOOK_SECRET: "   " }]) {
      expect(() => readStartupMode(env)).toThrow(StartupError);
      expect(() => readStartupMode(env)).toThrow(/WEBHOOK_SECRET is not set.*Probot's public default secret/);
    }
    expect(readStartupMode({ ...APP, WEBHOOK_SECRET: "s3cret", NODE_ENV: "production" })).toMatchObject({ mode: "run", config: { webhookSecret: "s3cret" } });
  });

  it("only explicit development may open the setup page instead of refusing missing credentials", () => {
    expect(readStartupMode({ NODE_ENV: "development" })).toMatchObject({ mode: "setup" });
    expect(() => readStartupMode({})).toThrow(/APP_ID and PRIVATE_KEY \(or PRIVATE_KEY_PATH\) not set/);
    expect(() => readStartupMode({ NODE_ENV: "production", WEBHOOK_SECRET: "s" })).toThrow(StartupError);
  });

  it("npm start's entry point exits 1 with the reason in production without it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/app/server.ts"], {
      env: { PATH: process.env.PATH ?? "", ...APP, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("baton: WEBHOOK_SECRET is not set");
  });
});

describe("webhook bodies", () => {
  let github: FakeGitHub;
  beforeEach(() => {
    github = new FakeGitHub().start();
  });
  afterEach(() => github.stop());

  it("over the cap are refused with 413 before their signature is checked, declared or streamed", async () => {
    const app = await startHttpApp({ WEBHOOK_MAX_BODY_BYTES: "4096", BATON_QUEUE_LIMIT: "10" });
    try {
      const big = JSON.stringify({ action: "opened", padding: "x".repeat(5000) });
      // A wrong signature: a 413 rather than a 401 shows the size was checked first.
      const declared = await postWebhook(app.url, "pull_request", big, { signWith: "not-the-secret" });
      expect(declared.status).toBe(413);
      expect(declared.text).toContain("larger than 4096 bytes (WEBHOOK_MAX_BODY_BYTES)");
      const streamed = await postWebhook(app.url, "pull_request", big, { chunked: true, signWith: "not-the-secret" });
      expect(streamed.status).toBe(413);

      // Under the cap, the signature is what decides.
      expect((await postWebhook(app.url, "ping", JSON.stringify({ zen: "hi" }), { signWith: "not-the-secret" })).status).toBe(401);
      expect((await postWebhook(app.url, "ping", JSON.stringify({ zen: "hi" }))).status).toBe(200);
      // Probot's setup page registers `<base URL>/` as the webhook URL: answered the same way.
      expect((await postWebhook(app.url, "ping", JSON.stringify({ zen: "hi" }), { path: "/" })).status).toBe(200);
      expect(await app.baton.queue.counts()).toEqual({ waiting: 0, running: 0 });
      expect(github.requests).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});

describe("the queue's bound", () => {
  let github: FakeGitHub;
  beforeEach(() => {
    github = new FakeGitHub().start();
    seedRepository(github, repositoryFiles());
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  it("refuses deliveries with 503 and a message saying what to do when full, and takes them again once drained", async () => {
    const gate = deferred();
    const ran: string[] = [];
    const app = await startHttpApp(
      { BATON_QUEUE_LIMIT: "2" },
      {
        // The real in-process queue with its bound, its jobs held until the test lets them go.
        queue: async (handler) =>
          createInProcessQueue({
            maxQueued: 2,
            handler: async (job) => {
              await gate.promise;
              ran.push((job.payload as QueuedWork).kind);
              await handler(job.payload as QueuedWork).catch(() => undefined);
            },
          }),
      },
    );
    try {
      const comment = (id: number) => issueComment({ number: 12, body: "/baton help", commentId: id });
      expect((await deliver(app.url, "issue_comment", comment(1), "d-1")).status).toBe(200);
      expect((await deliver(app.url, "issue_comment", comment(2), "d-2")).status).toBe(200);
      const full = await deliver(app.url, "issue_comment", comment(3), "d-3");
      expect(full.status).toBe(503);
      expect(full.text).toContain("Baton's job queue is full (2 jobs waiting)");
      expect(full.text).toContain("Redeliver it");

      gate.resolve();
      await app.baton.queue.onIdle();
      expect((await deliver(app.url, "issue_comment", comment(3), "d-3")).status).toBe(200);
      await app.baton.queue.onIdle();
      expect(ran.filter((k) => k === "route")).toHaveLength(3);
    } finally {
      await app.stop();
    }
  });
});

describe("Re-run of a check run", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  const PATCH = ["@@ -3,3 +3,5 @@", " export async function getUser(id: string) {", "   return db.users.find(id);", " }", "+", "+export const PAGE = 100;"].join("\n");

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
  });
  afterEach(() => github.stop());

  it("needs the requester's write access: a forged re-run starts nothing", async () => {
    const main = seedRepository(github);
    claude.failsWith(401, "authentication_error", "invalid x-api-key");
    const head = github.commitOnto(main, { "src/api/users.ts": `${USERS_TS}\nexport const PAGE = 100;\n` }, "Add a constant");
    const spec = { number: 15, title: "Add constants", body: "", headRef: "feature/c", headSha: head, additions: 30, deletions: 0 };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: PATCH }] });
    const app = await startApp({ instantRetries: true });
    await app.deliver("pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }));
    const failed = github.checkRuns[0]!;
    expect(failed.conclusion).toBe("failure");
    const modelCalls = claude.requests.length;

    github.permissions.set("octocat", "read");
    await app.deliver("check_run", checkRunRerequested(failed));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toHaveLength(modelCalls);
    expect(github.checkRuns[0]!.history).toEqual(["queued", "in_progress", "completed:failure"]);
    expect(github.requests.some((r) => r.path === "/repos/acme/widgets/collaborators/octocat/permission")).toBe(true);
  });
});

describe("replies to people without write access", () => {
  let github: FakeGitHub;
  beforeEach(() => {
    github = new FakeGitHub().start();
    seedRepository(github, repositoryFiles());
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  const outsider = (id: number, body: string) => {
    const p = issueComment({ number: 12, body, commentId: id, login: "passer-by" });
    p.comment.author_association = "NONE";
    return p;
  };

  it("are limited per repository (help, context, unknown commands, refusals), without asking GitHub who they are", async () => {
    github.permissions.set("maintainer", "write");
    const app = await startApp({ env: { BATON_REPLIES_PER_HOUR: "3" } });
    const bodies = ["/baton help", "/baton frobnicate", "/baton dev", "/baton help", "/baton context", "/baton review"];
    for (const [i, body] of bodies.entries()) await app.deliver("issue_comment", outsider(100 + i, body));

    const replies = github.commentsOn(12).map((c) => c.body);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toContain("**Baton commands**");
    expect(replies[1]).toContain("Baton does not know `/baton frobnicate`");
    expect(replies[2]).toContain("reserved for people with write access");
    // author_association NONE: known to have no write access, so no permission lookup was paid for.
    expect(github.requests.filter((r) => r.path.includes("/collaborators/"))).toEqual([]);

    // Someone with write access is not counted against the limit.
    const member = issueComment({ number: 12, body: "/baton help", commentId: 200, login: "maintainer" });
    await app.deliver("issue_comment", member);
    expect(github.commentsOn(12)).toHaveLength(4);
  });
});

describe("the reply limiter", () => {
  it("counts each repository on its own, case-insensitively, and starts again with the next window", async () => {
    let clock = 0;
    const limiter = createReplyLimiter(createMemoryState({ now: () => clock }), { replies: 2, windowMs: 1000 }, () => clock);
    expect([await limiter.take("acme/widgets"), await limiter.take("Acme/Widgets"), await limiter.take("acme/widgets")]).toEqual([true, true, false]);
    expect(await limiter.take("acme/gadgets")).toBe(true);
    clock = 1000;
    expect(await limiter.take("acme/widgets")).toBe(true);
  });
});
