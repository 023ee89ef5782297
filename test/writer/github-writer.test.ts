import nock from "nock";
import { describe, expect, it } from "vitest";
import { CapabilityError } from "../../src/writer/check-capabilities.js";
import { createGitHubWriter, GitHubWriteError } from "../../src/writer/github-writer.js";
import { hiddenMarker, type CommentIntent, type Intent, type PullRequestIntent, type ReviewIntent } from "../../src/writer/intents.js";
import {
  commentPayload,
  fakeGitHub,
  HUMAN,
  linkHeader,
  OWNER,
  probotOctokit,
  pullPayload,
  R,
  REPO,
  reviewPayload,
  sha,
  step,
  BATON_IDENTITY,
} from "./github-fake.js";

const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });

describe("pull-request intents", () => {
  const pr: PullRequestIntent = {
    kind: "pull-request",
    head: "baton/adr/12-cache",
    base: "main",
    title: "ADR 12: cache résumés",
    body: "Proposes docs/adr/0012-cache.md.\n\nBaton-Spec: #12",
    labels: ["baton", "adr"],
  };

  it("finds the open PR by head and writes nothing when it is already as intended", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query({ head: `${OWNER}:${pr.head}`, state: "open", per_page: "100" })
      .reply(200, [pullPayload(15, { head: pr.head, title: pr.title, body: pr.body, labels: ["adr", "baton"] })]);

    const [result] = await writer().apply(step(), [pr]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toEqual({ kind: "pull-request", number: 15, url: `https://github.com/${OWNER}/${REPO}/pull/15`, created: false, action: "unchanged", labelsAdded: [] });
  });

  it("creates the PR and adds its labels when none is open for the branch", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [])
      .post(`${R}/pulls`)
      .reply(201, pullPayload(16, { head: pr.head, title: pr.title, body: pr.body }))
      .post(`${R}/issues/16/labels`)
      .reply(200, [{ name: "baton" }, { name: "adr" }]);

    const [result] = await writer().apply(step(), [pr]);

    gh.scope.done();
    expect(result).toMatchObject({ number: 16, created: true, action: "created", labelsAdded: ["baton", "adr"] });
    expect(gh.writes().map((c) => c.body)).toEqual([
      { head: pr.head, base: "main", title: pr.title, body: pr.body, draft: false },
      { labels: ["baton", "adr"] },
    ]);
  });

  it("edits the title and body of the open PR instead of opening a second one", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pullPayload(15, { head: pr.head, title: "ADR 12: old title", body: "old", labels: ["baton", "adr"] })])
      .patch(`${R}/pulls/15`)
      .reply(200, pullPayload(15, { head: pr.head, title: pr.title, body: pr.body, labels: ["baton", "adr"] }));

    const [result] = await writer().apply(step(), [pr]);

    gh.scope.done();
    expect(result).toMatchObject({ number: 15, created: false, action: "updated", labelsAdded: [] });
    expect(gh.writes()).toEqual([{ method: "PATCH", path: `${R}/pulls/15`, body: { title: pr.title, body: pr.body } }]);
  });

  it("closes an open pull request; one already closed is left alone", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/pulls/15`)
      .reply(200, pullPayload(15, { head: pr.head, title: pr.title, body: pr.body }))
      .patch(`${R}/pulls/15`)
      .reply(200, { ...pullPayload(15, { head: pr.head, title: pr.title, body: pr.body }), state: "closed" })
      .get(`${R}/pulls/15`)
      .reply(200, { ...pullPayload(15, { head: pr.head, title: pr.title, body: pr.body }), state: "closed" });

    const [closed] = await writer().apply(step(), [{ kind: "close-pull-request", pullNumber: 15 }]);
    const [again] = await writer().apply(step(), [{ kind: "close-pull-request", pullNumber: 15 }]);

    gh.scope.done();
    expect(closed).toEqual({ kind: "pull-request", number: 15, url: `https://github.com/${OWNER}/${REPO}/pull/15`, created: false, action: "closed", labelsAdded: [] });
    expect(again).toMatchObject({ number: 15, action: "unchanged" });
    expect(gh.writes()).toEqual([{ method: "PATCH", path: `${R}/pulls/15`, body: { state: "closed" } }]);
  });
});

