import { describe, expect, it } from "vitest";
import { deliveryJob, type Delivery } from "../../src/app/delivery-job.js";
import { checkRunExternalId } from "../../src/runner/check-run-id.js";
import { INSTALLATION_ID } from "../app/fixtures/fake-github.js";
import { checkRunRerequested, issueComment, issueLabeled, pullRequestEvent, pullRequestReviewSubmitted, pushToMain } from "../app/fixtures/webhooks.js";

/**
 * What the webhook endpoint does with a delivery before any GitHub request:
 * queue one route job (its id the delivery's, so a redelivery is refused;
 * its key the issue or PR, so one PR's events run in order), or say why not.
 */

const SHA = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";
const pull = { number: 7, title: "Search", body: "", headRef: "feature/search", headSha: SHA, baseSha: "d".repeat(40), additions: 30, deletions: 0 };
const issue = { number: 12, title: "Search", body: "", labels: [] };

function job(name: string, payload: unknown, id = "d-1") {
  const made = deliveryJob({ id, name, payload } as Delivery);
  if ("skip" in made) throw new Error(`skipped: ${made.skip}`);
  return made.job;
}

const skip = (name: string, payload: unknown) => deliveryJob({ id: "d-1", name, payload } as Delivery);

describe("a delivery Baton acts on", () => {
  it("becomes one route job named by the delivery, keyed by its issue or pull request, grouped by installation", () => {
    const payload = issueLabeled(issue, "needs-architecture");
    expect(deliveryJob({ id: "d-1", name: "issues", payload })).toEqual({
      job: { id: "route:d-1", key: "acme/widgets#12", kind: "route", group: String(INSTALLATION_ID), payload: { kind: "route", delivery: { id: "d-1", name: "issues", payload }, installationId: INSTALLATION_ID } },
    });
  });

  it.each(["opened", "synchronize", "closed"] as const)("pull_request.%s is keyed by the pull request", (action) => {
    expect(job("pull_request", pullRequestEvent(action, pull)).key).toBe("acme/widgets#7");
  });

  it.each(["reopened", "ready_for_review"])("pull_request.%s is routed", (action) => {
    expect(job("pull_request", { ...pullRequestEvent("opened", pull), action }).id).toBe("route:d-1");
  });

  it("a review, a comment with a command and a push are routed; a push is keyed by the repository", () => {
    expect(job("pull_request_review", pullRequestReviewSubmitted(pull, { id: 1, login: "lead", state: "approved" })).key).toBe("acme/widgets#7");
    expect(job("issue_comment", issueComment({ number: 12, body: "thanks\n/baton dev", commentId: 1 })).key).toBe("acme/widgets#12");
    expect(job("push", pushToMain({ before: "b".repeat(40), after: "c".repeat(40) })).key).toBe("acme/widgets:push");
  });

  it("a Re-run is keyed as the job it re-runs (queued behind that PR's other jobs); a foreign check run by the repository", () => {
    const review = { kind: "review" as const, target: { owner: "acme", repo: "widgets", installationId: INSTALLATION_ID }, pullNumber: 7, headSha: SHA, cause: "pr-x" };
    expect(job("check_run", checkRunRerequested({ id: 5, name: "Baton: review", headSha: SHA, externalId: checkRunExternalId(review) })).key).toBe("acme/widgets#7");
    expect(job("check_run", checkRunRerequested({ id: 5, name: "CI", headSha: SHA, externalId: "ci-42" })).key).toBe("acme/widgets:check_run");
    expect(job("check_run", checkRunRerequested({ id: 5, name: "CI", headSha: SHA, externalId: null })).key).toBe("acme/widgets:check_run");
    const bare = checkRunRerequested({ id: 5, name: "CI", headSha: SHA, externalId: null });
    delete bare.check_run;
    expect(job("check_run", bare).key).toBe("acme/widgets:check_run");
  });

  it("names the owner by login, else by name", () => {
    const payload = pushToMain({ before: "b".repeat(40), after: "c".repeat(40) });
    delete payload.repository.owner.login;
    payload.repository.owner.name = "acme";
    expect(job("push", payload).key).toBe("acme/widgets:push");
    delete payload.repository.owner;
    expect(job("push", payload).key).toBe("/widgets:push");
  });
});

