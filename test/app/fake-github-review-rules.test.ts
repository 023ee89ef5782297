import { createSign, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHubServer } from "../../scripts/loopback/fake-github-server.js";
import { FakeGitHub } from "./fixtures/fake-github.js";

/**
 * GitHub's rules for inline review comments, as both fakes apply them (one
 * rule, `reviewCommentProblem` in test/support/fake-github/unified-diff.ts):
 * `line` in the diff on its side; a multi-line comment's `start_line` before
 * `line`, on the same side, in the same hunk. Anything else fails the whole
 * review with 422, so a review Baton posts that GitHub would refuse fails in
 * the tests (nock fake) and in the loopback run (HTTP fake) alike.
 */

const OWNER = "acme";
const REPO = "widgets";
/** 30 lines; the pull request changes lines 3 and 26: two hunks, new-side lines 1–6 and 23–29. */
const BEFORE = Array.from({ length: 30 }, (_, i) => `export const v${i + 1} = ${i + 1};`).join("\n") + "\n";
const AFTER = BEFORE.replace("export const v3 = 3;", "export const v3 = 33;").replace("export const v26 = 26;", "export const v26 = 2626;");
const PATH = "src/values.ts";

interface Case {
  what: string;
  comment: { line: number; side?: string; start_line?: number; start_side?: string };
  /** null: accepted; else the message GitHub gives. */
  refusal: string | null;
}

const CASES: Case[] = [
  { what: "one line in the diff", comment: { line: 3 }, refusal: null },
  { what: "a range within one hunk", comment: { start_line: 2, line: 5 }, refusal: null },
  { what: "a range on the right side, said twice", comment: { start_line: 24, start_side: "RIGHT", line: 26, side: "RIGHT" }, refusal: null },
  { what: "a line outside the diff", comment: { line: 15 }, refusal: "Line could not be resolved" },
  { what: "a range that ends where it starts", comment: { start_line: 4, line: 4 }, refusal: "pull_request_review_thread.start_line must precede the end line." },
  { what: "a range that ends before it starts", comment: { start_line: 5, line: 2 }, refusal: "pull_request_review_thread.start_line must precede the end line." },
  { what: "a range across the two hunks", comment: { start_line: 5, line: 26 }, refusal: "pull_request_review_thread.start_line must be part of the same hunk as the line." },
  { what: "a range starting outside the diff", comment: { start_line: 12, line: 26 }, refusal: "pull_request_review_thread.start_line must be part of the diff." },
  { what: "a range across sides", comment: { start_line: 2, start_side: "LEFT", line: 5 }, refusal: "pull_request_review_thread.start_side must be the same as side." },
];

type Outcome = { status: number; message: string };

/** Posts one review with one inline comment; the status and, on a refusal, GitHub's error messages. */
async function postReview(octokit: Octokit, pullNumber: number, commitId: string, comment: Case["comment"]): Promise<Outcome> {
  try {
    const res = await octokit.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: pullNumber, commit_id: commitId, event: "COMMENT", body: "review", comments: [{ path: PATH, body: "note", ...comment }] });
    return { status: res.status, message: "" };
  } catch (err) {
    const e = err as { status: number; response?: { data?: { errors?: unknown[] } } };
    return { status: e.status, message: JSON.stringify(e.response?.data?.errors ?? []) };
  }
}

function expectOutcome(outcome: Outcome, c: Case): void {
  if (c.refusal === null) expect(outcome, c.what).toEqual({ status: 200, message: "" });
  else {
    expect(outcome.status, c.what).toBe(422);
    expect(outcome.message, c.what).toContain(c.refusal);
  }
}

describe("inline review comments on the nock fake GitHub", () => {
  let github: FakeGitHub;
  afterEach(() => github.stop());

  it.each(CASES)("$what", async (c) => {
    github = new FakeGitHub().start();
    const base = github.commit({ [PATH]: BEFORE }, "Initial commit");
    github.setBranch(github.defaultBranch, base);
    const head = github.commitOnto(base, { [PATH]: AFTER }, "Change two values");
    github.addPull({ number: 7, title: "Change two values", body: "", headRef: "values", headSha: head, baseSha: base, files: [], filesFromGit: true });

    expectOutcome(await postReview(new Octokit({ auth: "ghs_test", request: { retries: 0 } }), 7, head, c.comment), c);
    expect(github.reviews).toHaveLength(c.refusal === null ? 1 : 0);
    if (c.refusal === null) expect(github.reviews[0]!.comments[0]).toMatchObject(c.comment);
  });
});

describe("inline review comments on the loopback fake GitHub (over HTTP)", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let server: FakeGitHubServer;
  let octokit: Octokit;
  let head = "";

  /** The app's JWT, RS256, as Probot signs it. */
  function appJwt(appId: number): string {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 300, iss: appId })}`;
    return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url")}`;
  }

  beforeAll(async () => {
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
    server = await new FakeGitHubServer({ owner: OWNER, repo: REPO, appPublicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), log: () => undefined }).start();
    const base = server.commitFiles({ [PATH]: BEFORE }, "Initial commit");
    server.setBranch("main", base);
    head = server.commitFiles({ [PATH]: AFTER }, "Change two values", [base]);
    server.setBranch("values", head);
    const app = new Octokit({ baseUrl: server.apiUrl, auth: appJwt(server.appId), request: { retries: 0 } });
    const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: server.installationId });
    octokit = new Octokit({ baseUrl: server.apiUrl, auth: data.token, request: { retries: 0 } });
    const pull = await octokit.rest.pulls.create({ owner: OWNER, repo: REPO, head: "values", base: "main", title: "Change two values" });
    expect(pull.data.number).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await server?.stop();
    nock.disableNetConnect();
  });

  it.each(CASES)("$what", async (c) => {
    const before = server.reviews.length;
    const number = [...server.pulls.keys()][0]!;

    expectOutcome(await postReview(octokit, number, head, c.comment), c);
    expect(server.reviews.length - before).toBe(c.refusal === null ? 1 : 0);
    if (c.refusal === null) expect(server.reviews.at(-1)!.comments[0]).toMatchObject(c.comment);
    expect(server.unmatched).toEqual([]);
  });
});
