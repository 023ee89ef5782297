import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import {
  checkRunName,
  createCheckRunReporter,
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
