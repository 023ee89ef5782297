import { describe, expect, it } from "vitest";
import { runAction } from "../../src/action/run-action.js";
import { SUMMARY_MARKER } from "../../src/steps/review/review-state.js";
import { Claude } from "../local/fixtures/claude.js";
import { ADR_GUIDANCE_PHRASE, ADR_PATH, ADR_TEXT, FINDING_LINE, PITFALL_PHRASE, PITFALLS_PATH } from "../local/fixtures/temp-repo.js";
import { BASE_FILES, blobSha, CHECK_RUN_ID, example, FINDING, HEAD_SHA, pullRequestOpened, R, useActionGitHub, type Json } from "./fixtures/action-github.js";

/**
 * The GitHub Action end to end: a real `pull_request.opened` payload in
 * GITHUB_EVENT_PATH, the workflow's token, GitHub and Anthropic faked at the
 * network edge with the payloads their APIs return. What the review posts
 * proves the Action runs the hosted app's router, runner and writer.
 */

describe("runAction (the GitHub Action)", () => {
  const { seen, unmatched, logs, log, env, configContent, reviewRoutes } = useActionGitHub();

  it("pull_request.opened: one review with the inline comment, the summary comment, a completed check run", async () => {
    const payload = pullRequestOpened();
    const number: number = payload.number;
    const claude = new Claude()
      .answers({
        name: "submit_review",
        input: { summary: "Adds `listUsers`.", specCompliance: [], adrConformance: [{ adr: "ADR 1", status: "deviates", note: "src/api/users.ts:7 skips the validator." }], findings: [FINDING] },
      })
      // The high finding is verified before it is posted.
      .answers({ name: "verify_findings", input: { verdicts: [] } });

    const counts = reviewRoutes(payload);

    const code = await runAction({ env: env("pull_request", payload), sleep: async () => {}, log, throttle: false });

    expect(logs.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(unmatched).toEqual([]);
    expect(code).toBe(0);
    expect(claude.isDone()).toBe(true);
    expect(counts.graphqlCalls).toBeGreaterThan(0);

    // Claude was sent the base's ADR guidance and pitfalls, and the PR's diff.
    const sent = claude.sentText(0);
    expect(sent).toContain(ADR_GUIDANCE_PHRASE);
    expect(sent).toContain(PITFALL_PHRASE);
    expect(sent).toMatch(/ 9 \+ {2}return rows\.filter\(\(u\) => u\.tenant === tenant\);/);

    // The config was read from the default branch; what a user sees happens in this order:
    // the check run appears (queued, then in progress), the review and the summary, then the check run completes.
    expect(seen[0]).toMatchObject({ method: "GET", path: `${R}/contents/.github/baton.yml` });
    const writes = seen.filter((s) => s.method !== "GET").map((s) => `${s.method} ${s.path.replace(R, "")}${s.method === "PATCH" ? ` ${(s.body as Json).status}` : ""}`);
    expect(writes).toEqual([`POST /check-runs`, `PATCH /check-runs/${CHECK_RUN_ID} in_progress`, `POST /pulls/${number}/reviews`, `POST /issues/${number}/comments`, `PATCH /check-runs/${CHECK_RUN_ID} completed`]);

    // ONE review, on the head commit, with the finding inline on its diff line.
    const reviews = seen.filter((s) => s.method === "POST" && s.path.endsWith("/reviews"));
    expect(reviews).toHaveLength(1);
    const review = reviews[0]!.body as Json;
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: "COMMENT" });
    expect(review.body).toContain(`<!-- baton:review ${HEAD_SHA} -->`);
    expect(review.comments).toEqual([{ path: "src/api/users.ts", line: FINDING_LINE, side: "RIGHT", body: expect.stringContaining(FINDING.title) }]);
    expect(review.comments[0].body).toContain(FINDING.body);

    // The summary comment, found again next time by its marker.
    const comment = seen.find((s) => s.method === "POST" && s.path.endsWith("/comments"))!.body as Json;
    expect(comment.body).toContain(SUMMARY_MARKER);
    expect(comment.body).toContain("## Baton review");
    expect(comment.body).toContain(`\`src/api/users.ts:${FINDING_LINE}\` **${FINDING.title}**`);
    expect(comment.body).toContain(`${ADR_PATH}@${blobSha(ADR_TEXT)}`);

    // The check run: queued on the head commit, in progress, completed with the manifest.
    const created = seen.find((s) => s.method === "POST" && s.path.endsWith("/check-runs"))!.body as Json;
    expect(created).toMatchObject({ name: "Baton: review", head_sha: HEAD_SHA, status: "queued" });
    expect(created.external_id).toMatch(/^baton:v1:/);
    const patches = seen.filter((s) => s.method === "PATCH").map((s) => s.body as Json);
    expect(patches[0]).toMatchObject({ status: "in_progress" });
    expect(patches[1]).toMatchObject({ status: "completed", conclusion: "success", output: { title: "1 new finding (1 high) on 1 file, 1 open" } });
    expect(patches[1]!.output.summary).toContain("review on #" + number + ": created, 1 inline comments");
    expect(patches[1]!.output.summary).toContain(`${PITFALLS_PATH}@${blobSha(BASE_FILES[PITFALLS_PATH]!)}`);
  }, 30_000);

  it("issues.labeled with a label that is not Baton's reads the config and does nothing else", async () => {
    const payload = example("issues", "labeled");
    expect(payload.label.name).toBe("bug");
    configContent();
    const claude = new Claude();

    const code = await runAction({ env: env("issues", payload), sleep: async () => {}, log, throttle: false });

    expect(code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(seen[0]).toMatchObject({ method: "GET", path: `${R}/contents/.github/baton.yml` });
    expect(seen.filter((s) => s.method !== "GET")).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(logs).toContain('info nothing for Baton in this event {"event":"issues"}');
  });

  it("pull_request.opened from a fork is skipped after the config read", async () => {
    const payload = pullRequestOpened();
    payload.pull_request.head.repo = { ...payload.repository, full_name: "mallory/widgets", owner: { ...payload.repository.owner, login: "mallory" } };
    configContent();

    const code = await runAction({ env: env("pull_request", payload), sleep: async () => {}, log, throttle: false });

    expect(code).toBe(0);
    expect(unmatched).toEqual([]);
    expect(seen[0]).toMatchObject({ method: "GET", path: `${R}/contents/.github/baton.yml` });
    expect(seen.filter((s) => s.method !== "GET")).toEqual([]);
    expect(logs.some((l) => l.includes("review skipped: pull request from a fork"))).toBe(true);
  });

  it("outside a workflow (no event), says what is missing and exits 2", async () => {
    const code = await runAction({ env: { GITHUB_TOKEN: "ghs_x" }, log });

    expect(code).toBe(2);
    expect(logs).toEqual([expect.stringContaining("GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set")]);
  });

  it("without a token, asks for github_token and exits 2", async () => {
    const e = env("pull_request", pullRequestOpened());
    delete e.GITHUB_TOKEN;

    const code = await runAction({ env: e, log });

    expect(code).toBe(2);
    expect(logs).toEqual([expect.stringContaining("no GitHub token")]);
    expect(seen).toEqual([]);
  });
});
