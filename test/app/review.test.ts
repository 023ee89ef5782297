import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub, rightSideLines, type PullFile } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, ISSUE_12, repositoryFiles, seedRepository, USERS_TS } from "./fixtures/repo-state.js";
import { pullRequestEvent } from "./fixtures/webhooks.js";

/** The pull request's head, then the push after the first review: real commits of the fake (set in beforeEach). */
let HEAD_1 = "";
let HEAD_2 = "";
const USERS_AT_HEAD_1 = `${USERS_TS}\nexport async function searchUsers(query: string, limit: number) {\n  // TODO: clamp\n  return db.users.search(query, limit);\n}\n\nexport const PAGE = 100;\n`;
const USERS_AT_HEAD_2 = USERS_AT_HEAD_1.replace("db.users.search(query, limit)", "db.users.search(query, Math.min(limit, 50))");
const SUMMARY_MARKER = "<!-- baton:review-summary pr -->";

const USERS_PATCH = [
  "@@ -1,5 +1,12 @@",
  ' import { db } from "../db.js";',
  " ",
  " export async function getUser(id: string) {",
  "   return db.users.find(id);",
  " }",
  "+",
  "+export async function searchUsers(query: string, limit: number) {",
  "+  // TODO: clamp",
  "+  return db.users.search(query, limit);",
  "+}",
  "+",
  "+export const PAGE = 100;",
].join("\n");

/** The push after the first review: only line 10 changes. */
const PUSH_PATCH = [
  "@@ -8,4 +8,4 @@",
  " export async function searchUsers(query: string, limit: number) {",
  "   // TODO: clamp",
  "-  return db.users.search(query, limit);",
  "+  return db.users.search(query, Math.min(limit, 50));",
  " }",
].join("\n");

const WHOLE_PATCH_AFTER_PUSH = USERS_PATCH.replace("db.users.search(query, limit)", "db.users.search(query, Math.min(limit, 50))");

const FIRST_REVIEW = {
  summary: "Adds a user search to the api module; the limit is not clamped as the ADR and pitfalls require.",
  specCompliance: [{ requirement: "GET /users?query= returns at most 50 users", status: "partial", evidence: "src/api/users.ts:10 passes limit through" }],
  adrConformance: [{ adr: "ADR 1", status: "conforms", note: "no error paths changed" }],
  findings: [
    {
      severity: "high",
      path: "src/api/users.ts",
      line: 10,
      code: "return db.users.search(query, limit);",
      confidence: 0.9,
      title: "Search limit is not clamped",
      body: "Clamp `limit` to 50 before querying.",
      suggestion: "  return db.users.search(query, Math.min(limit, 50));",
      source: "pitfall:Clamp pagination parameters",
    },
    // Its code is not in the diff: dropped, and counted.
    { severity: "low", path: "src/api/users.ts", line: 40, code: "export function oldHelper() {", confidence: 0.6, title: "Old helper has no tests", body: "Consider a test.", source: "general" },
  ],
};

const SECOND_REVIEW = {
  summary: "The limit is now clamped, with a literal.",
  specCompliance: [{ requirement: "GET /users?query= returns at most 50 users", status: "met", evidence: "src/api/users.ts:10" }],
  adrConformance: [{ adr: "ADR 1", status: "conforms", note: "" }],
  findings: [
    // Reported on the first push, quoting code the push changed: dropped whatever the model says.
    { severity: "high", path: "src/api/users.ts", line: 10, code: "return db.users.search(query, limit);", confidence: 0.9, title: "Search limit is not clamped", body: "Still?", source: "pitfall:Clamp pagination parameters" },
    { severity: "medium", path: "src/api/users.ts", line: 10, code: "Math.min(limit, 50)", confidence: 0.8, title: "Magic number 50 duplicates the spec limit", body: "Name the constant.", source: "general" },
  ],
};

function pullSpec(headSha: string) {
  return { number: 15, title: "Add user search", body: "Closes #12\n\nAdds `searchUsers`.", headRef: "feature/search", headSha, additions: 7, deletions: 0 };
}

