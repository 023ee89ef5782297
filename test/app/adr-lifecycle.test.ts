import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp, type TestApp } from "./fixtures/harness.js";
import { approve, closeUnmerged, comment, merge, pullByBranch } from "./fixtures/people.js";
import { ADR_PATH, ISSUE_12, ISSUE_12_ADR_ANSWER, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/** What Claude answers for the architecture review of issue #12. */
const ADR_ANSWER = ISSUE_12_ADR_ANSWER;
const NEW_ADR = "docs/adr/0002-add-a-user-search-endpoint.md";

describe("ADR lifecycle on GitHub", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let app: TestApp;

  beforeEach(async () => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    // ADR 1 answers another issue; `lead` may write, `visitor` may only read.
    seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.permissions.set("lead", "write");
    github.addIssue(ISSUE_12);
    app = await startApp();
  });
  afterEach(() => github.stop());

  async function propose(answer = ADR_ANSWER) {
    claude.answersWithTool("write_adr", answer);
    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));
    return pullByBranch(github, "baton/adr/12-");
  }

  it("approve, merge, ready-for-dev: the ADR lands accepted with its date, and dev opens a pull request with no hand edit", async () => {
    const pr = await propose();
    expect(parseAdr("x.md", github.filesAt(pr.headSha)[NEW_ADR]!).status).toBe("proposed");
    const proposedAt = pr.headSha;

    await approve(app, github, pr.number, "lead");

    // One commit on the PR branch, on top of the proposal: status and date, and the index.
    const tip = github.branchSha(pr.headRef)!;
    const commit = github.commits.get(tip)!;
    expect(commit.parents).toEqual([proposedAt]);
    expect(commit.message).toMatch(/^docs\(adr\): accept ADR 2\n\nBaton-Decision: accepted by lead \(approval\)/);
    expect(pr.headSha).toBe(tip);
    const files = github.filesAt(tip);
    expect(parseAdr("0002-add-a-user-search-endpoint.md", files[NEW_ADR]!)).toMatchObject({ status: "accepted", date: "2026-11-25", spec: "#12" });
    expect(files["docs/adr/README.md"]).toContain("| 0002 | [Search users with a bounded query endpoint](0002-add-a-user-search-endpoint.md) | accepted | 2026-11-25 |");
    const changed = Object.keys(files).filter((p) => files[p] !== github.filesAt(proposedAt)[p]);
    expect(changed.sort()).toEqual(["docs/adr/README.md", NEW_ADR, "docs/specs/pinned/issue-12.md"].sort());
    // The PR says what happened, without pinging anyone.
    const said = github.commentsOn(pr.number).map((c) => c.body);
    expect(said).toEqual([expect.stringContaining("**Accepted** by `lead` (approving this pull request)")]);
    expect(said[0]).toContain("now reads `status: accepted`");
    expect(said[0]).not.toMatch(/(^|[^`])@lead/);

    // Nothing is in force before the merge.
    expect(github.filesAt(github.branchSha("main")!)[NEW_ADR]).toBeUndefined();
    await merge(app, github, pr.number);
    const onMain = github.filesAt(github.branchSha("main")!);
    expect(parseAdr("0002-add-a-user-search-endpoint.md", onMain[NEW_ADR]!)).toMatchObject({ status: "accepted", date: "2026-11-25" });

    // ready-for-dev works with no hand edit: the dev step runs under the accepted ADR.
    claude.answersWithTool("write_file", { path: "src/api/search.ts", content: "export const search = 1;\n" }).answersWithTool("finish", { summary: "Added search." });
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));
    const dev = pullByBranch(github, "baton/dev/12-");
    expect(dev.body).toContain(`Baton-ADR: ${NEW_ADR}`);
    expect(claude.isDone()).toBe(true);
    expect(github.unmatched).toEqual([]);
  });

  it("/baton accept does what an approval does; approvals and commands from people without write access decide nothing", async () => {
    const pr = await propose();
    const proposedAt = pr.headSha;

    await approve(app, github, pr.number, "visitor");
    await comment(app, github, pr.number, "visitor", "/baton accept");
    expect(github.branchSha(pr.headRef)).toBe(proposedAt);
    expect(github.commentsOn(pr.number).filter((c) => c.user.type === "Bot").map((c) => c.body)).toEqual([expect.stringContaining("`/baton accept` commits a decision, so it is reserved for people with write access")]);

    await comment(app, github, pr.number, "lead", "/baton accept");
    expect(parseAdr("x.md", github.filesAt(github.branchSha(pr.headRef)!)[NEW_ADR]!).status).toBe("accepted");
    expect(github.commits.get(github.branchSha(pr.headRef)!)!.message).toContain("accepted by lead (/baton accept)");

    // A second approval (or a redelivery) finds it decided: no new commit.
    const decidedAt = github.branchSha(pr.headRef);
    await approve(app, github, pr.number, "lead");
    expect(github.branchSha(pr.headRef)).toBe(decidedAt);
    expect(github.unmatched).toEqual([]);
  });

  it("/baton reject writes rejected; a closed, unmerged ADR pull request takes nothing into force", async () => {
    const pr = await propose();
    await comment(app, github, pr.number, "lead", "/baton reject");
    const files = github.filesAt(github.branchSha(pr.headRef)!);
    expect(parseAdr("x.md", files[NEW_ADR]!)).toMatchObject({ status: "rejected", date: "2026-11-25" });
    expect(files["docs/specs/pinned/issue-12.md"]).toBeUndefined();

    const mainBefore = github.branchSha("main");
    await closeUnmerged(app, github, pr.number);
    expect(github.branchSha("main")).toBe(mainBefore);

    // Dev still has no accepted ADR for the issue and says so.
    const issue = { ...ISSUE_12, labels: ["ready-for-dev"] };
    await app.deliver("issues", issueLabeled(issue, "ready-for-dev"));
    expect(github.commentsOn(12).at(-1)!.body).toContain("No ADR on `main` answers this issue");
    expect([...github.pulls.values()].filter((p) => p.headRef.startsWith("baton/dev/"))).toEqual([]);
    expect(github.unmatched).toEqual([]);
  });

  it("an approval of a pull request without a proposed ADR does nothing; /baton accept there says why", async () => {
    const main = github.branchSha("main")!;
    github.setBranch("feature", main);
    const after = github.push("feature", { "src/api/users.ts": "export const users = 2;\n" }).after;
    github.addPull({ number: 30, title: "Tweak users", body: "", headRef: "feature", headSha: after, baseSha: main, files: [], filesFromGit: true });

    await approve(app, github, 30, "lead");
    expect(github.commentsOn(30)).toEqual([]);
    expect(github.branchSha("feature")).toBe(after);

    await comment(app, github, 30, "lead", "/baton accept");
    expect(github.commentsOn(30).at(-1)!.body).toContain("This pull request adds no proposed ADR under `docs/adr`");
    expect(github.writes().filter((w) => w.path.includes("/git/"))).toEqual([]);
  });

  describe("superseding, in both directions of the link", () => {
    it("the new ADR records `supersedes`; the old one becomes superseded only when the new one is accepted, in the same commit", async () => {
      // ADR 1 is the one being replaced.
      const pr = await propose({ ...ADR_ANSWER, supersedes: [1] });
      const proposed = github.filesAt(pr.headSha);
      expect(parseAdr("x.md", proposed[NEW_ADR]!).supersedes).toEqual([1]);
      expect(proposed[ADR_PATH]).toBe(github.filesAt(github.branchSha("main")!)[ADR_PATH]);
      expect(pr.body).toContain("marked superseded when this one is accepted, not before");

      await approve(app, github, pr.number, "lead");
      const tip = github.branchSha(pr.headRef)!;
      const commit = github.commits.get(tip)!;
      const changedInCommit = Object.keys(github.filesAt(tip)).filter((p) => github.filesAt(tip)[p] !== github.filesAt(commit.parents[0]!)[p]);
      expect(changedInCommit).toContain(ADR_PATH);
      expect(changedInCommit).toContain(NEW_ADR);
      const old = parseAdr("0001-return-problem-json-errors.md", github.filesAt(tip)[ADR_PATH]!);
      expect(old).toMatchObject({ status: "superseded", supersededBy: [2] });
      expect(github.filesAt(tip)["docs/adr/README.md"]).toContain("adr2 -->|supersedes| adr1");
      expect(github.commentsOn(pr.number).at(-1)!.body).toContain("ADR 1 (`docs/adr/0001-return-problem-json-errors.md`) is marked superseded by ADR 2");

      await merge(app, github, pr.number);
      const onMain = github.filesAt(github.branchSha("main")!);
      expect(parseAdr("0001-return-problem-json-errors.md", onMain[ADR_PATH]!)).toMatchObject({ status: "superseded", supersededBy: [2] });
      expect(parseAdr("0002-add-a-user-search-endpoint.md", onMain[NEW_ADR]!)).toMatchObject({ status: "accepted", supersedes: [1] });
    });

    it("a rejected successor leaves the old ADR in force", async () => {
      const pr = await propose({ ...ADR_ANSWER, supersedes: [1] });
      await comment(app, github, pr.number, "lead", "/baton reject");
      const files = github.filesAt(github.branchSha(pr.headRef)!);
      expect(parseAdr("x.md", files[ADR_PATH]!)).toMatchObject({ status: "accepted", supersededBy: [] });
      await merge(app, github, pr.number);
      expect(parseAdr("x.md", github.filesAt(github.branchSha("main")!)[ADR_PATH]!).status).toBe("accepted");
    });
  });
});
