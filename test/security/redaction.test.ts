/**
 * Audit item 5: secrets leak into public text.
 *
 * Baton is configured with an Anthropic-compatible endpoint whose URL holds
 * credentials (`ANTHROPIC_BASE_URL=https://user:pass@proxy.internal/...`).
 * The endpoint cannot be reached; after the retries, Baton reports the
 * failure on the check run and on the issue. Neither may carry the
 * credentials, the private host, or the API key; both must still say what
 * failed and what to do.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import { FakeGitHub } from "../app/fixtures/fake-github.js";
import { startApp } from "../app/fixtures/harness.js";
import { ISSUE_12, seedRepository } from "../app/fixtures/repo-state.js";
import { issueLabeled } from "../app/fixtures/webhooks.js";

const CREDENTIALS_URL = "https://baton-proxy:hunter2-Passw0rd@llm-gateway.corp.internal:8443/anthropic";
const PRIVATE_URL = "https://llm-gateway.corp.internal:8443/anthropic";
const API_KEY = "sk-ant-api03-PLANTEDplantedPLANTED0123456789abcdef";
const LEAKS = ["hunter2", "baton-proxy", "llm-gateway", "corp.internal", "PLANTED"];

describe("secrets in posted error text (audit 5)", () => {
  let github: FakeGitHub;
  const saved = process.env.ANTHROPIC_BASE_URL;

  beforeEach(() => {
    process.env.ANTHROPIC_API_KEY = API_KEY;
    github = new FakeGitHub().start();
    github.addIssue(ISSUE_12);
  });
  afterEach(() => {
    github.stop();
    if (saved === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = saved;
    delete process.env.ANTHROPIC_API_KEY;
  });

  // With credentials in the URL, fetch refuses to send the request; without, the private host refuses the connection.
  it.each([
    ["credentials in the URL", CREDENTIALS_URL],
    ["a private host", PRIVATE_URL],
  ])("a connection error to ANTHROPIC_BASE_URL (%s) reaches neither the check run nor the issue comment", async (_what, baseUrl) => {
    process.env.ANTHROPIC_BASE_URL = baseUrl;
    seedRepository(github);
    nock("https://llm-gateway.corp.internal:8443")
      .persist()
      .post(/.*/)
      .replyWithError({ code: "ECONNREFUSED", message: `connect ECONNREFUSED llm-gateway.corp.internal:8443 (key ${API_KEY})` });
    const app = await startApp({ instantRetries: true, model: createAnthropicModelClient({ maxRetries: 0 }) });

    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));

    expect(github.unmatched).toEqual([]);
    const run = github.checkRuns.find((c) => c.name === "Baton: architecture-review")!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    const comments = github.commentsOn(12);
    expect(comments).toHaveLength(1);
    for (const text of [run.output!.title, run.output!.summary, comments[0]!.body]) {
      for (const leak of LEAKS) expect(text, `${leak} in: ${text}`).not.toContain(leak);
    }
    // Still useful: what failed, and where the endpoint comes from.
    for (const text of [run.output!.summary, comments[0]!.body]) {
      expect(text).toContain("Anthropic request could not connect");
      expect(text).toContain("from ANTHROPIC_BASE_URL");
    }
    // Nothing written anywhere on GitHub holds a secret.
    for (const write of github.writes()) for (const leak of LEAKS) expect(JSON.stringify(write.body)).not.toContain(leak);
  });
});
