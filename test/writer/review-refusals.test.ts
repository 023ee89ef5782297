import { describe, expect, it } from "vitest";
import { createGitHubWriter, GitHubWriteError, withUnplacedComments } from "../../src/writer/github-writer.js";
import { hiddenMarker, type InlineComment, type ReviewIntent } from "../../src/writer/intents.js";
import { BATON_IDENTITY, fakeGitHub, HUMAN, OWNER, probotOctokit, R, REPO, reviewPayload, sha, step } from "./github-fake.js";

/**
 * A review GitHub refuses in part (422) is posted anyway: the verdict GitHub
 * will not take on the app's own pull request becomes a comment, and the
 * inline comments it cannot place move into the body. Each refusal is
 * retried once for what it drops; a refusal with nothing left to drop is
 * reported, never retried for ever.
 */
const headSha = sha("pr-head");
const marker = hiddenMarker("review", `pr-15@${headSha}`);
const reviews = `${R}/pulls/15/reviews`;
const reviewStep = step({ id: "review", outputs: ["review"], writablePaths: [] });
const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });

const onStore: InlineComment = { path: "src/store.ts", line: 42, side: "RIGHT", body: "This bypasses the TTL." };
const onKeys: InlineComment = { path: "src/keys.ts", line: 7, side: "RIGHT", body: "Keys must include the tenant." };
const review = (overrides: Partial<ReviewIntent> = {}): ReviewIntent => ({
  kind: "review",
  pullNumber: 15,
  commitId: headSha,
  marker,
  body: "Checked against ADR 12.",
  event: "REQUEST_CHANGES",
  comments: [onStore, onKeys],
  ...overrides,
});

const lineRefused = { message: "Unprocessable Entity", errors: ["Line could not be resolved"], status: "422" };
const ownPr = (verb: string) => ({ message: "Unprocessable Entity", errors: [`Review Can not ${verb} your own pull request`], status: "422" });
/** A pull request file whose diff shows `lines` (added) of `path`. */
const file = (path: string, first: number, count: number) => ({
  sha: sha(path),
  filename: path,
  status: "modified",
  additions: count,
  deletions: 0,
  changes: count,
  patch: `@@ -${first},0 +${first},${count} @@\n${Array.from({ length: count }, (_, i) => `+line ${first + i}`).join("\n")}`,
});
const posted = (gh: ReturnType<typeof fakeGitHub>) => gh.writes().map((w) => w.body as { body: string; event: string; comments: InlineComment[] });

