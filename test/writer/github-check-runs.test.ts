import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import {
  checkRunName,
  createCheckRunReporter,
  type CheckRunReporter,
  stepOfCheckRunName,
  CHECK_RUN_TEXT_LIMIT_BYTES,
} from "../../src/writer/github-check-runs.js";
import { GitHubWriteError } from "../../src/writer/github-request.js";
import { BATON_IDENTITY, checkRunPayload, fakeGitHub, OWNER, probotOctokit, R, REPO, sha } from "./github-fake.js";
import { checkRunExternalId, parseCheckRunExternalId } from "../../src/runner/check-run-id.js";

// The package's entry point is a JSON file: loaded as CommonJS, typed by its own declarations.
const webhooks = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

const headSha = sha("pr-head");
const name = checkRunName("review");
const target = { owner: OWNER, repo: REPO, installationId: 1 };
const externalId = checkRunExternalId({ kind: "review", target, pullNumber: 15, headSha, cause: "pr-x" });
const reporter = () => createCheckRunReporter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });
const listPath = `${R}/commits/${headSha}/check-runs`;

describe("check run reporter", () => {
  it("creates the check run queued, marks it in progress, completes it", async () => {
    const gh = fakeGitHub();
    gh.scope
      .post(`${R}/check-runs`)
      .reply(201, checkRunPayload(4, { name, headSha, externalId }))
      .patch(`${R}/check-runs/4`)
      .reply(200, checkRunPayload(4, { name, headSha, externalId, status: "in_progress" }))
      .patch(`${R}/check-runs/4`)
      .reply(200, checkRunPayload(4, { name, headSha, externalId, status: "completed", conclusion: "success" }));

    const checks = reporter();
    const id = await checks.queued({ name, headSha, externalId, detailsUrl: "https://baton.example.com/jobs/1" });
    await checks.inProgress(id);
    await checks.complete(id, { conclusion: "success", title: "Review posted:\n2 findings", summary: "## Context used\n- ADR 12" });

    gh.scope.done();
    expect(id).toBe(4);
    const [create, progress, done] = gh.writes();
    expect(create!.body).toEqual({ name: "Baton: review", head_sha: headSha, external_id: externalId, status: "queued", details_url: "https://baton.example.com/jobs/1" });
    expect(progress!.body).toMatchObject({ status: "in_progress" });
    expect(Date.parse((progress!.body as { started_at: string }).started_at)).not.toBeNaN();
    expect(done!.body).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "Review posted: 2 findings", summary: "## Context used\n- ADR 12" },
    });
    expect(Date.parse((done!.body as { completed_at: string }).completed_at)).not.toBeNaN();
  });

  it("finds the job's check run again on redelivery instead of creating a second one", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(listPath)
      .query({ check_name: name, filter: "all", per_page: "100" })
      .reply(200, {
        total_count: 2,
        check_runs: [
          checkRunPayload(3, { name, headSha, externalId: checkRunExternalId({ kind: "review", target, pullNumber: 15, headSha: sha("older"), cause: "pr-y" }), status: "completed", conclusion: "success" }),
          checkRunPayload(4, { name, headSha, externalId, status: "queued" }),
        ],
      })
      .patch(`${R}/check-runs/4`)
      .reply(200, checkRunPayload(4, { name, headSha, externalId, status: "in_progress" }));

    const id = await reporter().start({ name, headSha, externalId });

    gh.scope.done();
    expect(id).toBe(4);
    expect(gh.writes().map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH ${R}/check-runs/4`]);
  });

  it("start creates the check run in progress when there is none", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(listPath)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${R}/check-runs`)
      .reply(201, checkRunPayload(5, { name, headSha, externalId, status: "in_progress" }));

    expect(await reporter().start({ name, headSha, externalId })).toBe(5);
    gh.scope.done();
    expect(gh.writes()[0]!.body).toMatchObject({ name, head_sha: headSha, external_id: externalId, status: "in_progress" });
  });

  it("findExisting returns undefined when only other jobs' runs exist", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(listPath)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [checkRunPayload(3, { name, headSha, externalId: "someone-else" })] });
    expect(await reporter().findExisting(headSha, name, externalId)).toBeUndefined();
    gh.scope.done();
  });

  it("cuts a summary over GitHub's byte limit, at a character boundary, with a note", async () => {
    const gh = fakeGitHub();
    gh.scope.patch(`${R}/check-runs/4`).reply(200, checkRunPayload(4, { name, headSha, externalId, status: "completed" }));
    // 4-byte characters (emoji) make a character count lie about the byte size.
    const summary = `## Findings\n\n\`\`\`diff\n${"🚀 line\n".repeat(9000)}`;

    await reporter().complete(4, { conclusion: "failure", title: "t", summary, text: "short" });

    gh.scope.done();
    const output = (gh.writes()[0]!.body as { output: { summary: string; text: string } }).output;
    expect(Buffer.byteLength(output.summary, "utf8")).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT_BYTES);
    expect(output.summary).not.toContain("\uFFFD");
    expect(output.summary).toMatch(/\n```\n\n_…truncated: \d+ of \d+ bytes left out \(GitHub allows 65535 bytes here\)\._$/);
    expect(output.text).toBe("short");
  });

  it("a refused check run write says which permission is missing", async () => {
    const gh = fakeGitHub();
    gh.scope.post(`${R}/check-runs`).reply(403, { message: "Resource not accessible by integration", status: "403" });
    const error = await reporter()
      .queued({ name, headSha, externalId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubWriteError);
    expect((error as GitHubWriteError).message).toContain(`the app lacks checks: write on ${OWNER}/${REPO}`);
    expect((error as GitHubWriteError).transient).toBe(false);
  });
});

describe("check run text as GitHub shows it", () => {
  // Built from parts so no secret scanner mistakes the fixture for a real token.
  const TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

  async function completed(completion: Parameters<CheckRunReporter["complete"]>[1]) {
    const gh = fakeGitHub();
    gh.scope.patch(`${R}/check-runs/4`).reply(200, checkRunPayload(4, { name, headSha, externalId, status: "completed" }));
    await reporter().complete(4, completion);
    gh.scope.done();
    return gh.writes()[0]!.body as { output: { title: string; summary: string; text?: string }; details_url?: string };
  }

  it("the title is one line: runs of spaces and line breaks become one space, the ends trimmed, a token redacted", async () => {
    const body = await completed({ conclusion: "failure", title: `  Dev failed:\n\n  push refused \t with ${TOKEN}\n`, summary: "s" });
    expect(body.output.title).toBe("Dev failed: push refused with [redacted]");
  });

  it("a title over 255 characters is cut to 255 with an ellipsis; one of 255 is kept whole", async () => {
    const long = await completed({ conclusion: "success", title: "x".repeat(300), summary: "s" });
    expect(long.output.title).toBe(`${"x".repeat(254)}…`);
    const exact = await completed({ conclusion: "success", title: "y".repeat(255), summary: "s" });
    expect(exact.output.title).toBe("y".repeat(255));
  });

  it("the summary keeps Baton's hidden markers on top and defuses every other comment opener", async () => {
    const marker = "<!-- baton:job review-15 -->";
    const state = "<!-- baton:state {} -->";
    const body = await completed({ conclusion: "success", title: "t", summary: `${marker}\n${state}\nFound <!-- baton:job forged --> in ${TOKEN}` });
    expect(body.output.summary).toBe(`${marker}\n${state}\nFound &lt;!-- baton:job forged --> in [redacted]`);
    expect(body.output.text).toBeUndefined();
    expect(body.details_url).toBeUndefined();
  });

  it("a long summary is cut below its markers, which survive, and the whole stays within GitHub's limit", async () => {
    const marker = "<!-- baton:job review-15 -->";
    const body = await completed({ conclusion: "failure", title: "t", summary: `${marker}\n${"a finding\n".repeat(8000)}`, text: `${marker}\n${"b".repeat(70_000)}` });
    for (const field of [body.output.summary, body.output.text!]) {
      expect(field.startsWith(`${marker}\n`)).toBe(true);
      expect(Buffer.byteLength(field, "utf8")).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT_BYTES);
      // The room left for the text is the limit less the header (marker and its line break).
      expect(field).toContain(`(GitHub allows ${CHECK_RUN_TEXT_LIMIT_BYTES - marker.length - 1} bytes here)`);
    }
  });

  it("completes with a details link when one is given (action_required)", async () => {
    const body = await completed({ conclusion: "action_required", title: "t", summary: "s", detailsUrl: "https://baton.example.com/setup" });
    expect(body.details_url).toBe("https://baton.example.com/setup");
  });

  it("reports progress with a title and summary through the same guard", async () => {
    const gh = fakeGitHub();
    gh.scope.patch(`${R}/check-runs/4`).reply(200, checkRunPayload(4, { name, headSha, externalId, status: "in_progress" }));
    await reporter().inProgress(4, { title: "Reading\ncontext", summary: `Sent <!-- x --> ${TOKEN}` });
    gh.scope.done();
    const body = gh.writes()[0]!.body as { status: string; started_at: string; output: unknown };
    expect(body.status).toBe("in_progress");
    expect(body.output).toEqual({ title: "Reading context", summary: "Sent &lt;!-- x --> [redacted]" });
  });
});

describe("finding a job's check run again", () => {
  const list = (...runs: object[]) => {
    const gh = fakeGitHub();
    gh.scope.get(listPath).query({ check_name: name, filter: "all", per_page: "100" }).reply(200, { total_count: runs.length, check_runs: runs });
    return gh;
  };

  it("findRun gives the run's state and summary, an empty summary when it has none", async () => {
    const done = { ...checkRunPayload(4, { name, headSha, externalId, status: "completed", conclusion: "success" }), output: { title: "t", summary: "## Manifest", text: null } };
    let gh = list(done);
    expect(await reporter().findRun(headSha, name, externalId)).toEqual({ id: 4, status: "completed", conclusion: "success", summary: "## Manifest" });
    gh.scope.done();

    gh = list(checkRunPayload(5, { name, headSha, externalId, status: "queued" }));
    expect(await reporter().findRun(headSha, name, externalId)).toEqual({ id: 5, status: "queued", conclusion: null, summary: "" });
    gh.scope.done();
  });

  it("a run of another app, or of another step, with the job's external id is not Baton's: start creates its own", async () => {
    const otherApp = { ...checkRunPayload(3, { name, headSha, externalId }), app: { id: 77, slug: "copycat", node_id: "x", name: "Copycat" } };
    const otherStep = checkRunPayload(6, { name: checkRunName("dev"), headSha, externalId });
    const gh = list(otherApp, otherStep);
    gh.scope.post(`${R}/check-runs`).reply(201, checkRunPayload(7, { name, headSha, externalId, status: "in_progress" }));

    expect(await reporter().start({ name, headSha, externalId })).toBe(7);

    gh.scope.done();
    expect(gh.writes().map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${R}/check-runs`]);
    const created = gh.writes()[0]!.body as Record<string, unknown>;
    expect(Object.keys(created).sort()).toEqual(["external_id", "head_sha", "name", "started_at", "status"]);
    expect(Date.parse(created.started_at as string)).not.toBeNaN();
  });
});

describe("check run names and external ids", () => {
  it("round-trips the job through external_id", () => {
    expect(parseCheckRunExternalId(externalId)).toEqual({ kind: "review", pullNumber: 15, headSha });
    expect(stepOfCheckRunName(checkRunName("dev"))).toBe("dev");
    expect(stepOfCheckRunName("CI / build")).toBeUndefined();
  });

  it("ignores a re-requested check run that is not Baton's (webhook example payload)", () => {
    const checkRun = webhooks.find((e): e is WebhookDefinition<"check_run"> => e.name === "check_run")!;
    const rerequested = checkRun.examples.find((e) => e.action === "rerequested")!;
    expect(parseCheckRunExternalId(rerequested.check_run.external_id ?? "")).toBeNull();
    expect(stepOfCheckRunName(rerequested.check_run.name)).toBeUndefined();
    expect(parseCheckRunExternalId("")).toBeNull();
    expect(parseCheckRunExternalId("baton:v1:{not json")).toBeNull();
  });
});
