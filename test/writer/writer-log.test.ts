import { describe, expect, it } from "vitest";
import { createGitHubWriter } from "../../src/writer/github-writer.js";
import { hiddenMarker, type Intent } from "../../src/writer/intents.js";
import type { WriterLogger } from "../../src/writer/write-result.js";
import {
  BATON_IDENTITY,
  blobCreated,
  commentPayload,
  commitPayload,
  fakeGitHub,
  NOT_FOUND,
  OWNER,
  probotOctokit,
  pullPayload,
  R,
  refPath,
  refPayload,
  REPO,
  reviewPayload,
  sha,
  step,
  treePayload,
} from "./github-fake.js";

/**
 * What the operator reads in the app's log: one line per write, saying what
 * was done, so a redelivery is seen to write nothing ("unchanged",
 * "skipped") and a refused review is seen to be retried.
 */
const BASE = sha("base");
const ROOT = sha("root");
const TIP = sha("tip");
const BRANCH = "baton/dev/7";
const headSha = sha("head");
const commentMarker = hiddenMarker("dev-started", "issue-7");
const reviewMarker = hiddenMarker("review", `pr-15@${headSha}`);
const where = { owner: OWNER, repo: REPO };

function logged() {
  const lines: [string, Record<string, unknown>][] = [];
  const log: WriterLogger = { info: (obj, msg) => lines.push([msg, obj]) };
  return { lines, writer: createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY, log }) };
}

const allKinds = step({ id: "dev", outputs: ["commit", "pull-request", "comment", "review"], writablePaths: ["**"] });
const intents: Intent[] = [
  { kind: "commit", branch: BRANCH, baseSha: BASE, message: "feat: cache", files: [{ path: "a.md", content: "a\n" }] },
  { kind: "pull-request", head: BRANCH, base: "main", title: "Cache", body: "Closes #7", labels: ["baton"] },
  { kind: "comment", issueNumber: 7, marker: commentMarker, body: "Started.", mode: "upsert" },
  { kind: "review", pullNumber: 15, commitId: headSha, marker: reviewMarker, body: "Looks fine.", event: "COMMENT", comments: [] },
  { kind: "close-pull-request", pullNumber: 15 },
];