describe("a review GitHub refuses in part", () => {
  it("an approval of the app's own pull request becomes a comment, with every inline comment kept", async () => {
    const gh = fakeGitHub();
    gh.scope.get(reviews).query(true).reply(200, []).post(reviews).reply(422, ownPr("approve")).post(reviews).reply(200, reviewPayload(90, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review({ event: "APPROVE" })]);

    gh.scope.done();
    expect(result).toEqual({ kind: "review", pullNumber: 15, id: 90, url: `https://github.com/${OWNER}/${REPO}/pull/15#pullrequestreview-90`, action: "created", event: "COMMENT", inlineComments: 2, commentsMovedToBody: 0 });
    expect(posted(gh).map((p) => p.event)).toEqual(["APPROVE", "COMMENT"]);
  });

  it("a COMMENT review refused with the own-pull-request message is not retried as the same comment: its inline comments move", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, ownPr("comment on"))
      .get(`${R}/pulls/15/files`)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(200, reviewPayload(91, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review({ event: "COMMENT" })]);

    gh.scope.done();
    expect(result).toMatchObject({ event: "COMMENT", inlineComments: 0, commentsMovedToBody: 2 });
  });

  it("the verdict, then the lines the diff no longer shows, then every inline comment: each refusal drops one more thing", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, ownPr("request changes on"))
      .post(reviews)
      .reply(422, lineRefused)
      .get(`${R}/pulls/15/files`)
      .query(true)
      .reply(200, [file("src/store.ts", 40, 5)])
      .post(reviews)
      .reply(422, lineRefused)
      .post(reviews)
      .reply(200, reviewPayload(92, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(result).toMatchObject({ id: 92, event: "COMMENT", inlineComments: 0, commentsMovedToBody: 2 });
    const [first, second, third, fourth] = posted(gh);
    expect([first, second, third, fourth].map((p) => `${p!.event} ${p!.comments.map((c) => c.path).join(",")}`)).toEqual([
      "REQUEST_CHANGES src/store.ts,src/keys.ts",
      "COMMENT src/store.ts,src/keys.ts",
      "COMMENT src/store.ts",
      "COMMENT ",
    ]);
    expect(third!.body).toBe(`${marker}\n${withUnplacedComments("Checked against ADR 12.", [onKeys])}`);
    expect(fourth!.body).toBe(`${marker}\n${withUnplacedComments("Checked against ADR 12.", [onStore, onKeys])}`);
  });

  it("when the current diff carries every comment yet GitHub refused, all of them move into the body", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, lineRefused)
      .get(`${R}/pulls/15/files`)
      .query(true)
      .reply(200, [file("src/store.ts", 40, 5), file("src/keys.ts", 5, 5)])
      .post(reviews)
      .reply(200, reviewPayload(93, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(result).toMatchObject({ event: "REQUEST_CHANGES", inlineComments: 0, commentsMovedToBody: 2 });
    expect(posted(gh)[1]!.comments).toEqual([]);
  });

  it("reads every page of a large pull request's files before deciding what moves", async () => {
    // 100 files on page 1 (none of them the commented ones), src/store.ts on page 2: only keys.ts moves.
    const page1 = Array.from({ length: 100 }, (_, i) => file(`src/gen/f${i}.ts`, 1, 1));
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, lineRefused)
      .get(`${R}/pulls/15/files`)
      .query({ per_page: "100", page: "1" })
      .reply(200, page1)
      .get(`${R}/pulls/15/files`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [file("src/store.ts", 40, 5)])
      .post(reviews)
      .reply(200, reviewPayload(94, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(result).toMatchObject({ inlineComments: 1, commentsMovedToBody: 1 });
    expect(posted(gh)[1]!.comments.map((c) => c.path)).toEqual(["src/store.ts"]);
  });

  it("reads up to GitHub's 3000 files (30 pages), and no further", async () => {
    const gh = fakeGitHub();
    gh.scope.get(reviews).query(true).reply(200, []).post(reviews).reply(422, lineRefused);
    for (let page = 1; page <= 30; page++) {
      const files = Array.from({ length: 100 }, (_, i) => file(`src/gen/p${page}-${i}.ts`, 1, 1));
      // The last page GitHub lists carries src/store.ts: it stays inline.
      if (page === 30) files[99] = file("src/store.ts", 40, 5);
      gh.scope.get(`${R}/pulls/15/files`).query({ per_page: "100", page: String(page) }).reply(200, files);
    }
    gh.scope.post(reviews).reply(200, reviewPayload(95, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(result).toMatchObject({ inlineComments: 1, commentsMovedToBody: 1 });
    expect(gh.calls.filter((c) => c.path.includes("/files")).length).toBe(30);
  });

  it("a refusal that is not a 422 is reported at once, with nothing retried", async () => {
    const gh = fakeGitHub();
    gh.scope.get(reviews).query(true).reply(200, []).post(reviews).reply(403, { message: "Resource not accessible by integration", status: "403" });

    const error = await writer()
      .apply(reviewStep, [review()])
      .catch((e: unknown) => e);

    gh.scope.done();
    expect(error).toBeInstanceOf(GitHubWriteError);
    expect((error as GitHubWriteError).status).toBe(403);
    expect(gh.writes()).toHaveLength(1);
  });

  it("a 422 once every comment is in the body and the verdict is a comment is reported, not retried again", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, ownPr("request changes on"))
      .post(reviews)
      .reply(422, lineRefused)
      .get(`${R}/pulls/15/files`)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, { message: "Unprocessable Entity", errors: ["Pull request is locked"], status: "422" });

    const error = await writer()
      .apply(reviewStep, [review()])
      .catch((e: unknown) => e);

    gh.scope.done();
    expect(error).toBeInstanceOf(GitHubWriteError);
    expect((error as GitHubWriteError).message).toContain("Pull request is locked");
    expect(gh.writes()).toHaveLength(3);
  });
});

describe("a review already posted", () => {
  it("is found by Baton's marker in Baton's own review only: a person's review quoting the marker does not stop it", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [
        reviewPayload(70, 15, `${marker}\nI copied Baton's marker`, headSha, "COMMENTED", HUMAN),
        reviewPayload(71, 15, `Quoting Baton:\n${marker}`, headSha),
      ])
      .post(reviews)
      .reply(200, reviewPayload(72, 15, "x", headSha));

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(result).toMatchObject({ id: 72, action: "created" });
  });

  it("skipped when Baton's review carries the marker, with what GitHub holds", async () => {
    const gh = fakeGitHub();
    gh.scope.get(reviews).query(true).reply(200, [reviewPayload(73, 15, `${marker}\nold`, headSha)]);

    const [result] = await writer().apply(reviewStep, [review()]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toEqual({ kind: "review", pullNumber: 15, id: 73, url: `https://github.com/${OWNER}/${REPO}/pull/15#pullrequestreview-73`, action: "skipped", event: "REQUEST_CHANGES", inlineComments: 0, commentsMovedToBody: 0 });
  });
});

describe("comments that could not be placed inline", () => {
  it("are listed under the body, with their line or range, their markers left out, and their lines indented", () => {
    const text = withUnplacedComments("Summary.\n\n", [
      { path: "src/a`b.ts", line: 12, startLine: 10, side: "RIGHT", body: "<!-- baton:finding f1 -->\nFirst line\nsecond line\n" },
      { path: "src/c.ts", line: 3, side: "RIGHT", body: "One line." },
    ]);
    expect(text).toBe("Summary.\n\n### Comments that could not be placed inline\n\n- ``src/a`b.ts`` lines 10–12:\n  First line\n  second line\n- `src/c.ts` line 3:\n  One line.");
  });
});