describe("comment intents", () => {
  const marker = hiddenMarker("adr-proposed", "issue-12");
  const comment = (mode: CommentIntent["mode"], body = "Baton proposed an ADR: #16"): CommentIntent => ({ kind: "comment", issueNumber: 12, marker, body, mode });
  const path = `${R}/issues/12/comments`;

  /** 100 comments by people on page 1, then page 2 with Baton's earlier comment. */
  function twoPages(gh: ReturnType<typeof fakeGitHub>, existingBody: string) {
    const page1 = Array.from({ length: 100 }, (_, i) => commentPayload(5000 + i, 12, `comment ${i}`, HUMAN));
    gh.scope
      .get(path)
      .query({ per_page: "100" })
      .reply(200, page1, { link: linkHeader(path, 1, 2) })
      .get(path)
      .query({ per_page: "100", page: "2" })
      .reply(200, [commentPayload(6001, 12, "thanks!", HUMAN), commentPayload(6002, 12, existingBody)], { link: linkHeader(path, 2, 2) });
  }

  it("upsert edits Baton's comment in place, found by its marker on the second page", async () => {
    const gh = fakeGitHub();
    twoPages(gh, `${marker}\nBaton proposed an ADR: #15`);
    gh.scope.patch(`${R}/issues/comments/6002`).reply(200, commentPayload(6002, 12, `${marker}\nBaton proposed an ADR: #16`));

    const [result] = await writer().apply(step(), [comment("upsert")]);

    gh.scope.done();
    expect(result).toEqual({ kind: "comment", issueNumber: 12, id: 6002, url: `https://github.com/${OWNER}/${REPO}/issues/12#issuecomment-6002`, action: "updated" });
    expect(gh.writes()).toEqual([{ method: "PATCH", path: `${R}/issues/comments/6002`, body: { body: `${marker}\nBaton proposed an ADR: #16` } }]);
  });

  it("upsert writes nothing when the comment already says the same", async () => {
    const gh = fakeGitHub();
    twoPages(gh, `${marker}\nBaton proposed an ADR: #16`);

    const [result] = await writer().apply(step(), [comment("upsert")]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ id: 6002, action: "unchanged" });
  });

  it("once leaves an existing comment alone, even with a different body", async () => {
    const gh = fakeGitHub();
    gh.scope.get(path).query(true).reply(200, [commentPayload(7001, 12, `${marker}\nAn older wording`)]);

    const [result] = await writer().apply(step(), [comment("once")]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ id: 7001, action: "unchanged" });
  });

  it("creates the comment with the marker first when none carries it", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(path)
      .query(true)
      .reply(200, [commentPayload(7001, 12, "a comment that mentions baton:adr-proposed but has no marker", HUMAN)])
      .post(path)
      .reply(201, commentPayload(7002, 12, `${marker}\nBaton proposed an ADR: #16`));

    const [result] = await writer().apply(step(), [comment("once")]);

    gh.scope.done();
    expect(result).toMatchObject({ id: 7002, action: "created" });
    expect(gh.writes()).toEqual([{ method: "POST", path, body: { body: `${marker}\nBaton proposed an ADR: #16` } }]);
  });
});