describe("the writer's log", () => {
  it("says what each write did the first time", async () => {
    const made = sha("made");
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(404, NOT_FOUND)
      .get(`${R}/git/commits/${BASE}`)
      .reply(200, commitPayload(BASE, ROOT, []))
      .get(`${R}/git/trees/${ROOT}`)
      .reply(200, treePayload(ROOT, []))
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated("a\n"))
      .post(`${R}/git/trees`)
      .reply(201, treePayload(sha("t"), []))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(made, sha("t"), [BASE]))
      .post(`${R}/git/refs`)
      .reply(201, refPayload(BRANCH, made))
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [])
      .post(`${R}/pulls`)
      .reply(201, pullPayload(15, { head: BRANCH, title: "Cache", body: "Closes #7" }))
      .post(`${R}/issues/15/labels`)
      .reply(200, [{ name: "baton" }])
      .get(`${R}/issues/7/comments`)
      .query(true)
      .reply(200, [])
      .post(`${R}/issues/7/comments`)
      .reply(201, commentPayload(70, 7, "x"))
      .get(`${R}/pulls/15/reviews`)
      .query(true)
      .reply(200, [])
      .post(`${R}/pulls/15/reviews`)
      .reply(422, { message: "Unprocessable Entity", errors: ["Can not approve your own pull request"], status: "422" })
      .post(`${R}/pulls/15/reviews`)
      .reply(200, reviewPayload(83, 15, "x", headSha));

    const { lines, writer } = logged();
    await writer.apply(allKinds, intents.slice(0, 4).map((i) => (i.kind === "review" ? { ...i, event: "APPROVE" as const } : i)));

    gh.scope.done();
    expect(lines).toEqual([
      ["commit written", { ...where, branch: BRANCH, sha: made, parent: BASE, changedPaths: ["a.md"], action: "branch-created" }],
      ["pull request written", { ...where, pullNumber: 15, action: "created", labelsAdded: ["baton"] }],
      ["comment written", { ...where, issueNumber: 7, commentId: 70, action: "created" }],
      ["review refused (422), retrying without what was refused", { ...where, pullNumber: 15, githubMessage: "Unprocessable Entity: Can not approve your own pull request", event: "COMMENT", inline: 0 }],
      ["review posted", { ...where, pullNumber: 15, reviewId: 83, event: "COMMENT", inline: 0 }],
    ]);
  });

  it("says a redelivery wrote nothing", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, TIP))
      .get(`${R}/git/commits/${TIP}`)
      .reply(200, commitPayload(TIP, ROOT, [BASE]))
      .get(`${R}/git/trees/${ROOT}`)
      .reply(200, treePayload(ROOT, [{ name: "a.md", blob: "a\n" }]))
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pullPayload(15, { head: BRANCH, title: "Cache", body: "Closes #7", labels: ["baton"] })])
      .get(`${R}/issues/7/comments`)
      .query(true)
      .reply(200, [commentPayload(70, 7, `${commentMarker}\nStarted.`)])
      .get(`${R}/pulls/15/reviews`)
      .query(true)
      .reply(200, [reviewPayload(81, 15, `${reviewMarker}\nLooks fine.`, headSha)])
      .get(`${R}/pulls/15`)
      .reply(200, { ...pullPayload(15, { head: BRANCH, title: "Cache", body: "Closes #7" }), state: "closed" });

    const { lines, writer } = logged();
    await writer.apply(allKinds, intents);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(lines).toEqual([
      ["commit: every file already as intended, nothing written", { ...where, branch: BRANCH, sha: TIP, branchExists: true }],
      ["pull request written", { ...where, pullNumber: 15, action: "unchanged", labelsAdded: [] }],
      ["comment written", { ...where, issueNumber: 7, commentId: 70, action: "unchanged" }],
      ["review already posted, skipped", { ...where, pullNumber: 15, reviewId: 81 }],
      ["pull request closed", { ...where, pullNumber: 15, action: "unchanged" }],
    ]);
  });

  it("says what was updated, posted and closed", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(404, NOT_FOUND)
      .get(`${R}/git/commits/${BASE}`)
      .reply(200, commitPayload(BASE, ROOT, []))
      .get(`${R}/git/trees/${ROOT}`)
      .reply(200, treePayload(ROOT, [{ name: "a.md", blob: "a\n" }]))
      .get(`${R}/issues/7/comments`)
      .query(true)
      .reply(200, [commentPayload(70, 7, `${commentMarker}\nQueued.`)])
      .patch(`${R}/issues/comments/70`)
      .reply(200, commentPayload(70, 7, `${commentMarker}\nStarted.`))
      .get(`${R}/pulls/15/reviews`)
      .query(true)
      .reply(200, [])
      .post(`${R}/pulls/15/reviews`)
      .reply(200, reviewPayload(82, 15, "x", headSha))
      .get(`${R}/pulls/15`)
      .reply(200, pullPayload(15, { head: BRANCH, title: "Cache", body: "Closes #7" }))
      .patch(`${R}/pulls/15`)
      .reply(200, { ...pullPayload(15, { head: BRANCH, title: "Cache", body: "Closes #7" }), state: "closed" });

    const { lines, writer } = logged();
    await writer.apply(allKinds, [intents[0]!, intents[2]!, { ...(intents[3] as Extract<Intent, { kind: "review" }>), comments: [{ path: "a.md", line: 1, side: "RIGHT", body: "x" }] }, intents[4]!]);

    gh.scope.done();
    expect(lines).toEqual([
      ["commit: every file already as intended, nothing written", { ...where, branch: BRANCH, sha: BASE, branchExists: false }],
      ["comment written", { ...where, issueNumber: 7, commentId: 70, action: "updated" }],
      ["review posted", { ...where, pullNumber: 15, reviewId: 82, event: "COMMENT", inline: 1 }],
      ["pull request closed", { ...where, pullNumber: 15, action: "closed" }],
    ]);
  });
});
