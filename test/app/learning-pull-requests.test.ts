import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePitfalls } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { FakeGitHub, NotMergeableError, type PullRecord } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { comment, merge } from "./fixtures/people.js";
import { ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { fixedFinding, reviewedPull } from "./fixtures/reviewed-pull.js";
import { pushToMain } from "./fixtures/webhooks.js";

/**
 * Two reviewed pull requests merge one after the other, each teaching
 * lessons: two learning pull requests open from two commits of main, both
 * appending to the end of `docs/pitfalls/api.md`. When the first lands, the
 * push brings the second up to date (as a person would have to, by hand,
 * to merge it), dropping what the first already landed.
 */

const SHARED = "Every search endpoint must cap the page size it accepts; an unbounded `limit` lets one request read the whole table.";
const FIRST_ONLY = "Never log request bodies: they hold passwords and tokens.";
const SECOND_ONLY = "Retries of POST requests need an idempotency key, or a timeout charges the customer twice.";
const API = "docs/pitfalls/api.md";

describe("open learning pull requests stay mergeable when another lands", () => {
  let github: FakeGitHub;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    seedRepository(github, repositoryFiles());
    app = await startApp();
  });
  afterEach(() => github.stop());

  const learnedFrom = (n: number): PullRecord => [...github.pulls.values()].find((p) => p.headRef === `baton/pitfalls/learned-${n}`)!;
  const titles = (text: string | undefined) => parsePitfalls(API, text ?? "").entries.map((e) => e.title);

  /** #30 and #31 reviewed and merged; their learning pull requests open, neither merged. */
  async function twoLearningPulls(first: string[], second: string[]): Promise<[PullRecord, PullRecord]> {
    reviewedPull(github, 30, "search", first.map((l, i) => fixedFinding(`aaaa000${i}`, l)));
    await merge(app, github, 30);
    reviewedPull(github, 31, "retries", second.map((l, i) => fixedFinding(`bbbb000${i}`, l)));
    await merge(app, github, 31);
    return [learnedFrom(30), learnedFrom(31)];
  }

  it("the second gets one commit merging main: main's text, then its entries that main does not hold; the lesson both proposed is left out and said", async () => {
    const [a, b] = await twoLearningPulls([FIRST_ONLY, SHARED], [SHARED, SECOND_ONLY]);
    const proposed = github.filesAt(b.headSha)[API]!;
    const before = b.headSha;

    await merge(app, github, a.number);

    const main = github.branchSha("main")!;
    const onMain = github.filesAt(main);
    const tip = github.commits.get(b.headSha)!;
    expect(tip.parents).toEqual([before, main]);
    expect(tip.message).toMatch(/^docs\(pitfalls\): merge main, carrying the entries of #\d+ after its own/);
    // The tree is main's, with the pitfall file carried: main's text byte for byte, then the new entry as #31's pull request wrote it.
    const files = github.filesAt(b.headSha);
    const { [API]: carried, ...rest } = files;
    const { [API]: mainApi, ...mainRest } = onMain;
    expect(rest).toEqual(mainRest);
    const secondEntry = proposed.slice(proposed.indexOf("## Retries of POST requests"));
    expect(carried).toBe(`${mainApi!.trimEnd()}\n\n${secondEntry}`);
    expect(titles(carried)).toEqual(["Clamp pagination parameters", "Never log request bodies: they hold passwords and tokens", expect.stringMatching(/^Every search endpoint must cap the page size/), expect.stringMatching(/^Retries of POST requests need an idempotency key/)]);
    expect(carried).toContain("[PR #31](https://github.com/acme/widgets/pull/31), finding `bbbb0001`");
    expect(carried).not.toContain("finding `bbbb0000`");

    const said = github.commentsOn(b.number).map((c) => c.body);
    expect(said).toEqual([expect.stringContaining("`docs/pitfalls/api.md`: Every search endpoint must cap the page size it accepts")]);
    expect(said[0]).toMatch(/already learned in #30, on the default branch; left out\./);
    expect(b.closed).toBeUndefined();

    // The body a reviewer reads no longer lists the lesson #30 landed as new; #31's own stays new.
    const entries = b.body.split("\n").filter((l) => l.startsWith("- "));
    expect(entries).toEqual([
      expect.stringMatching(/^- ~~new: Every search endpoint must cap the page size.*finding `bbbb0000`.*~~ left out: already learned in #30, on `main`$/),
      expect.stringMatching(/^- new: Retries of POST requests need an idempotency key.*finding `bbbb0001`/),
    ]);

    // Mergeable, as GitHub sees it: main then holds each lesson once, #31's after #30's.
    await merge(app, github, b.number);
    expect(titles(github.filesAt(github.branchSha("main")!)[API])).toEqual(titles(carried));
    expect(github.unmatched).toEqual([]);
  });

  it("without Baton, the second would not merge: both appended to the same file", async () => {
    const [a, b] = await twoLearningPulls([FIRST_ONLY], [SECOND_ONLY]);
    github.merge(a.number);
    expect(() => github.merge(b.number)).toThrow(NotMergeableError);
  });

  it("a learning pull request whose every entry landed is closed, saying why", async () => {
    const [a, b] = await twoLearningPulls([SHARED], [SHARED]);
    const before = b.headSha;
    await merge(app, github, a.number);

    expect(b.closed).toEqual({ at: expect.any(String), mergeCommitSha: null });
    expect(b.headSha).toBe(before);
    const said = github.commentsOn(b.number).map((c) => c.body);
    expect(said).toEqual([expect.stringContaining("Everything this pull request proposed is on `main` now, so Baton closed it:")]);
    expect(said[0]).toContain("already learned in #30");
    expect(github.unmatched).toEqual([]);
  });

  it("a learning pull request a person pushed to is only told, never rewritten", async () => {
    const [a, b] = await twoLearningPulls([FIRST_ONLY], [SECOND_ONLY]);
    const edited = github.filesAt(b.headSha)[API]!.replace("or a timeout charges", "else a timeout charges");
    const pushed = github.push(b.headRef, { [API]: edited }, "Reword", "lead").after;

    await merge(app, github, a.number);

    expect(b.headSha).toBe(pushed);
    expect(b.closed).toBeUndefined();
    expect(github.commentsOn(b.number).map((c) => c.body)).toEqual([expect.stringContaining("Baton did not bring this branch up to date with `main`, which changed the same pitfall files since it was opened: someone other than Baton pushed to it")]);
    expect(github.unmatched).toEqual([]);
  });

  it("a learning pull request that changes more than pitfall files is only told", async () => {
    const [a, b] = await twoLearningPulls([FIRST_ONLY], [SECOND_ONLY]);
    const pushed = github.push(b.headRef, { "src/api/users.ts": "export const changed = true;\n" }).after;
    await merge(app, github, a.number);
    expect(b.headSha).toBe(pushed);
    expect(github.commentsOn(b.number).at(-1)!.body).toContain("it changes more than entries of the pitfalls folder (`src/api/users.ts`)");
  });

  it("a pull request a person opened from a baton/pitfalls/ branch is not Baton's: left alone", async () => {
    const [a] = await twoLearningPulls([FIRST_ONLY], [SECOND_ONLY]);
    const from = github.branchSha("main")!;
    github.setBranch("baton/pitfalls/mine", from);
    const head = github.push("baton/pitfalls/mine", { [API]: `${github.filesAt(from)[API]}\n## Mine\n\nA person's entry.\n` }, "mine", "lead").after;
    github.addPull({ number: 90, title: "Pitfalls of mine", body: "", headRef: "baton/pitfalls/mine", headSha: head, baseSha: from, files: [], filesFromGit: true, user: "lead" });

    await merge(app, github, a.number);

    expect(github.pulls.get(90)!.headSha).toBe(head);
    expect(github.commentsOn(90)).toEqual([]);
  });

  it("a /baton remember pull request is brought up to date the same way", async () => {
    github.addIssue(ISSUE_12);
    github.permissions.set("lead", "write");
    await comment(app, github, 12, "lead", `/baton remember --module api ${SECOND_ONLY}`);
    const remembered = [...github.pulls.values()].find((p) => p.headRef.startsWith("baton/pitfalls/12-"))!;
    reviewedPull(github, 30, "search", [fixedFinding("aaaa0000", FIRST_ONLY)]);
    await merge(app, github, 30);

    await merge(app, github, learnedFrom(30).number);

    const carried = github.filesAt(remembered.headSha)[API]!;
    expect(github.commits.get(remembered.headSha)!.parents[1]).toBe(github.branchSha("main"));
    expect(carried.startsWith(github.filesAt(github.branchSha("main")!)[API]!.trimEnd())).toBe(true);
    expect(titles(carried).at(-1)).toMatch(/^Retries of POST requests need an idempotency key/);
    // Nothing was left out: nothing to say.
    expect(github.commentsOn(remembered.number)).toEqual([]);
    expect(github.unmatched).toEqual([]);
  });

  it("the same push again, after a restart, changes nothing more", async () => {
    const [a, b] = await twoLearningPulls([FIRST_ONLY, SHARED], [SHARED, SECOND_ONLY]);
    const proposedAt = b.headSha;
    const result = await merge(app, github, a.number);
    const updatedAt = b.headSha;
    expect(updatedAt).not.toBe(proposedAt);
    const writes = github.writes().length;

    const restarted = await startApp();
    await restarted.deliver("push", pushToMain(result), "push-again");

    expect(b.headSha).toBe(updatedAt);
    expect(b.body).toContain("~~ left out: already learned in #30");
    expect(github.writes().length).toBe(writes);
    expect(github.commentsOn(b.number)).toHaveLength(1);
    expect(github.unmatched).toEqual([]);
  });
});