describe("review intents", () => {
  const headSha = sha("pr-head");
  const marker = hiddenMarker("review", `pr-15@${headSha}`);
  const review: ReviewIntent = {
    kind: "review",
    pullNumber: 15,
    commitId: headSha,
    marker,
    body: "Checked against ADR 12 and the cache pitfalls.",
    event: "REQUEST_CHANGES",
    comments: [
      { path: "src/cache/store.ts", line: 42, side: "RIGHT", body: "This bypasses the TTL the ADR requires." },
      { path: "src/cache/keys.ts", line: 7, side: "RIGHT", body: "Keys must include the tenant.\nSee docs/pitfalls/cache.md." },
    ],
  };
  const reviewStep = step({ id: "review", outputs: ["review"], writablePaths: [] });
  const reviews = `${R}/pulls/15/reviews`;

  it("posts the summary and every inline comment in one request", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [reviewPayload(80, 15, "LGTM", sha("older-head"), "APPROVED", HUMAN)])
      .post(reviews)
      .reply(200, reviewPayload(81, 15, `${marker}\n${review.body}`, headSha, "CHANGES_REQUESTED"));

    const [result] = await writer().apply(reviewStep, [review]);

    gh.scope.done();
    expect(result).toMatchObject({ kind: "review", id: 81, action: "created", event: "REQUEST_CHANGES", inlineComments: 2, commentsMovedToBody: 0 });
    expect(gh.writes()).toEqual([
      {
        method: "POST",
        path: reviews,
        body: { commit_id: headSha, body: `${marker}\n${review.body}`, event: "REQUEST_CHANGES", comments: review.comments },
      },
    ]);
  });

  it("skips the review when one with the same marker exists", async () => {
    const gh = fakeGitHub();
    gh.scope.get(reviews).query(true).reply(200, [reviewPayload(81, 15, `${marker}\n${review.body}`, headSha, "CHANGES_REQUESTED")]);

    const [result] = await writer().apply(reviewStep, [review]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ id: 81, action: "skipped" });
  });

  it("on 422 moves only the comments the PR's current diff cannot carry into the body; the others stay inline", async () => {
    const gh = fakeGitHub();
    const refused = {
      message: "Unprocessable Entity",
      errors: ["Line could not be resolved"],
      documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
      status: "422",
    };
    // The diff moved since the step read it: keys.ts line 7 is no longer in it, store.ts line 42 still is.
    const files = [
      { sha: "a1", filename: "src/cache/store.ts", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -40,3 +40,4 @@\n a\n b\n+c\n d" },
      { sha: "b2", filename: "src/cache/keys.ts", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1,2 +1,3 @@\n a\n+b\n c" },
    ];
    gh.scope.get(reviews).query(true).reply(200, []).post(reviews).reply(422, refused).get(`${R}/pulls/15/files`).query(true).reply(200, files).post(reviews).reply(200, reviewPayload(83, 15, "…", headSha, "COMMENT"));

    const [result] = await writer().apply(reviewStep, [review]);

    gh.scope.done();
    expect(result).toMatchObject({ id: 83, action: "created", inlineComments: 1, commentsMovedToBody: 1 });
    const retry = gh.writes()[1]!.body as { body: string; comments: { path: string; line: number }[] };
    expect(retry.comments.map((c) => `${c.path}:${c.line}`)).toEqual(["src/cache/store.ts:42"]);
    expect(retry.body).toContain("- `src/cache/keys.ts` line 7:\n  Keys must include the tenant.");
    expect(retry.body).not.toContain("This bypasses the TTL");
  });

  it("on 422 retries once without inline comments, listing them in the body", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, {
        message: "Unprocessable Entity",
        errors: ["Line could not be resolved"],
        documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
        status: "422",
      })
      // The PR's current diff carries none of them.
      .get(`${R}/pulls/15/files`)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(200, reviewPayload(82, 15, "…", headSha, "CHANGES_REQUESTED"));

    const [result] = await writer().apply(reviewStep, [review]);

    gh.scope.done();
    expect(result).toMatchObject({ id: 82, action: "created", inlineComments: 0, commentsMovedToBody: 2 });
    const [first, retry] = gh.writes();
    expect((first!.body as { comments: unknown[] }).comments).toHaveLength(2);
    const body = retry!.body as { body: string; comments: unknown[]; event: string; commit_id: string };
    expect(body.comments).toEqual([]);
    expect(body.event).toBe("REQUEST_CHANGES");
    expect(body.commit_id).toBe(headSha);
    expect(body.body).toContain("### Comments that could not be placed inline");
    expect(body.body).toContain("- `src/cache/store.ts` line 42:\n  This bypasses the TTL the ADR requires.");
    expect(body.body).toContain("- `src/cache/keys.ts` line 7:\n  Keys must include the tenant.\n  See docs/pitfalls/cache.md.");
    expect(body.body.startsWith(marker)).toBe(true); // still found on redelivery
  });

  it("falls back to a COMMENT review when GitHub refuses a verdict on the app's own PR", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, { message: "Unprocessable Entity", errors: ["Review Can not request changes on your own pull request"], status: "422" })
      .post(reviews)
      .reply(200, reviewPayload(83, 15, "…", headSha));

    const [result] = await writer().apply(reviewStep, [review]);

    gh.scope.done();
    expect(result).toMatchObject({ event: "COMMENT", inlineComments: 2 });
    expect((gh.writes()[1]!.body as { event: string; comments: unknown[] }).event).toBe("COMMENT");
    expect((gh.writes()[1]!.body as { comments: unknown[] }).comments).toHaveLength(2);
  });

  it("does not retry a 422 there is nothing to drop for", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(reviews)
      .query(true)
      .reply(200, [])
      .post(reviews)
      .reply(422, { message: "Unprocessable Entity", errors: ["commit_id is not part of the pull request"], status: "422" });

    await expect(writer().apply(reviewStep, [{ ...review, event: "COMMENT", comments: [] }])).rejects.toThrow(/\(422\): Unprocessable Entity: commit_id is not part of the pull request/);
    gh.scope.done();
  });
});

