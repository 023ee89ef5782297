import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { routeEvent, type IncomingEvent } from "../../src/app/route-event.js";
import { createReplyLimiter } from "../../src/app/reply-limit.js";
import { checkRunExternalId } from "../../src/runner/check-run-id.js";
import type { GitHubClient } from "../../src/runner/github-port.js";
import { createMemoryState } from "../../src/state/memory-state.js";
import { FakeGitHub, INSTALLATION_ID } from "../app/fixtures/fake-github.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "../app/fixtures/repo-state.js";
import { checkRunRerequested, issueComment, issueLabeled, pullRequestEvent, pullRequestReviewSubmitted, pushToMain, type PullEventSpec } from "../app/fixtures/webhooks.js";
import { probotOctokit } from "../writer/github-fake.js";

/**
 * Who may start what: every event routeEvent acts on, as GitHub sends it
 * (@octokit/webhooks-examples payloads), against the fake GitHub for the
 * config and the sender's permission. What is asserted is the job requests
 * an event becomes (what would run, spend tokens or write), the GitHub
 * requests routing made, and the reason logged for what it ignored.
 */

const target = { owner: "acme", repo: "widgets", installationId: INSTALLATION_ID };
const SHA = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";
const PERMISSION = (login: string) => `/repos/acme/widgets/collaborators/${login}/permission`;

let github: FakeGitHub;
let logged: { obj: Record<string, unknown>; msg: string }[];

beforeEach(() => {
  github = new FakeGitHub().start();
  seedRepository(github, repositoryFiles());
  logged = [];
});
afterEach(() => github.stop());

function event(name: string, payload: unknown, extra: Partial<IncomingEvent> = {}): IncomingEvent {
  return {
    name,
    id: "d-1",
    payload,
    octokit: probotOctokit() as unknown as GitHubClient,
    installationId: INSTALLATION_ID,
    log: { info: (obj, msg) => void logged.push({ obj, msg }) },
    ...extra,
  };
}

const asked = (path: string) => github.requests.some((r) => r.path === path);

function labelledBy(login: string, labelName = "needs-architecture", type = "User") {
  const payload = issueLabeled(ISSUE_12, labelName);
  payload.sender = { ...payload.sender, login, type };
  return payload;
}

describe("a Baton label", () => {
  it("from someone with write access starts the step the repository's config names for it", async () => {
    github.permissions.set("writer", "write");
    expect(await routeEvent(event("issues", labelledBy("writer")))).toEqual([{ kind: "architecture-review", target, spec: { kind: "issue", number: 12 }, cause: "label-d-1" }]);
    expect(await routeEvent(event("issues", labelledBy("writer", "ready-for-dev")))).toEqual([{ kind: "dev", target, issueNumber: 12, cause: "label-d-1" }]);
    expect(logged).toEqual([]);
  });

  it("uses the label names of .github/baton.yml, read from the default branch", async () => {
    seedRepository(github, repositoryFiles({ batonYml: "triggers:\n  architectureLabel: adr-please\n" }));
    github.permissions.set("writer", "write");
    expect(await routeEvent(event("issues", labelledBy("writer", "adr-please")))).toMatchObject([{ kind: "architecture-review" }]);
    expect(await routeEvent(event("issues", labelledBy("writer", "needs-architecture")))).toEqual([]);
  });

  it.each([
    ["read", "reader"],
    ["triage", "triager"],
    ["none", "stranger"],
  ])("from someone with %s access starts nothing, and the log says why", async (role, login) => {
    github.permissions.set(login, role);
    expect(await routeEvent(event("issues", labelledBy(login)))).toEqual([]);
    expect(asked(PERMISSION(login))).toBe(true);
    expect(logged).toEqual([{ obj: { issue: 12, sender: login }, msg: "label ignored: the sender has no write access" }]);
  });

  it("from a bot, or with no sender, starts nothing without asking GitHub who it is", async () => {
    github.permissions.set("helper[bot]", "admin");
    expect(await routeEvent(event("issues", labelledBy("helper[bot]", "needs-architecture", "Bot")))).toEqual([]);
    const anonymous = issueLabeled(ISSUE_12, "needs-architecture");
    delete anonymous.sender;
    expect(await routeEvent(event("issues", anonymous))).toEqual([]);
    expect(github.requests.filter((r) => r.path.includes("/collaborators/"))).toEqual([]);
    expect(logged.map((l) => l.msg)).toEqual(["label ignored: the sender has no write access", "label ignored: the sender has no write access"]);
  });

  it("that is not Baton's, or on a pull request, or missing, asks for nothing and reads no permission", async () => {
    github.permissions.set("writer", "write");
    expect(await routeEvent(event("issues", labelledBy("writer", "bug")))).toEqual([]);
    const onPull = labelledBy("writer");
    onPull.issue.pull_request = { url: "https://api.github.com/repos/acme/widgets/pulls/12" };
    expect(await routeEvent(event("issues", onPull))).toEqual([]);
    const noLabel = labelledBy("writer");
    delete noLabel.label;
    expect(await routeEvent(event("issues", noLabel))).toEqual([]);
    expect(github.requests.filter((r) => r.path.includes("/collaborators/"))).toEqual([]);
  });

  it("removed (issues.unlabeled) asks for nothing", async () => {
    github.permissions.set("writer", "write");
    const payload = labelledBy("writer");
    payload.action = "unlabeled";
    expect(await routeEvent(event("issues", payload))).toEqual([]);
    expect(github.requests).toEqual([]);
  });
});

