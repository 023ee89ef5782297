import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { parse as parseYaml } from "yaml";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/action/run-action.js";
import { findingFingerprint, findingId, renderReviewState, SUMMARY_MARKER } from "../../src/steps/review/review-state.js";
import { Claude } from "../local/fixtures/claude.js";
import { ADR_GUIDANCE_PHRASE, ADR_PATH, ADR_TEXT, BATON_YML, FINDING_LINE, PITFALL_PHRASE, PITFALLS_PATH, pitfallsText, USERS_TS } from "../local/fixtures/temp-repo.js";

/**
 * The GitHub Action end to end: a real `pull_request.opened` payload in
 * GITHUB_EVENT_PATH, the workflow's token, GitHub and Anthropic faked at the
 * network edge with the payloads their APIs return. What the review posts
 * proves the Action runs the hosted app's router, runner and writer.
 */

const require = createRequire(import.meta.url);
const API = "https://api.github.com";
const OWNER = "acme";
const REPO = "widgets";
const R = `/repos/${OWNER}/${REPO}`;
const HTML = `https://github.com/${OWNER}/${REPO}`;
const BASE_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
const HEAD_SHA = "c7d1b2e43f9a8e5d6b0a1c2d3e4f5a6b7c8d9e0f";
const CHECK_RUN_ID = 4_010_001;

const blobSha = (text: string) => createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest("hex");

/** The repository at the PR's base: config, one accepted ADR, the api pitfalls, the code. */
const BASE_FILES: Record<string, string> = {
  ".github/baton.yml": BATON_YML,
  [ADR_PATH]: ADR_TEXT,
  [PITFALLS_PATH]: pitfallsText(),
  "src/api/users.ts": USERS_TS,
  "src/db.ts": "export const db = { users: { find: async (id: string) => ({ id }), all: async () => [] as { tenant: string }[] } };\n",
  "README.md": "# widgets\n",
};
/** The PR's head: the same, with `listUsers` added (the review reads it to extend hunks to their function). */
const HEAD_FILES: Record<string, string> = {
  ...BASE_FILES,
  "src/api/users.ts": `${USERS_TS}\nexport async function listUsers(tenant: string) {\n  const rows = await db.users.all();\n  return rows.filter((u) => u.tenant === tenant);\n}\n`,
};
const BLOBS = new Map([...Object.values(BASE_FILES), ...Object.values(HEAD_FILES)].map((text) => [blobSha(text), text]));
const treeOf = (files: Record<string, string>, sha: string) => ({
  sha,
  url: `${API}${R}/git/trees/${sha}`,
  tree: Object.entries(files).map(([path, text]) => ({ path, mode: "100644", type: "blob", sha: blobSha(text), size: Buffer.byteLength(text), url: `${API}${R}/git/blobs/${blobSha(text)}` })),
  truncated: false,
});

const PATCH = `@@ -3,3 +3,8 @@ import { db } from "../db.js";
 export async function getUser(id: string) {
   return db.users.find(id);
 }
+
+export async function listUsers(tenant: string) {
+  const rows = await db.users.all();
+  return rows.filter((u) => u.tenant === tenant);
+}`;

const FINDING = {
  severity: "high",
  path: "src/api/users.ts",
  line: FINDING_LINE,
  code: "return rows.filter((u) => u.tenant === tenant);",
  confidence: 0.9,
  title: "Tenant filter trusts the caller's tenant argument",
  body: "Read the tenant from the session, as the api pitfalls say.",
  source: "pitfall:quokka-header",
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A webhook example from @octokit/webhooks-examples, moved to acme/widgets. */
function example(event: string, action: string): Json {
  const index = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Json[] }[];
  const found = index.find((e) => e.name === event)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return JSON.parse(JSON.stringify(found).replaceAll("Codertocat/Hello-World", `${OWNER}/${REPO}`).replaceAll('"Hello-World"', `"${REPO}"`).replaceAll('"Codertocat"', `"${OWNER}"`)) as Json;
}

function pullRequestOpened(): Json {
  const payload = example("pull_request", "opened");
  const pr = payload.pull_request;
  pr.title = "Add listUsers";
  pr.body = "Adds `listUsers` to the api module.";
  pr.draft = false;
  pr.labels = [];
  pr.additions = 40;
  pr.deletions = 0;
  pr.changed_files = 1;
  pr.head.sha = HEAD_SHA;
  pr.head.ref = "add-list-users";
  pr.head.label = `${OWNER}:add-list-users`;
  pr.head.repo = payload.repository;
  pr.base.sha = BASE_SHA;
  pr.base.ref = "main";
  pr.base.repo = payload.repository;
  payload.repository.default_branch = "main";
  return payload;
}