describe("capabilities and failures", () => {
  it("writes nothing at all when one intent is outside the declaration", async () => {
    const gh = fakeGitHub();
    const intents: Intent[] = [
      { kind: "comment", issueNumber: 12, marker: hiddenMarker("x", "y"), body: "hi", mode: "once" },
      { kind: "commit", branch: "baton/x", baseSha: sha("b"), message: "m", files: [{ path: "src/index.ts", content: "pwned" }] },
    ];

    const error = await writer()
      .apply(step({ outputs: ["comment"] }), intents)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CapabilityError);
    expect((error as CapabilityError).violations).toEqual([
      'commit: the step does not declare the output "commit"',
      "src/index.ts: outside what the step may write (docs/**)",
    ]);
    expect(gh.calls).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("refuses a malformed commit intent before any request", async () => {
    const gh = fakeGitHub();
    const error = await writer()
      .apply(step(), [{ kind: "commit", branch: "baton/../x", baseSha: "main", message: "m", files: [{ path: "docs/a.md", content: "a" }] }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapabilityError);
    expect(String(error)).toMatch(/not a valid branch name/);
    expect(String(error)).toMatch(/baseSha must be a full commit SHA/);
    expect(gh.calls).toEqual([]);
  });

  it("a 500 is transient, and says what was already written", async () => {
    const gh = fakeGitHub();
    const marker = hiddenMarker("x", "y");
    gh.scope
      .get(`${R}/issues/12/comments`)
      .query(true)
      .reply(200, [])
      .post(`${R}/issues/12/comments`)
      .reply(201, commentPayload(1, 12, `${marker}\nhi`))
      .get(`${R}/issues/13/comments`)
      .query(true)
      .reply(502, { message: "Server Error" });

    const error = await writer()
      .apply(step(), [
        { kind: "comment", issueNumber: 12, marker, body: "hi", mode: "once" },
        { kind: "comment", issueNumber: 13, marker, body: "hi", mode: "once" },
      ])
      .catch((e: unknown) => e);

    gh.scope.done();
    expect(error).toBeInstanceOf(GitHubWriteError);
    const e = error as GitHubWriteError;
    expect(e.transient).toBe(true);
    expect(e.status).toBe(502);
    expect(e.message).toMatch(new RegExp(`^GitHub failed on GET ${R}/issues/13/comments \\(502\\): Server Error`));
    expect(e.completed).toMatchObject([{ kind: "comment", issueNumber: 12, action: "created" }]);
  });

  it("a 403 is permanent and names the missing permission", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/issues/12/comments`)
      .query(true)
      .reply(200, [])
      .post(`${R}/issues/12/comments`)
      .reply(403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment", status: "403" });

    const error = await writer()
      .apply(step(), [{ kind: "comment", issueNumber: 12, marker: hiddenMarker("x", "y"), body: "hi", mode: "once" }])
      .catch((e: unknown) => e);

    gh.scope.done();
    const e = error as GitHubWriteError;
    expect(e.transient).toBe(false);
    expect(e.details.permission).toBe("issues: write (or pull_requests: write on a pull request)");
    expect(e.message).toBe(
      `GitHub refused POST ${R}/issues/12/comments (403): Resource not accessible by integration — the app lacks issues: write (or pull_requests: write on a pull request) on ${OWNER}/${REPO}: add it in the GitHub App's permissions, then accept the new permissions on the installation`,
    );
  });
});
