import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePitfalls } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { pitfallId } from "../../src/context-store/pitfalls/pitfall-entry.js";
import { canonicalPitfallText } from "../../src/context-store/pitfalls/write-pitfalls.js";
import { escapeMarkdownInline } from "../../src/util/posted-text.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { closeUnmerged, comment, merge, pullByBranch } from "./fixtures/people.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { pullRequestEvent, pullSpec } from "./fixtures/webhooks.js";
import { parseReviewState } from "../../src/steps/review/review-state.js";
import { repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { reviewedPull as reviewedPullOn } from "./fixtures/reviewed-pull.js";

const LESSON = "Every search endpoint must cap the page size it accepts; an unbounded `limit` lets one request read the whole table.";

/** Review findings: a critical one fixed by a later push (resolved, with a lesson), one dismissed by a maintainer and one still open. */
const FIXED = { id: "3f2a9c01", fingerprint: "3f2a9c01aaaaaaaa", path: "src/api/search.ts", line: 4, severity: "critical", title: "Search limit is not capped", lesson: LESSON, status: "resolved", sha: "a".repeat(40), closedSha: "b".repeat(40), closedBy: "push" };
const DISMISSED = { id: "77aa0000", fingerprint: "77aa0000bbbbbbbb", path: "src/api/search.ts", severity: "low", title: "Style", lesson: "Prefer arrow functions.", status: "dismissed", closedBy: "lead" };
const OPEN = { id: "11bb0000", fingerprint: "11bb0000cccccccc", path: "src/web/app.ts", severity: "medium", title: "Not fixed yet", lesson: "Web handlers must escape HTML.", status: "open" };

describe("pitfalls learned from a merged pull request", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    seedRepository(github, repositoryFiles());
    github.permissions.set("lead", "write");
    app = await startApp();
  });
  afterEach(() => github.stop());

  const reviewedPull = (number: number, branch: string, findings: Record<string, unknown>[]) => reviewedPullOn(github, number, branch, findings);

  it("the fixed critical finding's lesson, with a /baton remember, in ONE pull request citing the PR and the finding; a second merge with the same lesson adds no duplicate", async () => {
    reviewedPull(30, "search", [FIXED, DISMISSED, OPEN]);
    await comment(app, github, 30, "lead", "/baton remember --module web Escape every attribute value because a quote breaks out of it");
    await comment(app, github, 30, "visitor", "/baton remember --module api Visitors cannot teach");
    expect([...github.pulls.values()].filter((p) => p.headRef.startsWith("baton/pitfalls/"))).toEqual([]);

    await merge(app, github, 30);

    const learned = pullByBranch(github, "baton/pitfalls/");
    expect(learned.title).toBe("Pitfalls learned from #30");
    expect(learned.headRef).toBe("baton/pitfalls/learned-30");
    const files = github.filesAt(learned.headSha);
    const api = parsePitfalls("docs/pitfalls/api.md", files["docs/pitfalls/api.md"]!);
    const entry = api.entries.find((e) => e.id === pitfallId(canonicalPitfallText(LESSON)))!;
    expect(entry).toMatchObject({ source: { url: "https://github.com/acme/widgets/pull/30", pr: 30, finding: "3f2a9c01" }, date: "2026-11-25" });
    expect(files["docs/pitfalls/api.md"]).toContain("**Learned in:** [PR #30](https://github.com/acme/widgets/pull/30), finding `3f2a9c01`");
    // The remember lesson is in the same pull request; dismissed and open findings, and a visitor, teach nothing.
    expect(files["docs/pitfalls/web.md"]).toContain("Escape every attribute value");
    expect(files["docs/pitfalls/web.md"]).toContain("**Why it matters:** a quote breaks out of it");
    const all = Object.values(files).join("\n");
    for (const absent of ["Prefer arrow functions", "Web handlers must escape HTML", "Visitors cannot teach"]) expect(all).not.toContain(absent);
    expect(learned.body).toContain(`- new: ${escapeMarkdownInline(entry.title)} (\`${entry.id}\`), from finding \`3f2a9c01\` (Search limit is not capped)`);
    expect(github.commentsOn(30).at(-1)!.body).toContain(`Baton proposed what this pull request taught (2 lessons) as pitfalls: https://github.com/acme/widgets/pull/${learned.number}`);

    // The learned pull request is merged; another pull request teaches the same lesson: nothing new.
    await merge(app, github, learned.number);
    reviewedPull(31, "search-2", [{ ...FIXED, fingerprint: "9999aaaa00000000", id: "9999aaaa" }]);
    await merge(app, github, 31);
    expect([...github.pulls.values()].filter((p) => p.headRef === "baton/pitfalls/learned-31")).toEqual([]);
    expect(github.commentsOn(31).at(-1)!.body).toContain("The lessons of this pull request are already recorded");
    const onMain = github.filesAt(github.branchSha("main")!)["docs/pitfalls/api.md"]!;
    expect(parsePitfalls("docs/pitfalls/api.md", onMain).entries.filter((e) => e.lesson.includes("Every search endpoint must cap"))).toHaveLength(1);
    expect(github.unmatched).toEqual([]);
  });

  it("end to end: the review finds a critical problem with a lesson, a push fixes it, the merge proposes the lesson", async () => {
    const path = "src/api/orders.ts";
    const v1 = 'export async function findOrders(customer: string) {\n  return db.query("SELECT * FROM orders WHERE customer = \'" + customer + "\'");\n}\n';
    const v2 = "export async function findOrders(customer: string) {\n  return db.sql`SELECT * FROM orders WHERE customer = ${customer}`;\n}\n";
    const lesson = "Never build SQL by string concatenation; use db.sql tagged templates.";
    const finding = { severity: "critical", path, line: 2, code: 'return db.query("SELECT * FROM orders WHERE customer = \'" + customer + "\'");', confidence: 0.95, title: "SQL built by string concatenation", body: "Use db.sql.", lesson, source: "general" };
    const review = (findings: unknown[]) => ({ findings, resolved: [], specCompliance: [], adrConformance: [], summary: "Orders." });
    claude.answersWithTool("submit_review", review([finding])).answersWithTool("verify_findings", { verdicts: [] }).answersWithTool("submit_review", review([]));

    const main = github.branchSha("main")!;
    github.setBranch("feature/orders", main);
    const first = github.push("feature/orders", { [path]: v1 }).after;
    github.addPull({ number: 40, title: "Order lookups", body: "", headRef: "feature/orders", headSha: first, baseSha: main, files: [], filesFromGit: true });
    await app.deliver("pull_request", pullRequestEvent("opened", { ...pullSpec(github.pulls.get(40)!), additions: 3 }));
    const fix = github.push("feature/orders", { [path]: v2 });
    await app.deliver("pull_request", pullRequestEvent("synchronize", { ...pullSpec(github.pulls.get(40)!), additions: 3 }, fix.before));
    const state = parseReviewState(github.commentsOn(40).find((c) => c.body.includes("baton:review-summary"))!.body)!;
    expect(state.findings).toMatchObject([{ title: "SQL built by string concatenation", status: "resolved", lesson }]);
    expect(claude.isDone()).toBe(true);

    await merge(app, github, 40);
    const learned = pullByBranch(github, "baton/pitfalls/");
    const api = github.filesAt(learned.headSha)["docs/pitfalls/api.md"]!;
    expect(api).toContain(lesson);
    expect(api).toContain(`**Learned in:** [PR #40](https://github.com/acme/widgets/pull/40), finding \`${state.findings[0]!.id}\``);
    expect(github.unmatched).toEqual([]);
  });

  it("a near-duplicate lesson is merged into the existing entry: one more place it was learned in", async () => {
    // The api pitfalls already say: "Handlers that accept `limit` must clamp it: `?limit=1000000` once took the database down."
    reviewedPull(32, "clamp", [{ ...FIXED, lesson: "Handlers that accept `limit` must clamp it: `?limit=9999999` once took the database down." }]);
    await merge(app, github, 32);
    const learned = pullByBranch(github, "baton/pitfalls/");
    const text = github.filesAt(learned.headSha)["docs/pitfalls/api.md"]!;
    expect(parsePitfalls("docs/pitfalls/api.md", text).entries).toHaveLength(1);
    expect(text).toContain("**Learned in:** [PR #7](https://github.com/acme/widgets/pull/7), [PR #32](https://github.com/acme/widgets/pull/32), finding `3f2a9c01`");
    expect(learned.body).toContain("merged into Clamp pagination parameters");
  });

  it("closed without merging: only the /baton remember lessons are proposed", async () => {
    reviewedPull(33, "abandoned", [FIXED]);
    await comment(app, github, 33, "lead", "/baton remember --module api Abandoned approaches still teach something");
    await closeUnmerged(app, github, 33);
    const learned = pullByBranch(github, "baton/pitfalls/");
    const text = github.filesAt(learned.headSha)["docs/pitfalls/api.md"]!;
    expect(text).toContain("Abandoned approaches still teach something");
    expect(text).not.toContain("Every search endpoint must cap");
  });
});