interface Seen {
  method: string;
  path: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("runAction (the GitHub Action)", () => {
  let dir: string;
  let seen: Seen[];
  let unmatched: string[];
  let logs: string[];
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "baton-action-"));
    seen = [];
    unmatched = [];
    logs = [];
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    rmSync(dir, { recursive: true, force: true });
  });

  const log = {
    info: (obj: Record<string, unknown>, msg: string) => logs.push(`info ${msg} ${JSON.stringify(obj)}`),
    warn: (obj: Record<string, unknown>, msg: string) => logs.push(`warn ${msg} ${JSON.stringify(obj)}`),
    error: (obj: Record<string, unknown>, msg: string) => logs.push(`error ${msg} ${JSON.stringify(obj)}`),
  };

  function env(eventName: string, payload: Json): NodeJS.ProcessEnv {
    const eventPath = join(dir, "event.json");
    writeFileSync(eventPath, JSON.stringify(payload));
    return {
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_TOKEN: "ghs_x",
      GITHUB_API_URL: API,
      GITHUB_RUN_ID: "9876543210",
      GITHUB_RUN_ATTEMPT: "1",
      ANTHROPIC_API_KEY: "test",
    };
  }

  /** One expected GitHub request: recorded with its body, answered with `reply`. */
  function github(method: "GET" | "POST" | "PATCH", path: string, status: number, reply: (body: Json) => unknown) {
    return nock(API, { reqheaders: { authorization: "token ghs_x" } })
      .intercept((p) => decodeURIComponent(p.split("?")[0]!) === path, method)
      .reply(function (uri, body) {
        const parsed = (typeof body === "string" && body ? JSON.parse(body) : body) as Json;
        seen.push({ method, path: decodeURIComponent(uri), body: parsed });
        return [status, reply(parsed) as nock.Body, { "content-type": "application/json; charset=utf-8", "x-github-request-id": "CAFE:1234:5678" }];
      });
  }

  function configContent() {
    return github("GET", `${R}/contents/.github/baton.yml`, 200, () => ({
      type: "file",
      encoding: "base64",
      size: Buffer.byteLength(BATON_YML),
      name: "baton.yml",
      path: ".github/baton.yml",
      content: `${Buffer.from(BATON_YML).toString("base64").replace(/(.{60})/g, "$1\n")}\n`,
      sha: blobSha(BATON_YML),
      url: `${API}${R}/contents/.github/baton.yml?ref=main`,
      git_url: `${API}${R}/git/blobs/${blobSha(BATON_YML)}`,
      html_url: `${HTML}/blob/main/.github/baton.yml`,
      download_url: `https://raw.githubusercontent.com/${OWNER}/${REPO}/main/.github/baton.yml`,
      _links: { self: `${API}${R}/contents/.github/baton.yml?ref=main`, git: `${API}${R}/git/blobs/${blobSha(BATON_YML)}`, html: `${HTML}/blob/main/.github/baton.yml` },
    }));
  }

  function checkRun(status: string, conclusion: string | null, output: Json = { title: null, summary: null, text: null, annotations_count: 0, annotations_url: "" }) {
    return {
      id: CHECK_RUN_ID,
      node_id: "CR_kwDOABCD0M8AAAAB",
      head_sha: HEAD_SHA,
      external_id: "",
      url: `${API}${R}/check-runs/${CHECK_RUN_ID}`,
      html_url: `${HTML}/runs/${CHECK_RUN_ID}`,
      details_url: `${HTML}/runs/${CHECK_RUN_ID}`,
      status,
      conclusion,
      started_at: "2026-03-04T10:00:00Z",
      completed_at: conclusion ? "2026-03-04T10:01:00Z" : null,
      output,
      name: "Baton: review",
      check_suite: { id: 5_001 },
      app: { id: 15368, slug: "github-actions", name: "GitHub Actions" },
      pull_requests: [],
    };
  }

  const botUser = { login: "github-actions[bot]", id: 41898282, node_id: "MDM6Qm90NDE4OTgyODI=", type: "Bot", site_admin: false };

  /**
   * GitHub as a review of `payload` meets it: the config, the PR, the trees
   * and blobs, the check run, the diff, and the writes. `existing`: the PR's
   * comments before the run (a summary Baton wrote earlier, or a forgery).
   */
  function reviewRoutes(payload: Json, existing: Json[] = [], writer: Json = botUser) {
    const number: number = payload.number;
    // The router reads the config from the default branch.
    configContent();
    // The runner: the PR as it is now, then the trusted context at its base.
    github("GET", `${R}/pulls/${number}`, 200, () => payload.pull_request);
    // The base branch as it is now (the PR's base.sha is its tip when the PR was opened).
    github("GET", `${R}/git/ref/heads/main`, 200, () => ({ ref: "refs/heads/main", node_id: "MDM6UmVm", url: `${API}${R}/git/refs/heads/main`, object: { type: "commit", sha: BASE_SHA, url: `${API}${R}/git/commits/${BASE_SHA}` } }));
    github("GET", `${R}/git/trees/${BASE_SHA}`, 200, () => treeOf(BASE_FILES, "9c6e5f8a1b2c3d4e5f60718293a4b5c6d7e8f901"));
    github("GET", `${R}/git/trees/${HEAD_SHA}`, 200, () => treeOf(HEAD_FILES, "0b1c2d3e4f5a69788796a5b4c3d2e1f0a9b8c7d6"));
    const counts = { graphqlCalls: 0 };
    nock(API)
      .post("/graphql")
      .times(10)
      .reply(200, (_uri, body) => {
        counts.graphqlCalls++;
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        expect(query).toMatch(/^query BatonBlobs\(/);
        expect(variables).toMatchObject({ owner: OWNER, name: REPO });
        const repository: Record<string, unknown> = {};
        for (const [k, sha] of Object.entries(variables)) {
          if (!/^o\d+$/.test(k)) continue;
          const text = BLOBS.get(sha);
          repository[`f${k.slice(1)}`] = text === undefined ? null : { text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
        }
        return { data: { repository } };
      });
    // The check run: none yet on this commit, created queued, then in progress.
    github("GET", `${R}/commits/${HEAD_SHA}/check-runs`, 200, () => ({ total_count: 0, check_runs: [] }));
    github("POST", `${R}/check-runs`, 201, () => checkRun("queued", null));
    github("PATCH", `${R}/check-runs/${CHECK_RUN_ID}`, 200, () => checkRun("in_progress", null));
    // Previous state (none) and the diff.
    github("GET", `${R}/issues/${number}/comments`, 200, () => existing);
    github("GET", `${R}/pulls/${number}/files`, 200, () => [
      {
        sha: blobSha("changed"),
        filename: "src/api/users.ts",
        status: "modified",
        additions: 5,
        deletions: 0,
        changes: 5,
        blob_url: `${HTML}/blob/${HEAD_SHA}/src%2Fapi%2Fusers.ts`,
        raw_url: `${HTML}/raw/${HEAD_SHA}/src%2Fapi%2Fusers.ts`,
        contents_url: `${API}${R}/contents/src%2Fapi%2Fusers.ts?ref=${HEAD_SHA}`,
        patch: PATCH,
      },
    ]);
    // The writer: no review by Baton yet, post one; no summary yet, post it; complete the check run.
    github("GET", `${R}/pulls/${number}/reviews`, 200, () => []);
    github("POST", `${R}/pulls/${number}/reviews`, 200, (body: Json) => ({
      id: 80,
      node_id: "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
      user: writer,
      body: body.body,
      state: "COMMENTED",
      html_url: `${HTML}/pull/${number}#pullrequestreview-80`,
      pull_request_url: `${API}${R}/pulls/${number}`,
      author_association: "NONE",
      _links: { html: { href: `${HTML}/pull/${number}#pullrequestreview-80` }, pull_request: { href: `${API}${R}/pulls/${number}` } },
      submitted_at: "2026-03-04T10:00:40Z",
      commit_id: HEAD_SHA,
    }));
    github("GET", `${R}/issues/${number}/comments`, 200, () => existing);
    github("POST", `${R}/issues/${number}/comments`, 201, (body: Json) => ({
      id: 1_200_001,
      node_id: "IC_kwDOABCD0M5HhQ1h",
      url: `${API}${R}/issues/comments/1200001`,
      html_url: `${HTML}/pull/${number}#issuecomment-1200001`,
      body: body.body,
      user: writer,
      created_at: "2026-03-04T10:00:41Z",
      updated_at: "2026-03-04T10:00:41Z",
      issue_url: `${API}${R}/issues/${number}`,
      author_association: "NONE",
    }));
    // Or, when Baton's own summary is there, it is updated in place.
    for (const c of existing) github("PATCH", `${R}/issues/comments/${c.id}`, 200, (body: Json) => ({ ...c, body: body.body, updated_at: "2026-03-04T10:00:41Z" }));
    github("PATCH", `${R}/check-runs/${CHECK_RUN_ID}`, 200, (body: Json) => checkRun("completed", body.conclusion, body.output));
    // No "context changed" flag on this commit to settle.
    github("GET", `${R}/commits/${HEAD_SHA}/check-runs`, 200, () => ({ total_count: 0, check_runs: [] }));

    return counts;
  }

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