describe("a push", () => {
  const before = "b".repeat(40);
  const after = "c".repeat(40);

  it("to the default branch reviews each spec it adds or changes, and asks to refresh the knowledge it touched", async () => {
    const payload = pushToMain({ before, after, added: ["docs/specs/search.md"], modified: ["docs/adr/0001-return-problem-json-errors.md"] });
    expect(await routeEvent(event("push", payload))).toEqual([
      { kind: "architecture-review", target, spec: { kind: "file", path: "docs/specs/search.md", commit: after }, cause: "push-cccccccccccc" },
      { kind: "default-branch-changed", target, before, after, paths: ["docs/adr/0001-return-problem-json-errors.md", "docs/specs/search.md"], cause: "push-cccccccccccc" },
    ]);
  });

  it("takes the default branch from the payload: master_branch when default_branch is absent, else main", async () => {
    const payload = pushToMain({ before, after, added: ["docs/specs/search.md"] });
    payload.ref = "refs/heads/trunk";
    payload.repository.default_branch = "trunk";
    expect(await routeEvent(event("push", payload))).toHaveLength(2);
    delete payload.repository.default_branch;
    payload.repository.master_branch = "trunk";
    expect(await routeEvent(event("push", payload))).toHaveLength(2);
    delete payload.repository.master_branch;
    expect(await routeEvent(event("push", payload))).toEqual([]);
    payload.ref = "refs/heads/main";
    expect(await routeEvent(event("push", payload))).toHaveLength(2);
  });

  it("without commits asks for nothing; without `before` still refreshes the knowledge the commits touched", async () => {
    const payload = pushToMain({ before, after, added: ["docs/specs/search.md"] });
    delete payload.before;
    expect(await routeEvent(event("push", payload))).toEqual([
      { kind: "architecture-review", target, spec: { kind: "file", path: "docs/specs/search.md", commit: after }, cause: "push-cccccccccccc" },
      { kind: "default-branch-changed", target, before: "", after, paths: ["docs/specs/search.md"], cause: "push-cccccccccccc" },
    ]);
    delete payload.commits;
    payload.before = before;
    expect(await routeEvent(event("push", payload))).toEqual([]);
  });

  it("names the owner by login, or by name when the payload has no login", async () => {
    const payload = pushToMain({ before, after, added: ["docs/specs/search.md"] });
    delete payload.repository.owner.login;
    payload.repository.owner.name = "acme";
    expect(await routeEvent(event("push", payload))).toMatchObject([{ target }, { target }]);
  });
});

