import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { FakeClaude } from "./fixtures/fake-claude.js";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { startApp } from "./fixtures/harness.js";
import { ADR_PATH, ISSUE_12, repositoryFiles, seedRepository } from "./fixtures/repo-state.js";
import { issueLabeled } from "./fixtures/webhooks.js";

/**
 * When the model answers that the new decision supersedes an older ADR, the
 * new ADR records the intent (`supersedes`) and the old one is left in force:
 * it is marked superseded only when the new ADR is accepted, in the
 * acceptance commit (test/app/adr-lifecycle.test.ts).
 */

const answer = (supersedes: number[]) => ({
  title: "Return errors as JSON:API error objects",
  context: "Clients now use a JSON:API library.",
  drivers: ["Clients parse errors with a JSON:API library"],
  options: [
    { name: "JSON:API errors", good: ["the client library parses them"], bad: ["a breaking change"] },
    { name: "Keep problem+json", good: ["no change"], bad: ["clients parse by hand"] },
  ],
  decision: "Return JSON:API error objects.",
  consequences: ["Good, because the client library parses them."],
  confirmation: "The review applies the api rule below.",
  modules: ["api"],
  guidance: [{ module: "api", rules: [{ level: "MUST", rule: "return `{ errors: [...] }` documents", check: "error responses are JSON:API documents" }] }],
  supersedes,
});

describe("architecture review, superseding an ADR", () => {
  let github: FakeGitHub;
  let claude: FakeClaude;
  let main: string;

  beforeEach(() => {
    github = new FakeGitHub().start();
    claude = new FakeClaude();
    main = seedRepository(github, repositoryFiles({ adr: { spec: "#3" } }));
    github.addIssue(ISSUE_12);
  });
  afterEach(() => github.stop());

  async function propose(supersedes: number[]) {
    claude.answersWithTool("write_adr", answer(supersedes));
    const app = await startApp();
    await app.deliver("issues", issueLabeled(ISSUE_12, "needs-architecture"));
    expect(github.unmatched).toEqual([]);
    const pr = [...github.pulls.values()][0]!;
    return { pr, files: github.filesAt(pr.headSha) };
  }

  it("records the intent in the new ADR and leaves the old one in force until the new one is accepted", async () => {
    const { pr, files } = await propose([1]);

    // The old ADR is untouched on the proposal's branch.
    expect(files[ADR_PATH]).toBe(github.filesAt(main)[ADR_PATH]);
    const newPath = Object.keys(files).find((p) => p.startsWith("docs/adr/0002-"))!;
    expect(parseAdr(newPath.split("/").pop()!, files[newPath]!)).toMatchObject({ status: "proposed", supersedes: [1] });
    // One commit holds the new ADR and the index, which draws the intended supersession.
    expect(github.commits.get(pr.headSha)!.parents).toEqual([main]);
    expect(files["docs/adr/README.md"]).toContain("adr2 -->|supersedes| adr1");
    expect(pr.body).toContain("It supersedes ADR 1: that ADR is marked superseded when this one is accepted, not before.");
    expect(github.checkRuns[0]!.output?.summary).toContain("to supersede ADR 1 once accepted");
  });

  it("leaves every ADR as it was when the model names one that does not exist, and says so", async () => {
    const { pr, files } = await propose([7]);

    expect(files[ADR_PATH]).toBe(github.filesAt(main)[ADR_PATH]);
    expect(pr.body).toContain("the model named ADR 7 as superseded, but there is no such ADR: ignored");
    const newPath = Object.keys(files).find((p) => p.startsWith("docs/adr/0002-"))!;
    expect(parseAdr(newPath.split("/").pop()!, files[newPath]!).supersedes).toEqual([]);
  });
});
