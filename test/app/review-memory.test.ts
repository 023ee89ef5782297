import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseReviewState } from "../../src/steps/review/review-state.js";
import { unifiedPatch } from "../support/fake-github/unified-diff.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub, type PullFile } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { BATON_YML, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueComment, pullRequestEvent } from "./fixtures/webhooks.js";

/**
 * Incremental reviews that remember, end to end on a fake GitHub that keeps
 * real commits: a finding stays open across pushes until a push fixes its
 * code or a maintainer dismisses it, and the check run fails while it is open.
 */

const SUMMARY_MARKER = "<!-- baton:review-summary pr -->";
const PATH = "src/api/orders.ts";

const V1 = `import { db } from "../db.js";

export async function findOrders(customer: string) {
  return db.query("SELECT * FROM orders WHERE customer = '" + customer + "'");
}

export async function countOrders() {
  return db.count("orders");
}
`;
/** An unrelated change: the injection is still there. */
const V2 = V1.replace('return db.count("orders");', 'const n = await db.count("orders");\n  return n;');
/** The fix. */
const V3 = V2.replace(`return db.query("SELECT * FROM orders WHERE customer = '" + customer + "'");`, "return db.sql`SELECT * FROM orders WHERE customer = ${customer}`;");

const INJECTION_CODE = `return db.query("SELECT * FROM orders WHERE customer = '" + customer + "'");`;

const injection = {
  severity: "critical",
  path: PATH,
  line: 4,
  code: INJECTION_CODE,
  confidence: 0.95,
  title: "SQL built by string concatenation",
  body: "`customer` goes straight into SQL: use the `db.sql` tagged template.",
  suggestion: "  return db.sql`SELECT * FROM orders WHERE customer = ${customer}`;",
  lesson: "Never build SQL by string concatenation; use db.sql tagged templates.",
  source: "general",
};
const answer = (findings: unknown[], resolved: string[] = []) => ({ findings, resolved, specCompliance: [], adrConformance: [], summary: "Order lookups." });
const verified = { verdicts: [] };