describe("a pull request", () => {
  const spec: PullEventSpec = { number: 7, title: "Search", body: "", headRef: "feature/search", headSha: SHA, baseSha: "d".repeat(40), additions: 30, deletions: 5 };

  it.each(["opened", "synchronize", "reopened", "ready_for_review"])("%s: reviewed at its head", async (action) => {
    const payload = pullRequestEvent("opened", spec);
    payload.action = action;
    expect(await routeEvent(event("pull_request", payload))).toEqual([{ kind: "review", target, pullNumber: 7, headSha: SHA, cause: "pr-a1b2c3d4e5f6" }]);
  });

  it.each(["edited", "labeled", "assigned"])("%s: nothing", async (action) => {
    const payload = pullRequestEvent("opened", spec);
    payload.action = action;
    expect(await routeEvent(event("pull_request", payload))).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it("from a fork, or a fork since deleted, is not reviewed by itself, and the log says why", async () => {
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", { ...spec, headRepo: "mallory/widgets" })))).toEqual([]);
    const deleted = pullRequestEvent("opened", spec);
    deleted.pull_request.head.repo = null;
    expect(await routeEvent(event("pull_request", deleted))).toEqual([]);
    const why = "review skipped: pull request from a fork: reviews run only when a maintainer comments /baton review";
    expect(logged).toEqual([
      { obj: { pr: 7 }, msg: why },
      { obj: { pr: 7 }, msg: why },
    ]);
  });

  it("as a draft, with the skip label or too small is skipped; a payload without sizes or draft flag counts as a large ready one", async () => {
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", { ...spec, draft: true })))).toEqual([]);
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", { ...spec, labels: ["baton:skip"] })))).toEqual([]);
    // BATON_YML sets smallChangeLines: 2.
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", { ...spec, additions: 1, deletions: 1 })))).toEqual([]);
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", { ...spec, additions: 2, deletions: 1 })))).toHaveLength(1);
    const bare = pullRequestEvent("opened", { ...spec, additions: 0, deletions: 2 });
    delete bare.pull_request.additions;
    delete bare.pull_request.draft;
    delete bare.pull_request.labels;
    expect(await routeEvent(event("pull_request", bare))).toHaveLength(1);
    const noDeletions = pullRequestEvent("opened", { ...spec, additions: 2, deletions: 9 });
    delete noDeletions.pull_request.deletions;
    expect(await routeEvent(event("pull_request", noDeletions))).toEqual([]);
    expect(logged.map((l) => l.msg)).toEqual([
      "review skipped: draft pull request (set triggers.reviewDrafts to review drafts)",
      "review skipped: labelled baton:skip",
      "review skipped: small change (2 lines ≤ triggers.smallChangeLines 2)",
      "review skipped: small change (2 lines ≤ triggers.smallChangeLines 2)",
    ]);
  });

  it("synchronize is not reviewed when the config turns reviews on push off", async () => {
    seedRepository(github, repositoryFiles({ batonYml: "triggers:\n  reviewOnPush: false\n" }));
    expect(await routeEvent(event("pull_request", pullRequestEvent("synchronize", spec)))).toEqual([]);
    expect(await routeEvent(event("pull_request", pullRequestEvent("opened", spec)))).toHaveLength(1);
  });

  it("closed asks to learn from it, merged or not", async () => {
    expect(await routeEvent(event("pull_request", pullRequestEvent("closed", { ...spec, mergeCommitSha: "e".repeat(40) })))).toEqual([{ kind: "learn-from-pull", target, pullNumber: 7, merged: true, cause: "closed-d-1" }]);
    expect(await routeEvent(event("pull_request", pullRequestEvent("closed", { ...spec, mergeCommitSha: null })))).toEqual([{ kind: "learn-from-pull", target, pullNumber: 7, merged: false, cause: "closed-d-1" }]);
    const own = pullRequestEvent("closed", { ...spec, headRef: "baton/pitfalls/learned-7", mergeCommitSha: null });
    expect(await routeEvent(event("pull_request", own))).toEqual([]);
    const noHead = pullRequestEvent("closed", { ...spec, mergeCommitSha: null });
    delete noHead.pull_request.head;
    delete noHead.pull_request.merged;
    expect(await routeEvent(event("pull_request", noHead))).toEqual([{ kind: "learn-from-pull", target, pullNumber: 7, merged: false, cause: "closed-d-1" }]);
  });
});

describe("a /baton comment", () => {
  function commentBy(login: string, body: string, opts: { association?: string | null; isPullRequest?: boolean; number?: number } = {}) {
    const payload = issueComment({ number: opts.number ?? 12, body, commentId: 4242, login, isPullRequest: opts.isPullRequest });
    if (opts.association === null) delete payload.comment.author_association;
    else payload.comment.author_association = opts.association ?? "COLLABORATOR";
    return payload;
  }

  it("from a writer becomes the command's job, with the comment's author and link", async () => {
    github.permissions.set("ada", "write");
    const payload = commentBy("ada", "/baton remember --module api Always paginate");
    expect(await routeEvent(event("issue_comment", payload))).toEqual([
      {
        kind: "remember",
        target,
        number: 12,
        lesson: "Always paginate",
        module: "api",
        commentUrl: payload.comment.html_url,
        author: "ada",
        cause: "comment-4242",
        isPullRequest: false,
      },
    ]);
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton dev")))).toEqual([{ kind: "dev", target, issueNumber: 12, cause: "comment-4242" }]);
  });

  it("/baton review on a pull request reviews the head GitHub has now", async () => {
    github.permissions.set("ada", "write");
    const head = github.commit({ "a.ts": "x\n" }, "head", [github.branchSha("main")!]);
    github.addPull({ number: 7, title: "Search", body: "", headRef: "feature/search", headSha: head, baseSha: github.branchSha("main")!, files: [] });
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton review", { number: 7, isPullRequest: true })))).toEqual([
      { kind: "review", target, pullNumber: 7, headSha: head, cause: "comment-4242", force: true },
    ]);
    expect(asked("/repos/acme/widgets/pulls/7")).toBe(true);
  });

  it("/baton remember on a pull request says so to the job (the lesson waits for the merge)", async () => {
    github.permissions.set("ada", "write");
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton remember Clamp limits", { number: 7, isPullRequest: true })))).toMatchObject([{ kind: "remember", number: 7, isPullRequest: true }]);
    // Only /baton review needs the pull request's head.
    expect(github.requests.filter((r) => r.path.includes("/pulls/"))).toEqual([]);
  });

  it("/baton review on an issue is answered, without looking for a pull request", async () => {
    github.permissions.set("ada", "write");
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton review")))).toMatchObject([{ kind: "reply", body: "`/baton review` works on pull requests." }]);
    expect(github.requests.filter((r) => r.path.includes("/pulls/"))).toEqual([]);
  });

  it.each([
    ["dev", "calls the model"],
    ["architect", "calls the model"],
    ["review", "calls the model"],
    ["remember x", "calls the model"],
    ["dismiss 0a1b2c3d", "calls the model"],
    ["accept", "commits a decision"],
    ["reject", "commits a decision"],
  ])("/baton %s from someone who may not push is refused, saying why, and reads no pull request", async (command, why) => {
    github.permissions.set("reader", "read");
    const name = command.split(" ")[0]!;
    const requests = await routeEvent(event("issue_comment", commentBy("reader", `/baton ${command}`, { number: 7, isPullRequest: true })));
    expect(requests).toEqual([
      {
        kind: "reply",
        target,
        number: 7,
        cause: "comment-4242",
        marker: "<!-- baton:reply comment-4242 -->",
        body: `Thanks, \`@reader\`. \`/baton ${name}\` ${why}, so it is reserved for people with write access to this repository. A maintainer can run it for you.`,
      },
    ]);
    expect(github.requests.filter((r) => r.path.includes("/pulls/"))).toEqual([]);
  });

  it.each(["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"])("from an author GitHub marks %s is refused without asking GitHub for a permission", async (association) => {
    github.permissions.set("ada", "admin");
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton dev", { association })))).toMatchObject([{ kind: "reply", body: expect.stringContaining("reserved for people with write access") }]);
    expect(github.requests).toEqual([]);
  });

  it.each(["OWNER", "MEMBER", "COLLABORATOR", null])("from an author GitHub marks %s is asked about", async (association) => {
    github.permissions.set("ada", "write");
    expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton dev", { association })))).toMatchObject([{ kind: "dev" }]);
    expect(asked(PERMISSION("ada"))).toBe(true);
  });

  it("from a bot, or without a command, asks for nothing", async () => {
    github.permissions.set("helper[bot]", "admin");
    const bot = issueComment({ number: 12, body: "/baton dev", commentId: 1, login: "helper[bot]", userType: "Bot" });
    expect(await routeEvent(event("issue_comment", bot))).toEqual([]);
    // A person's comment relayed by a bot account (the sender is the bot).
    const relayed = commentBy("ada", "/baton dev");
    relayed.sender = { ...relayed.sender, login: "relay[bot]", type: "Bot" };
    expect(await routeEvent(event("issue_comment", relayed))).toEqual([]);
    const botAuthor = commentBy("ada", "/baton dev");
    botAuthor.comment.user = { ...botAuthor.comment.user, type: "Bot" };
    expect(await routeEvent(event("issue_comment", botAuthor))).toEqual([]);
    expect(await routeEvent(event("issue_comment", commentBy("ada", "please run baton dev")))).toEqual([]);
    const empty = commentBy("ada", "");
    delete empty.comment.body;
    expect(await routeEvent(event("issue_comment", empty))).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it("edited or deleted asks for nothing", async () => {
    github.permissions.set("ada", "write");
    const payload = commentBy("ada", "/baton dev");
    payload.action = "edited";
    expect(await routeEvent(event("issue_comment", payload))).toEqual([]);
  });

  it("names the sender as author when the comment has no user, and the comment's user when there is no sender", async () => {
    github.permissions.set("ada", "write");
    const payload = commentBy("ada", "/baton remember Always paginate");
    delete payload.comment.user;
    expect(await routeEvent(event("issue_comment", payload))).toMatchObject([{ kind: "remember", author: "ada" }]);
    expect(asked(PERMISSION("ada"))).toBe(true);
    const noSender = commentBy("ada", "/baton remember Always paginate");
    delete noSender.sender;
    expect(await routeEvent(event("issue_comment", noSender))).toMatchObject([{ kind: "remember", author: "ada" }]);
  });

  describe("with replies to people without write access bounded", () => {
    const limited = (replies: number) => createReplyLimiter(createMemoryState(), { replies, windowMs: 3_600_000 }, () => 0);

    it("answers them until the repository's allowance is used up, then ignores them, saying so in the log", async () => {
      const replies = limited(1);
      expect(await routeEvent(event("issue_comment", commentBy("reader", "/baton help"), { replies }))).toEqual([{ kind: "help", target, number: 12, cause: "comment-4242" }]);
      expect(logged).toEqual([]);
      expect(await routeEvent(event("issue_comment", commentBy("reader", "/baton dev"), { replies }))).toEqual([]);
      expect(logged).toEqual([{ obj: { author: "reader", command: "dev" }, msg: "command ignored: the repository's replies to people without write access are used up for this hour" }]);
    });

    it("never counts or refuses people with write access", async () => {
      github.permissions.set("ada", "write");
      const replies = limited(0);
      expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton help"), { replies }))).toEqual([{ kind: "help", target, number: 12, cause: "comment-4242" }]);
      expect(await routeEvent(event("issue_comment", commentBy("ada", "/baton dev"), { replies }))).toMatchObject([{ kind: "dev" }]);
    });

    it("counts per repository", async () => {
      const replies = limited(1);
      expect(await routeEvent(event("issue_comment", commentBy("reader", "/baton help", { association: "NONE" }), { replies }))).toHaveLength(1);
      const other = commentBy("reader", "/baton help", { association: "NONE" });
      other.repository = { ...other.repository, name: "gadgets" };
      expect(await routeEvent(event("issue_comment", other, { replies }))).toHaveLength(1);
      expect(await routeEvent(event("issue_comment", other, { replies }))).toEqual([]);
    });
  });
});

describe("a baton-dev repository_dispatch", () => {
  const dispatch = (clientPayload: unknown, action = "baton-dev") => ({ action, client_payload: clientPayload, repository: { name: "widgets", owner: { login: "acme" } } });

  it("runs the dev step for the issue it names, at the pinned commit when one is given", async () => {
    expect(await routeEvent(event("repository_dispatch", dispatch({ issue: 12, commit: SHA })))).toEqual([{ kind: "dev", target, issueNumber: 12, cause: "dispatch-d-1", commit: SHA }]);
    expect(await routeEvent(event("repository_dispatch", dispatch({ issue: "12" })))).toEqual([{ kind: "dev", target, issueNumber: 12, cause: "dispatch-d-1" }]);
    expect(await routeEvent(event("repository_dispatch", dispatch({ issue: 1 })))).toMatchObject([{ issueNumber: 1 }]);
  });

  it("drops a commit that is not a full lowercase hexadecimal SHA", async () => {
    for (const commit of [SHA.toUpperCase(), SHA.slice(0, 39), `${SHA}0`, `x${SHA}`, `${SHA}\n`, "main", 123, [SHA]]) {
      expect(await routeEvent(event("repository_dispatch", dispatch({ issue: 12, commit })))).toEqual([{ kind: "dev", target, issueNumber: 12, cause: "dispatch-d-1" }]);
    }
  });

  it.each([[{ issue: 0 }], [{ issue: -3 }], [{ issue: 1.5 }], [{ issue: "twelve" }], [{}], [null]])("without a usable issue number (%j) is ignored, saying so", async (clientPayload) => {
    expect(await routeEvent(event("repository_dispatch", dispatch(clientPayload)))).toEqual([]);
    expect(logged).toEqual([{ obj: { payload: clientPayload ?? {} }, msg: "baton-dev dispatch without an issue number: ignored" }]);
  });

  it("names an empty owner, rather than failing, when the payload has none", async () => {
    expect(await routeEvent(event("repository_dispatch", { action: "baton-dev", client_payload: { issue: 3 }, repository: { name: "widgets" } }))).toEqual([
      { kind: "dev", target: { ...target, owner: "" }, issueNumber: 3, cause: "dispatch-d-1" },
    ]);
  });

  it("of another type is not Baton's", async () => {
    expect(await routeEvent(event("repository_dispatch", dispatch({ issue: 12 }, "deploy")))).toEqual([]);
    // Only a repository_dispatch: the same action and payload on another event start nothing.
    expect(await routeEvent(event("workflow_dispatch", dispatch({ issue: 12 })))).toEqual([]);
  });
});

describe("an approving review", () => {
  const spec: PullEventSpec = { number: 7, title: "ADR 2", body: "", headRef: "baton/adr/12", headSha: SHA, baseSha: "d".repeat(40), additions: 30, deletions: 0 };

  it("by someone with write access accepts the pull request's ADR", async () => {
    github.permissions.set("lead", "maintain");
    expect(await routeEvent(event("pull_request_review", pullRequestReviewSubmitted(spec, { id: 77, login: "lead", state: "approved" })))).toEqual([
      { kind: "adr-decision", target, pullNumber: 7, decision: "accepted", by: "lead", via: "approval", cause: "review-77" },
    ]);
  });

  it("by someone who may not push, or of a closed pull request, or not an approval, decides nothing", async () => {
    github.permissions.set("reader", "read");
    github.permissions.set("lead", "write");
    expect(await routeEvent(event("pull_request_review", pullRequestReviewSubmitted(spec, { id: 77, login: "reader", state: "approved" })))).toEqual([]);
    expect(asked(PERMISSION("reader"))).toBe(true);
    const closed = pullRequestReviewSubmitted(spec, { id: 78, login: "lead", state: "approved" });
    closed.pull_request.state = "closed";
    expect(await routeEvent(event("pull_request_review", closed))).toEqual([]);
    expect(await routeEvent(event("pull_request_review", pullRequestReviewSubmitted(spec, { id: 79, login: "lead", state: "commented" })))).toEqual([]);
    expect(await routeEvent(event("pull_request_review", pullRequestReviewSubmitted({ ...spec, headRepo: "mallory/widgets" }, { id: 80, login: "lead", state: "approved" })))).toEqual([]);
    expect(asked(PERMISSION("lead"))).toBe(false);
  });

  it("of a pull request whose fork was deleted, or without a head, decides nothing", async () => {
    github.permissions.set("lead", "write");
    const payload = pullRequestReviewSubmitted(spec, { id: 77, login: "lead", state: "approved" });
    payload.pull_request.head.repo = null;
    expect(await routeEvent(event("pull_request_review", payload))).toEqual([]);
    delete payload.pull_request.head;
    expect(await routeEvent(event("pull_request_review", payload))).toEqual([]);
  });

  it("by a bot decides nothing, whatever its access, without asking GitHub", async () => {
    github.permissions.set("ci[bot]", "admin");
    expect(await routeEvent(event("pull_request_review", pullRequestReviewSubmitted(spec, { id: 81, login: "ci[bot]", state: "approved", userType: "Bot" })))).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it("without a review in the payload decides nothing", async () => {
    github.permissions.set("lead", "write");
    const payload = pullRequestReviewSubmitted(spec, { id: 77, login: "lead", state: "approved" });
    delete payload.review;
    expect(await routeEvent(event("pull_request_review", payload))).toEqual([]);
  });

  it("dismissed or edited asks for nothing", async () => {
    github.permissions.set("lead", "write");
    const payload = pullRequestReviewSubmitted(spec, { id: 77, login: "lead", state: "approved" });
    payload.action = "dismissed";
    expect(await routeEvent(event("pull_request_review", payload))).toEqual([]);
  });
});

describe("Re-run on a check run", () => {
  const review = { kind: "review" as const, target, pullNumber: 7, headSha: SHA, cause: "pr-x" };
  const rerun = (login: string, externalId: string | null, type = "User") => {
    const payload = checkRunRerequested({ id: 555, name: "Baton: review", headSha: SHA, externalId });
    payload.sender = { ...payload.sender, login, type };
    return payload;
  };

  it("by someone with write access runs the job the check run's external id names again", async () => {
    github.permissions.set("ada", "admin");
    expect(await routeEvent(event("check_run", rerun("ada", checkRunExternalId(review))))).toEqual([{ kind: "review", target, pullNumber: 7, headSha: SHA, cause: "rerun-d-1" }]);
  });

  it("by a reader, a bot or nobody runs nothing, and the log says why", async () => {
    github.permissions.set("reader", "read");
    github.permissions.set("ci[bot]", "admin");
    expect(await routeEvent(event("check_run", rerun("reader", checkRunExternalId(review))))).toEqual([]);
    expect(await routeEvent(event("check_run", rerun("ci[bot]", checkRunExternalId(review), "Bot")))).toEqual([]);
    const nobody = rerun("x", checkRunExternalId(review));
    delete nobody.sender;
    expect(await routeEvent(event("check_run", nobody))).toEqual([]);
    expect(asked(PERMISSION("ci[bot]"))).toBe(false);
    expect(logged).toEqual([
      { obj: { checkRun: 555, sender: "reader" }, msg: "re-run ignored: the requester has no write access" },
      { obj: { checkRun: 555, sender: "ci[bot]" }, msg: "re-run ignored: the requester has no write access" },
      { obj: { checkRun: 555, sender: undefined }, msg: "re-run ignored: the requester has no write access" },
    ]);
  });

  it("of a check run that is not a Baton job's runs nothing, without asking who pressed it", async () => {
    github.permissions.set("ada", "admin");
    expect(await routeEvent(event("check_run", rerun("ada", null)))).toEqual([]);
    expect(await routeEvent(event("check_run", rerun("ada", "ci-build-42")))).toEqual([]);
    const bare = rerun("ada", null);
    delete bare.check_run;
    expect(await routeEvent(event("check_run", bare))).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it("other check run actions ask for nothing", async () => {
    github.permissions.set("ada", "admin");
    const payload = rerun("ada", checkRunExternalId(review));
    payload.action = "completed";
    expect(await routeEvent(event("check_run", payload))).toEqual([]);
  });
});

describe("events Baton does not act on", () => {
  it("ask for nothing, and an event without a repository neither", async () => {
    github.permissions.set("writer", "write");
    expect(await routeEvent(event("issue", labelledBy("writer")))).toEqual([]);
    const noRepo = labelledBy("writer");
    delete noRepo.repository;
    expect(await routeEvent(event("issues", noRepo))).toEqual([]);
    expect(await routeEvent(event("star", { action: "created", repository: { name: "widgets", owner: { login: "acme" } } }))).toEqual([]);
    // Actions that Baton acts on for pull requests mean nothing on other events.
    for (const action of ["opened", "reopened", "closed", "submitted", "created", "rerequested", "baton-dev"]) {
      expect(await routeEvent(event("issues", { ...labelledBy("writer"), action }))).toEqual([]);
    }
    expect(github.requests).toEqual([]);
  });
});
