import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appIdentity } from "../../src/app/app-identity.js";
import { readEdgeConfig } from "../../src/app/edge-config.js";
import { appForkAccess } from "../../src/app/fork-access.js";
import { queueLimitFromEnv } from "../../src/app/probot-app.js";
import { createReplyLimiter, DEFAULT_REPLY_LIMIT, replyLimitFromEnv } from "../../src/app/reply-limit.js";
import { createMemoryState } from "../../src/state/memory-state.js";
import { hasWriteAccess, mayHaveWriteAccess } from "../../src/app/write-access.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { GitHubWriteError } from "../../src/writer/github-request.js";
import { testPrivateKey } from "../app/fixtures/harness.js";
import { API, FakeGitHub } from "../app/fixtures/fake-github.js";
import { repositoryFiles, seedRepository } from "../app/fixtures/repo-state.js";
import { probotOctokit } from "../writer/github-fake.js";

/**
 * What routing and the jobs ask GitHub before they act (who may push, the
 * app's own account, the fork's client, the labels in the config) and the
 * limits read from the environment: each answer as GitHub gives it, and
 * what Baton makes of it.
 */

const PERMISSION = "/repos/acme/widgets/collaborators/ada/permission";
const user = { login: "ada", id: 1, type: "User" };

describe("write access", () => {
  const answer = (status: number, body: unknown) => nock(API).get(PERMISSION).reply(status, body as nock.Body);
  const ask = () => hasWriteAccess(probotOctokit(), "acme", "widgets", "ada");

  it.each([
    ["admin", "admin"],
    ["maintain", "write"],
    ["write", "write"],
    // A custom repository role built on write: GitHub names the role, and gives the base as the permission.
    ["release-manager", "write"],
    ["security-lead", "admin"],
  ])("is granted to the role %s (permission %s)", async (role_name, permission) => {
    answer(200, { permission, role_name, user });
    expect(await ask()).toBe(true);
  });

  it.each([
    ["triage", "read"],
    ["read", "read"],
    ["auditor", "read"],
    ["none", "none"],
  ])("is refused to the role %s (permission %s)", async (role_name, permission) => {
    answer(200, { permission, role_name, user });
    expect(await ask()).toBe(false);
  });

  it("is read from the permission alone when GitHub names no role (older GitHub Enterprise Server)", async () => {
    answer(200, { permission: "write", user });
    expect(await ask()).toBe(true);
    answer(200, { permission: "admin", user });
    expect(await ask()).toBe(true);
    answer(200, { permission: "read", user });
    expect(await ask()).toBe(false);
  });

  it("is refused to someone who is not a collaborator (GitHub answers 404)", async () => {
    answer(404, { message: "Not Found" });
    expect(await ask()).toBe(false);
  });

  it("is not guessed when GitHub fails: the error reaches the caller, and the delivery fails", async () => {
    answer(500, { message: "Server Error" });
    await expect(ask()).rejects.toMatchObject({ status: 500 });
    answer(403, { message: "Resource not accessible by integration" });
    await expect(ask()).rejects.toMatchObject({ status: 403 });
  });

  it("is known to be absent, without asking, for a commenter GitHub marks as no member or collaborator", () => {
    for (const association of ["OWNER", "MEMBER", "COLLABORATOR", undefined]) expect(mayHaveWriteAccess(association)).toBe(true);
    for (const association of ["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "MANNEQUIN", "NONE", "owner", ""]) expect(mayHaveWriteAccess(association)).toBe(false);
  });
});

function probot(): Probot {
  return new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    Octokit: ProbotOctokit.defaults((options: Record<string, Record<string, unknown> | undefined>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    logLevel: "fatal",
  });
}

describe("the app's own account", () => {
  it("is GET /app's slug as a bot, asked once", async () => {
    const app = nock(API).get("/app").once().reply(200, { id: 1, slug: "baton-dev", name: "Baton (dev)" });
    const identity = appIdentity(probot());
    expect(await identity()).toEqual({ login: "baton-dev[bot]", appSlug: "baton-dev" });
    expect(await identity()).toEqual({ login: "baton-dev[bot]", appSlug: "baton-dev" });
    expect(app.isDone()).toBe(true);
  });

  it("is asked again after a failed lookup, which says what went wrong", async () => {
    const identity = appIdentity(probot());
    nock(API).get("/app").reply(200, { id: 1, slug: "" });
    await expect(identity()).rejects.toThrow("GET /app returned no slug: cannot tell Baton's own comments from others'");
    nock(API).get("/app").reply(200, { id: 1 });
    await expect(identity()).rejects.toThrow("GET /app returned no slug");
    nock(API).get("/app").reply(200, "null", { "content-type": "application/json" });
    await expect(identity()).rejects.toThrow("GET /app returned no slug");
    nock(API).get("/app").reply(500, { message: "Server Error" });
    await expect(identity()).rejects.toMatchObject({ status: 500 });
    nock(API).get("/app").reply(200, { id: 1, slug: "baton" });
    expect(await identity()).toEqual({ login: "baton[bot]", appSlug: "baton" });
  });
});

describe("a fork's client (dev.fork)", () => {
  it("is the app's installation on the fork, with that installation's token", async () => {
    nock(API).get("/repos/mallory/widgets/installation").matchHeader("authorization", /^bearer /i).reply(200, { id: 4242, account: { login: "mallory" } });
    nock(API).post("/app/installations/4242/access_tokens").reply(201, { token: "ghs_fork", expires_at: "2099-01-01T00:00:00Z", permissions: { contents: "write" } });
    const repo = nock(API).get("/repos/mallory/widgets").matchHeader("authorization", "token ghs_fork").reply(200, { name: "widgets" });
    const octokit = await appForkAccess(probot()).clientFor("mallory", "widgets");
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "mallory", repo: "widgets" });
    expect(repo.isDone()).toBe(true);
  });

  it("says how to fix it when the app is not installed on the fork", async () => {
    nock(API).get("/repos/mallory/widgets/installation").reply(404, { message: "Not Found" });
    const err = await appForkAccess(probot())
      .clientFor("mallory", "widgets")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err).toMatchObject({
      message: "Baton is not installed on the fork mallory/widgets (dev.fork): install the app there, with contents: write, or set dev.pushTo: branch",
      transient: false,
      status: 404,
    });
  });

  it("passes on GitHub's other failures, described, transient when GitHub is down", async () => {
    nock(API).get("/repos/mallory/widgets/installation").reply(503, { message: "Service Unavailable" });
    const err = await appForkAccess(probot())
      .clientFor("mallory", "widgets")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err).toMatchObject({ status: 503, transient: true, message: expect.stringContaining("GET /repos/mallory/widgets/installation (503)") });
  });
});

