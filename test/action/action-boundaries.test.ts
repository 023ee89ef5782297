import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { runAction } from "../../src/action/run-action.js";
import { findingFingerprint, findingId, renderReviewState, SUMMARY_MARKER } from "../../src/steps/review/review-state.js";
import { Claude } from "../local/fixtures/claude.js";
import { FINDING_LINE } from "../local/fixtures/temp-repo.js";
import { API, example, FINDING, HEAD_SHA, HTML, pullRequestOpened, R, useActionGitHub, type Json } from "./fixtures/action-github.js";

/**
 * The Action's trust boundaries: whose comments hold Baton's hidden state
 * (the `bot_login` input), and a console log that a public repository's
 * workflow shows to anyone, redacted.
 */

describe("runAction: what the Action trusts and what it prints", () => {
  const { seen, logs, log, env, configContent, botUser, reviewRoutes } = useActionGitHub();

  describe("bot_login: Baton's hidden state is trusted only in comments by that account", () => {
    const appBot = { login: "baton-app[bot]", id: 149_000_001, node_id: "BOT_kgDOCOLhAQ", type: "Bot", site_admin: false };

    /** A summary comment holding a review state that says the finding was dismissed by a maintainer. */
    function summaryWithDismissal(author: Json): Json {
      const fingerprint = findingFingerprint(FINDING);
      const state = renderReviewState({
        lastReviewedSha: HEAD_SHA,
        findings: [{ id: findingId(fingerprint), fingerprint, path: FINDING.path, line: FINDING.line, code: FINDING.code, severity: "high", title: FINDING.title, status: "dismissed", sha: HEAD_SHA, closedBy: "maintainer" }],
      });
      return {
        id: 1_100_001,
        node_id: "IC_kwDOABCD0M5Ba0Eh",
        url: `${API}${R}/issues/comments/1100001`,
        html_url: `${HTML}/pull/1#issuecomment-1100001`,
        body: `${SUMMARY_MARKER}\n${state}\n## Baton review\n\nEarlier review.\n`,
        user: author,
        created_at: "2026-03-03T09:00:00Z",
        updated_at: "2026-03-03T09:00:00Z",
        author_association: "NONE",
      };
    }

    async function runReview(existing: Json[]) {
      const payload = pullRequestOpened();
      const claude = new Claude()
        .answers({ name: "submit_review", input: { summary: "Adds `listUsers`.", specCompliance: [], adrConformance: [], findings: [FINDING] } })
        .answers({ name: "verify_findings", input: { verdicts: [] } });
      reviewRoutes(payload, existing, appBot);
      const code = await runAction({ env: { ...env("pull_request", payload), INPUT_BOT_LOGIN: "baton-app[bot]" }, sleep: async () => {}, log, throttle: false });
      expect(logs.filter((l) => l.startsWith("error"))).toEqual([]);
      expect(code).toBe(0);
      const number: number = payload.number;
      const review = seen.find((w) => w.method === "POST" && w.path.endsWith(`/pulls/${number}/reviews`))?.body as Json;
      const writes = seen.filter((w) => w.method !== "GET").map((w) => `${w.method} ${w.path.replace(R, "")}`);
      return { review, writes, number, claude };
    }

    it("a dismissal in a comment by the workflow's account is not Baton's with bot_login set: the finding is posted, and Baton writes its own summary", async () => {
      const { review, writes, number, claude } = await runReview([summaryWithDismissal(botUser)]);

      // The review and the verification of its high finding: nothing was taken from the other account's state.
      expect(claude.requests).toHaveLength(2);
      expect(review.comments).toEqual([expect.objectContaining({ path: FINDING.path, line: FINDING_LINE, body: expect.stringContaining(FINDING.title) })]);
      expect(writes).toContain(`POST /issues/${number}/comments`);
      expect(writes).not.toContain("PATCH /issues/comments/1100001");
    }, 30_000);

    it("the same state in a comment by the bot_login account is Baton's: the dismissal holds, and that summary is updated in place", async () => {
      const { review, writes, number, claude } = await runReview([summaryWithDismissal(appBot)]);

      // The dismissed finding is not new: it is not verified again, nor commented on.
      expect(claude.requests).toHaveLength(1);
      expect(review?.comments ?? []).toEqual([]);
      expect(writes).toContain("PATCH /issues/comments/1100001");
      expect(writes).not.toContain(`POST /issues/${number}/comments`);
    }, 30_000);

    it("is the action input passed to Baton as INPUT_BOT_LOGIN", () => {
      const action = parseYaml(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as { inputs: Record<string, { required?: boolean }>; runs: { steps: { env?: Record<string, string> }[] } };
      expect(action.inputs.bot_login).toMatchObject({ required: false });
      expect(action.runs.steps.map((step) => step.env?.INPUT_BOT_LOGIN).filter(Boolean)).toEqual(["${{ inputs.bot_login }}"]);
    });
  });

  it("prints its log redacted: an error that quotes the token, the API key and the endpoint leaves none of them in the workflow's log", async () => {
    const token = `ghs_${"Zq9".repeat(12)}`;
    const apiKey = `sk-ant-api03-${"Pl4nted".repeat(5)}`;
    const endpoint = "https://planted-user:planted-pass@llm-gateway.corp.example/v1";
    const payload = example("issue_comment", "created");
    payload.comment.body = "/baton context";
    payload.issue.pull_request = undefined;
    const number: number = payload.issue.number;
    configContent();
    // GitHub answers the runner's first read with a message that echoes secrets, as a misconfigured proxy might.
    const planted = `Not Found: token ${token} has no access through ${endpoint} (key ${apiKey}); ask llm-gateway.corp.example`;
    // The commenter has write access: their command is not counted against the reply limit.
    const commenter: string = payload.comment.user.login;
    nock(API).get(`${R}/collaborators/${commenter}/permission`).reply(200, { permission: "write", role_name: "write", user: payload.comment.user });
    nock(API).get(`${R}`).reply(404, { message: planted, documentation_url: "https://docs.github.com/rest/repos/repos#get-a-repository", status: "404" });
    const posted: string[] = [];
    nock(API).get(`${R}/issues/${number}/comments`).query(true).reply(200, []);
    nock(API)
      .post(`${R}/issues/${number}/comments`)
      .reply(201, (_uri, body) => {
        posted.push((body as Json).body as string);
        return { id: 1_300_001, body: (body as Json).body, user: botUser, html_url: `${HTML}/issues/${number}#issuecomment-1300001` };
      });
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    const spies = [vi.spyOn(console, "log").mockImplementation(capture), vi.spyOn(console, "warn").mockImplementation(capture), vi.spyOn(console, "error").mockImplementation(capture)];
    // As in a workflow: action.yml hands the inputs to the process's environment, which is the Action's.
    const plantedEnv = { GITHUB_TOKEN: token, ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: endpoint };
    for (const [name, value] of Object.entries(plantedEnv)) vi.stubEnv(name, value);
    try {
      // No `log` given: the Action's own console log, as a workflow prints it.
      const code = await runAction({ env: { ...env("issue_comment", payload), ...plantedEnv }, sleep: async () => {}, throttle: false });
      expect(code).toBe(1);
    } finally {
      for (const spy of spies) spy.mockRestore();
      vi.unstubAllEnvs();
    }

    const log = printed.join("\n");
    expect(log).toContain("baton job failed");
    expect(log).toContain("Not Found: token [redacted]");
    for (const secret of [token, apiKey, "planted-pass", "planted-user", "llm-gateway.corp.example"]) expect(log, secret).not.toContain(secret);
    // The failure is also said on the issue, redacted the same way.
    expect(posted).toHaveLength(1);
    for (const secret of [token, apiKey, "planted-pass", "llm-gateway.corp.example"]) expect(posted[0], secret).not.toContain(secret);
  });

});