describe("review, end to end", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles({ adr: { status: "accepted", spec: "#12" } }));
    HEAD_1 = github.commitOnto(main, { "src/api/users.ts": USERS_AT_HEAD_1 }, "Add searchUsers");
    HEAD_2 = github.commitOnto(HEAD_1, { "src/api/users.ts": USERS_AT_HEAD_2 }, "Clamp the search limit");
    github.addIssue({ ...ISSUE_12, labels: ["ready-for-dev"] });
  });
  afterEach(() => github.stop());

  function openPull(files: PullFile[] = [{ filename: "src/api/users.ts", status: "modified", patch: USERS_PATCH }]) {
    const spec = pullSpec(HEAD_1);
    github.addPull({ ...spec, baseSha: main, files });
    return pullRequestEvent("opened", { ...spec, baseSha: main });
  }

  it("reviews a pull request against the spec, the ADR and the module's pitfalls: one review, one summary, one check run", async () => {
    claude.answersWithTool("submit_review", FIRST_REVIEW).answersWithTool("verify_findings", { verdicts: [{ id: "ignored", verdict: "confirmed", reason: "r" }] });
    const app = await startApp();

    await app.deliver("pull_request", openPull());

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);

    // What Claude was sent: the issue the PR closes, the ADR and its guidance, the pitfalls of `api`, the numbered diff.
    const request = claude.requests[0]!;
    // Native structured output: the review's schema in output_config, findings first.
    expect(Object.keys(request.output_config!.format!.schema.properties as object)).toEqual(["findings", "resolved", "specCompliance", "adrConformance", "summary"]);
    const sent = claude.openingText();
    expect(sent).toMatch(/<untrusted label="issue #12">[\s\S]*GET \/users\?query=/);
    expect(sent).toContain(`<adr path="${ADR_PATH}">`);
    // The linked ADR carries its own module guidance: sent once, inside the ADR, not again as a guidance block.
    expect(sent).not.toContain('<guidance module="api" adr="docs/adr/0001');
    // The ADR is sent once, its subsections not repeated.
    const adrBlock = /<adr path="[^"]+">[\s\S]*?<\/adr>/.exec(sent)![0];
    expect(adrBlock.match(/### api/g)).toHaveLength(1);
    expect(adrBlock.match(/### Consequences/g)).toHaveLength(1);
    expect(sent).toMatch(/<pitfalls module="api" path="docs\/pitfalls\/api\.md">[\s\S]*Clamp pagination parameters/);
    expect(sent).toMatch(new RegExp(`<untrusted label="diff ${main.slice(0, 12)}..${HEAD_1.slice(0, 12)}">[\\s\\S]*### src/api/users.ts[\\s\\S]*db\\.users\\.search\\(query, limit\\)`));
    expect(sent).not.toContain("already-reported");

    // Exactly one review, on the head commit, inline only on lines of the patch.
    const reviewPosts = github.writes().filter((w) => w.method === "POST" && w.path.endsWith("/pulls/15/reviews"));
    expect(reviewPosts).toHaveLength(1);
    expect(github.reviews).toHaveLength(1);
    const review = github.reviews[0]!;
    expect(review.commitId).toBe(HEAD_1);
    expect(review.event).toBe("COMMENT");
    const commentable = rightSideLines(USERS_PATCH);
    expect(review.comments.length).toBeGreaterThan(0);
    for (const c of review.comments) {
      expect(c.path).toBe("src/api/users.ts");
      expect(commentable.has(c.line)).toBe(true);
    }
    // The model said line 10; the code it quoted is on line 9, where the comment goes.
    expect(review.comments.map((c) => c.line)).toEqual([9]);
    expect(review.comments[0]!.body).toContain("Search limit is not clamped");
    expect(review.comments[0]!.body).toContain("```suggestion\n  return db.users.search(query, Math.min(limit, 50));\n```");
    // The finding whose code is not in the diff is not posted; the check run says so.
    expect(review.body).not.toContain("Old helper has no tests");
    expect(github.checkRuns[0]!.output?.summary).toContain("1 finding whose quoted code is not in the diff: dropped.");
    // The high finding was verified before it was posted, on the same cached prefix.
    expect(Object.keys(claude.requests[1]!.output_config!.format!.schema.properties as object)).toEqual(["verdicts"]);
    expect(claude.requests[1]!.system).toEqual(claude.requests[0]!.system);

    // The summary comment, found again later by its hidden marker.
    const comments = github.commentsOn(15);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(SUMMARY_MARKER);
    expect(comments[0]!.body).toContain("## Baton review");
    expect(comments[0]!.body).toContain("### Spec compliance");
    expect(comments[0]!.body).toContain("Context manifest");

    // The check run on the PR's head, completed.
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ name: "Baton: review", headSha: HEAD_1, status: "completed", conclusion: "success" });
    expect(github.checkRuns[0]!.output?.title).toBe("1 new finding (1 high) on 1 file, 1 open");
    expect(github.checkRuns[0]!.output?.summary).toContain("Context manifest: review");
  });

  it("on a new push, reviews only the changes since the last review and updates the summary in place", async () => {
    claude
      .answersWithTool("submit_review", FIRST_REVIEW)
      .answersWithTool("verify_findings", { verdicts: [] })
      .answersWithTool("submit_review", SECOND_REVIEW);
    const app = await startApp();
    await app.deliver("pull_request", openPull());
    const summary = github.commentsOn(15)[0]!;
    const writesBefore = github.writes().length;

    // The push: the PR moves to HEAD_2; GitHub's compare API knows the incremental diff.
    const pr = github.pulls.get(15)!;
    pr.headSha = HEAD_2;
    pr.files = [{ filename: "src/api/users.ts", status: "modified", patch: WHOLE_PATCH_AFTER_PUSH }];
    github.compares.set(`${HEAD_1}...${HEAD_2}`, [{ filename: "src/api/users.ts", status: "modified", patch: PUSH_PATCH }]);
    await app.deliver("pull_request", pullRequestEvent("synchronize", { ...pullSpec(HEAD_2), baseSha: main }, HEAD_1));

    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    // The incremental diff came from the compare API, not the whole PR's files.
    const reads = github.requests.slice(github.requests.indexOf(github.writes()[writesBefore - 1]!));
    expect(reads.some((r) => r.method === "GET" && r.path === `/repos/acme/widgets/compare/${HEAD_1}...${HEAD_2}`)).toBe(true);
    // The whole PR's files are read too, but only to place comments: GitHub resolves lines against the whole diff.
    expect(reads.some((r) => r.method === "GET" && r.path === "/repos/acme/widgets/pulls/15/files")).toBe(true);

    // Claude was told what was already reported, and given only the push's diff.
    const sent = claude.openingText(2);
    expect(sent).toMatch(/<context label="already-reported findings[^"]*">[\s\S]*id [0-9a-f]{8} \[high\] src\/api\/users\.ts:9: Search limit is not clamped/);
    expect(sent).toMatch(new RegExp(`<untrusted label="diff ${HEAD_1.slice(0, 12)}..${HEAD_2.slice(0, 12)}">`));
    expect(sent).toContain("Math.min(limit, 50)");
    expect(sent).not.toContain("+export const PAGE = 100;");
    expect(claude.requests[2]!.messages[0]!.content.at(-1)!.text).toContain("only what changed since Baton's last review");

    // One new review, with only the new finding; the summary comment edited in place.
    expect(github.reviews).toHaveLength(2);
    expect(github.reviews[1]!.commitId).toBe(HEAD_2);
    expect(github.reviews[1]!.comments.map((c) => [c.line, c.body.includes("Magic number 50")])).toEqual([[10, true]]);
    const newWrites = github.writes().slice(writesBefore);
    expect(newWrites.filter((w) => w.path.endsWith("/issues/15/comments"))).toEqual([]);
    expect(newWrites.filter((w) => w.method === "PATCH" && w.path === `/repos/acme/widgets/issues/comments/${summary.id}`)).toHaveLength(1);
    const comments = github.commentsOn(15);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(SUMMARY_MARKER);
    expect(comments[0]!.body).toContain("Magic number 50 duplicates the spec limit");
    expect(comments[0]!.body).toContain("Search limit is not clamped");
    expect(comments[0]!.body).toContain(`changes since \`${HEAD_1.slice(0, 7)}`);

    // A second check run, for the new head.
    expect(github.checkRuns.map((c) => [c.headSha, c.conclusion])).toEqual([
      [HEAD_1, "success"],
      [HEAD_2, "success"],
    ]);

    // The same push delivered again under a new delivery id: the queue refuses the job (same job id).
    const before = github.requests.length;
    await app.deliver("pull_request", pullRequestEvent("synchronize", { ...pullSpec(HEAD_2), baseSha: main }, HEAD_1));
    expect(claude.requests).toHaveLength(3);
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /repos/acme/widgets/contents/.github/baton.yml"]);
  });

  it("does not review a pull request from a fork: nothing beyond reading the config", async () => {
    const spec = { ...pullSpec(HEAD_1), headRepo: "mallory/widgets" };
    github.addPull({ ...spec, baseSha: main, files: [{ filename: "src/api/users.ts", status: "modified", patch: USERS_PATCH }] });
    const app = await startApp();

    await app.deliver("pull_request", pullRequestEvent("opened", { ...spec, baseSha: main }));

    expect(github.unmatched).toEqual([]);
    expect(claude.requests).toEqual([]);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /app/installations/4242/access_tokens",
      "GET /repos/acme/widgets/contents/.github/baton.yml",
    ]);
  });
});