describe("the config routing reads", () => {
  let github: FakeGitHub;
  beforeEach(() => {
    github = new FakeGitHub().start();
  });
  afterEach(() => github.stop());
  const read = () => readEdgeConfig(probotOctokit(), "acme", "widgets");

  it("is .github/baton.yml, or .github/baton.yaml, on the default branch", async () => {
    seedRepository(github, repositoryFiles({ batonYml: "triggers:\n  devLabel: go\n" }));
    expect((await read()).triggers.devLabel).toBe("go");
    seedRepository(github, { ...repositoryFiles({ batonYml: null }), ".github/baton.yaml": "triggers:\n  devLabel: yaml-go\n" });
    expect((await read()).triggers.devLabel).toBe("yaml-go");
  });

  it("is the defaults when there is none, or it is broken (the job reports the errors)", async () => {
    seedRepository(github, repositoryFiles({ batonYml: null }));
    expect(await read()).toEqual(defaultConfig());
    seedRepository(github, repositoryFiles({ batonYml: "triggers: [oops\n" }));
    expect(await read()).toEqual(defaultConfig());
    seedRepository(github, repositoryFiles({ batonYml: "triggers:\n  devLabel: 3\n" }));
    expect(await read()).toEqual(defaultConfig());
  });

  it("skips a path that is a folder", async () => {
    github.stop();
    nock.cleanAll();
    nock(API).get("/repos/acme/widgets/contents/.github%2Fbaton.yml").reply(200, [{ name: "x", type: "file" }]);
    nock(API).get("/repos/acme/widgets/contents/.github%2Fbaton.yaml").reply(200, { type: "file", encoding: "base64", content: Buffer.from("triggers:\n  devLabel: second\n").toString("base64") });
    expect((await read()).triggers.devLabel).toBe("second");
  });

  it("is not guessed when GitHub fails to answer", async () => {
    seedRepository(github, repositoryFiles());
    github.failOnce("GET", "/repos/acme/widgets/contents/.github/baton.yml", 502);
    await expect(read()).rejects.toMatchObject({ status: 502 });
  });
});

describe("the reply allowance", () => {
  it("is shared by every moment of one window, and starts again at the next", async () => {
    let clock = 3_600_000;
    const limiter = createReplyLimiter(createMemoryState({ now: () => clock }), { replies: 2, windowMs: 3_600_000 }, () => clock);
    const taken: boolean[] = [];
    for (const at of [3_600_000, 3_600_001, 5_000_000, 7_199_999]) {
      clock = at;
      taken.push(await limiter.take("acme/widgets"));
    }
    clock = 7_200_000;
    taken.push(await limiter.take("acme/widgets"));
    expect(taken).toEqual([true, true, false, false, true]);
  });
});

describe("limits from the environment", () => {
  it("BATON_REPLIES_PER_HOUR: replies per repository and hour, 10 by default", () => {
    expect(replyLimitFromEnv({})).toEqual({ replies: 10, windowMs: 3_600_000 });
    expect(DEFAULT_REPLY_LIMIT).toEqual({ replies: 10, windowMs: 3_600_000 });
    expect(replyLimitFromEnv({ BATON_REPLIES_PER_HOUR: "  " })).toEqual(DEFAULT_REPLY_LIMIT);
    expect(replyLimitFromEnv({ BATON_REPLIES_PER_HOUR: " 3 " })).toEqual({ replies: 3, windowMs: 3_600_000 });
    expect(replyLimitFromEnv({ BATON_REPLIES_PER_HOUR: "0" })).toEqual({ replies: 0, windowMs: 3_600_000 });
    for (const bad of ["-1", "1.5", "ten", "1e400"]) {
      expect(() => replyLimitFromEnv({ BATON_REPLIES_PER_HOUR: bad })).toThrow(`BATON_REPLIES_PER_HOUR must be a whole number ≥ 0, not "${bad}"`);
    }
  });

  it("BATON_QUEUE_LIMIT: events waiting before deliveries are refused, 1000 by default", () => {
    expect(queueLimitFromEnv({})).toBe(1000);
    expect(queueLimitFromEnv({ BATON_QUEUE_LIMIT: " " })).toBe(1000);
    expect(queueLimitFromEnv({ BATON_QUEUE_LIMIT: " 1 " })).toBe(1);
    for (const bad of ["0", "-5", "2.5", "many"]) {
      expect(() => queueLimitFromEnv({ BATON_QUEUE_LIMIT: bad })).toThrow(`BATON_QUEUE_LIMIT must be a whole number ≥ 1, not "${bad}"`);
    }
  });
});