describe("a delivery Baton does not act on gets no job, and the reason", () => {
  it("other events and actions", () => {
    expect(skip("star", { action: "created" })).toEqual({ skip: "star.created is not an event Baton acts on" });
    expect(skip("ping", { zen: "hi" })).toEqual({ skip: "ping is not an event Baton acts on" });
    expect(skip("ping", null)).toEqual({ skip: "ping is not an event Baton acts on" });
    expect(skip("issues", { ...issueLabeled(issue, "x"), action: "opened" })).toEqual({ skip: "issues.opened is not an event Baton acts on" });
    expect(skip("issue_comment", { ...issueComment({ number: 12, body: "/baton dev", commentId: 1 }), action: "edited" })).toEqual({ skip: "issue_comment.edited is not an event Baton acts on" });
    expect(skip("check_run", { action: "completed" })).toEqual({ skip: "check_run.completed is not an event Baton acts on" });
    expect(skip("pull_request_review", { action: "dismissed" })).toEqual({ skip: "pull_request_review.dismissed is not an event Baton acts on" });
    expect(skip("pull_request", { action: "edited" })).toEqual({ skip: "pull_request.edited is not an event Baton acts on" });
  });

  it("no installation, or one that is not a positive whole number", () => {
    for (const installation of [undefined, {}, { id: 0 }, { id: -4 }, { id: 1.5 }, { id: "abc" }, { id: 2 ** 53 }]) {
      expect(skip("push", { ...pushToMain({ before: "b".repeat(40), after: "c".repeat(40) }), installation })).toEqual({ skip: "no installation in the payload" });
    }
    expect(job("push", { ...pushToMain({ before: "b".repeat(40), after: "c".repeat(40) }), installation: { id: "42" } }).group).toBe("42");
    expect(job("push", { ...pushToMain({ before: "b".repeat(40), after: "c".repeat(40) }), installation: { id: 1 } }).group).toBe("1");
  });

  it("no repository, or one without a name", () => {
    const payload = pushToMain({ before: "b".repeat(40), after: "c".repeat(40) });
    expect(skip("push", { ...payload, repository: undefined })).toEqual({ skip: "no repository in the payload" });
    expect(skip("push", { ...payload, repository: { owner: { login: "acme" } } })).toEqual({ skip: "no repository in the payload" });
  });

  it("a comment by a bot, or relayed by one, or without a /baton command", () => {
    expect(skip("issue_comment", issueComment({ number: 12, body: "/baton dev", commentId: 1, login: "ci[bot]", userType: "Bot" }))).toEqual({ skip: "comment by a bot" });
    const relayed = issueComment({ number: 12, body: "/baton dev", commentId: 1 });
    relayed.sender.type = "Bot";
    expect(skip("issue_comment", relayed)).toEqual({ skip: "comment by a bot" });
    const byBot = issueComment({ number: 12, body: "/baton dev", commentId: 1 });
    byBot.comment.user.type = "Bot";
    expect(skip("issue_comment", byBot)).toEqual({ skip: "comment by a bot" });
    expect(skip("issue_comment", issueComment({ number: 12, body: "> /baton dev\nquoted", commentId: 1 }))).toEqual({ skip: "comment without a /baton command" });
    const noBody = issueComment({ number: 12, body: "", commentId: 1 });
    delete noBody.comment.body;
    expect(skip("issue_comment", noBody)).toEqual({ skip: "comment without a /baton command" });
    const noComment = issueComment({ number: 12, body: "", commentId: 1 });
    delete noComment.comment;
    delete noComment.sender;
    expect(skip("issue_comment", noComment)).toEqual({ skip: "comment without a /baton command" });
  });

  it("a bot's label or review is still routed: routing asks who it is", () => {
    const payload = issueLabeled(issue, "needs-architecture");
    payload.sender.type = "Bot";
    expect(job("issues", payload).id).toBe("route:d-1");
  });
});
