import { describe, expect, it } from "vitest";
import { createGitHubWriter } from "../../src/writer/github-writer.js";
import { hiddenMarker, type ReviewIntent } from "../../src/writer/intents.js";
import { BATON_IDENTITY, commentPayload, fakeGitHub, OWNER, probotOctokit, pullPayload, R, REPO, reviewPayload, sha, step } from "./github-fake.js";

/**
 * Whatever a step hands the writer, what reaches GitHub has been through
 * the outgoing guard: secrets redacted, Baton's marker first, every other
 * `<!--` shown as text, and the body within GitHub's size limit with the
 * marker kept. Pull request titles and bodies, comments, review bodies and
 * each inline comment.
 */
// Built from parts so no secret scanner mistakes the fixture for a real token.
const TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });

describe("the writer's outgoing guard", () => {
  it("a pull request's title and body are redacted, and its body cannot hide text in a comment", async () => {
    const gh = fakeGitHub();
    gh.scope.get(`${R}/pulls`).query(true).reply(200, []).post(`${R}/pulls`).reply(201, pullPayload(16, { head: "baton/dev/7", title: "t", body: "b" }));

    await writer().apply(step({ outputs: ["pull-request"] }), [
      { kind: "pull-request", head: "baton/dev/7", base: "main", title: `Fix login (${TOKEN})`, body: `Closes #7\n<!-- baton:review-state {} -->\nUsed ${TOKEN}` },
    ]);

    gh.scope.done();
    expect(gh.writes()[0]!.body).toEqual({
      head: "baton/dev/7",
      base: "main",
      title: "Fix login ([redacted])",
      body: "Closes #7\n&lt;!-- baton:review-state {} -->\nUsed [redacted]",
      draft: false,
    });
  });

  it("an open pull request is compared with the guarded text: already guarded, nothing is written", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pullPayload(16, { head: "baton/dev/7", title: "Fix login ([redacted])", body: "Closes #7\r\nUsed [redacted]" })]);

    const [result] = await writer().apply(step({ outputs: ["pull-request"] }), [
      { kind: "pull-request", head: "baton/dev/7", base: "main", title: `Fix login (${TOKEN})`, body: `Closes #7\nUsed ${TOKEN}` },
    ]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ action: "unchanged" });
  });

  it("a comment is redacted, keeps its marker first, and cannot plant a second marker", async () => {
    const marker = hiddenMarker("adr-proposed", "issue-12");
    const gh = fakeGitHub();
    gh.scope.get(`${R}/issues/12/comments`).query(true).reply(200, []).post(`${R}/issues/12/comments`).reply(201, commentPayload(1, 12, "x"));

    await writer().apply(step(), [{ kind: "comment", issueNumber: 12, marker, mode: "once", body: `Failed with ${TOKEN}\n<!-- baton:adr-proposed issue-13 -->` }]);

    gh.scope.done();
    expect(gh.writes()[0]!.body).toEqual({ body: `${marker}\nFailed with [redacted]\n&lt;!-- baton:adr-proposed issue-13 -->` });
  });

  it("a comment over GitHub's 65536-byte limit is cut below the marker, which is kept", async () => {
    const marker = hiddenMarker("trace", "job-1");
    const gh = fakeGitHub();
    gh.scope.get(`${R}/issues/12/comments`).query(true).reply(200, []).post(`${R}/issues/12/comments`).reply(201, commentPayload(1, 12, "x"));

    await writer().apply(step(), [{ kind: "comment", issueNumber: 12, marker, mode: "upsert", body: "é".repeat(40_000) }]);

    gh.scope.done();
    const body = (gh.writes()[0]!.body as { body: string }).body;
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(Buffer.byteLength(body, "utf8")).toBeLessThanOrEqual(65_536);
    expect(body).toContain(`(GitHub allows ${65_536 - marker.length - 1} bytes here)`);
  });

  it("a review's body and each inline comment are guarded; a multi-line comment keeps its range", async () => {
    const headSha = sha("head");
    const marker = hiddenMarker("review", `pr-15@${headSha}`);
    const review: ReviewIntent = {
      kind: "review",
      pullNumber: 15,
      commitId: headSha,
      marker,
      body: `Reviewed. ${TOKEN}`,
      event: "COMMENT",
      comments: [
        { path: "src/a.ts", line: 12, startLine: 10, side: "RIGHT", body: `<!-- baton:finding f1 -->\nLeaks ${TOKEN} <!-- hidden -->` },
        { path: "src/b.ts", line: 4, startLine: 2, startSide: "RIGHT", side: "RIGHT", body: "Range with its own start side." },
      ],
    };
    const gh = fakeGitHub();
    gh.scope.get(`${R}/pulls/15/reviews`).query(true).reply(200, []).post(`${R}/pulls/15/reviews`).reply(200, reviewPayload(81, 15, "x", headSha));

    await writer().apply(step({ id: "review", outputs: ["review"], writablePaths: [] }), [review]);

    gh.scope.done();
    expect(gh.writes()[0]!.body).toEqual({
      commit_id: headSha,
      body: `${marker}\nReviewed. [redacted]`,
      event: "COMMENT",
      comments: [
        { path: "src/a.ts", line: 12, side: "RIGHT", start_line: 10, start_side: "RIGHT", body: "<!-- baton:finding f1 -->\nLeaks [redacted] &lt;!-- hidden -->" },
        { path: "src/b.ts", line: 4, side: "RIGHT", start_line: 2, start_side: "RIGHT", body: "Range with its own start side." },
      ],
    });
  });
});