describe("incremental reviews that remember", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;
  let app: TestApp;
  const heads: string[] = [];

  beforeEach(async () => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    const base = repositoryFiles({ adr: null, batonYml: `${BATON_YML}  failOn: high\n` });
    main = seedRepository(github, base);
    heads.length = 0;
    for (const [i, text] of [V1, V2, V3].entries()) heads.push(github.commit({ ...base, [PATH]: text }, `push ${i + 1}`));
    app = await startApp();
  });
  afterEach(() => github.stop());

  const file = (before: string, after: string, status: PullFile["status"] = "modified"): PullFile => ({ filename: PATH, status, patch: unifiedPatch(before, after).patch });
  const spec = (headSha: string) => ({ number: 21, title: "Order lookups", body: "", headRef: "feature/orders", headSha, additions: 9, deletions: 0 });

  async function open() {
    github.addPull({ ...spec(heads[0]!), baseSha: main, files: [file("", V1, "added")] });
    await app.deliver("pull_request", pullRequestEvent("opened", { ...spec(heads[0]!), baseSha: main }));
  }

  async function push(n: number, before: string, after: string) {
    const pr = github.pulls.get(21)!;
    pr.headSha = heads[n]!;
    pr.files = [file("", after, "added")];
    github.compares.set(`${heads[n - 1]}...${heads[n]}`, [file(before, after)]);
    await app.deliver("pull_request", pullRequestEvent("synchronize", { ...spec(heads[n]!), baseSha: main }, heads[n - 1]));
  }

  const summary = () => github.commentsOn(21).find((c) => c.body.includes(SUMMARY_MARKER))!.body;
  const conclusions = () => github.checkRuns.map((c) => c.conclusion);

  it("a critical finding left unfixed across two pushes keeps the check failing; the fix turns it green and the summary shows it resolved", async () => {
    const sameTitleElsewhere = { ...injection, severity: "high", line: 8, code: 'const n = await db.count("orders");', title: "SQL built by string concatenation", suggestion: undefined };
    claude
      .answersWithTool("submit_review", answer([injection]))
      .answersWithTool("verify_findings", verified)
      .answersWithTool("submit_review", answer([injection, sameTitleElsewhere]))
      .answersWithTool("verify_findings", verified)
      .answersWithTool("submit_review", answer([]));

    await open();
    expect(conclusions()).toEqual(["failure"]);
    const first = github.reviews[0]!;
    expect(first.comments).toHaveLength(1);
    expect(first.comments[0]!.body).toContain("```suggestion\n  return db.sql`SELECT * FROM orders WHERE customer = ${customer}`;\n```");

    // Push 2 does not touch the injection: still open, still failing. The same title at a new place is a new finding.
    await push(1, V1, V2);
    expect(conclusions()).toEqual(["failure", "failure"]);
    expect(github.reviews).toHaveLength(2);
    expect(github.reviews[1]!.comments.map((c) => c.line)).toEqual([8]);
    let state = parseReviewState(summary())!;
    expect(state.findings.map((f) => [f.line, f.status])).toEqual([
      [4, "open"],
      [8, "open"],
    ]);
    expect(summary()).toContain("2 open findings (1 critical, 1 high), 1 new · 0 resolved · 0 dismissed");
    // What the model was told is still open.
    expect(claude.openingText(2)).toMatch(/already-reported[\s\S]*\[critical\] src\/api\/orders\.ts:4: SQL built by string concatenation/);

    // Push 3 fixes the injection: its code is gone, so it is resolved; the other finding stays open (high ≥ failOn).
    await push(2, V2, V3);
    state = parseReviewState(summary())!;
    expect(state.findings.map((f) => [f.line, f.status, f.closedBy])).toEqual([
      [4, "resolved", "push"],
      [8, "open", undefined],
    ]);
    expect(state.findings[0]!.lesson).toBe("Never build SQL by string concatenation; use db.sql tagged templates.");
    expect(summary()).toMatch(/<details><summary>Resolved \(1\)<\/summary>[\s\S]*SQL built by string concatenation/);
    expect(conclusions()).toEqual(["failure", "failure", "failure"]);

    // A maintainer dismisses the other one: the same check run turns green, no model call.
    github.permissions.set("lead", "maintain");
    const other = state.findings[1]!.id;
    await app.deliver("issue_comment", issueComment({ number: 21, isPullRequest: true, body: `/baton dismiss ${other}`, commentId: 7001, login: "lead" }));
    expect(github.unmatched).toEqual([]);
    expect(claude.isDone()).toBe(true);
    expect(claude.requests).toHaveLength(5);
    expect(conclusions()).toEqual(["failure", "failure", "success"]);
    expect(github.checkRuns[2]!.output?.title).toBe("1 finding dismissed, 0 open");
    expect(parseReviewState(summary())!.findings.map((f) => f.status)).toEqual(["resolved", "dismissed"]);
    expect(summary()).toContain("dismissed by `@lead`");
  });

  it("/baton dismiss needs write access", async () => {
    claude.answersWithTool("submit_review", answer([injection])).answersWithTool("verify_findings", verified);
    await open();
    const id = parseReviewState(summary())!.findings[0]!.id;
    await app.deliver("issue_comment", issueComment({ number: 21, isPullRequest: true, body: `/baton dismiss ${id}`, commentId: 7002, login: "visitor" }));
    expect(parseReviewState(summary())!.findings[0]!.status).toBe("open");
    expect(conclusions()).toEqual(["failure"]);
    expect(github.commentsOn(21).some((c) => c.body.includes("reserved for people with write access"))).toBe(true);
  });

  it("resolving a finding's thread dismisses it at the next review, when the resolver has write access", async () => {
    claude.answersWithTool("submit_review", answer([injection])).answersWithTool("verify_findings", verified).answersWithTool("submit_review", answer([]));
    await open();
    github.permissions.set("lead", "write");
    github.reviews[0]!.comments[0]!.resolvedBy = "lead";
    await push(1, V1, V2);
    expect(parseReviewState(summary())!.findings.map((f) => [f.status, f.closedBy])).toEqual([["dismissed", "lead"]]);
    expect(conclusions()).toEqual(["failure", "success"]);
    expect(github.requests.some((r) => r.method === "POST" && r.path === "/graphql" && JSON.stringify(r.body).includes("reviewThreads"))).toBe(true);
  });

  it("a 422 on one comment keeps the others inline: only the refused one moves into the body", async () => {
    const second = { ...injection, severity: "medium", line: 8, code: 'return db.count("orders");', title: "Count is not cached", suggestion: undefined };
    claude.answersWithTool("submit_review", answer([injection, second])).answersWithTool("verify_findings", verified);
    // A push lands while Baton writes: GitHub's diff no longer has line 8, so it refuses that comment.
    github.onCreateReview = (pull) => {
      github.onCreateReview = undefined;
      pull.files = [file("", V1.split("\n").slice(0, 6).join("\n") + "\n", "added")];
    };
    await open();
    expect(github.unmatched).toEqual([]);
    expect(github.reviews).toHaveLength(1);
    const review = github.reviews[0]!;
    expect(review.comments.map((c) => c.line)).toEqual([4]);
    expect(review.body).toContain("### Comments that could not be placed inline");
    expect(review.body).toContain("Count is not cached");
    expect(review.body).not.toMatch(/could not be placed inline[\s\S]*SQL built by string concatenation/);
  });
});
