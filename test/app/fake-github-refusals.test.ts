import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./fixtures/fake-github.js";
import { repositoryFiles, seedRepository } from "./fixtures/repo-state.js";

/**
 * The fake GitHub answers only for commits it has, as GitHub does, so a
 * test whose head SHA is made up fails loudly instead of passing by luck
 * (and a step that reads the head where it should read the base is seen).
 */

const UNKNOWN = "1111111111111111111111111111111111111111";

describe("the fake GitHub refuses SHAs that name no commit", () => {
  let github: FakeGitHub;
  let main: string;
  const octokit = new Octokit({ auth: "ghs_test", request: { retries: 0 } });
  const repo = { owner: "acme", repo: "widgets" };
  const status = (p: Promise<unknown>) => p.then(() => 200, (err: { status?: number; message?: string }) => `${err.status} ${err.message}`);

  beforeEach(() => {
    github = new FakeGitHub().start();
    main = seedRepository(github, repositoryFiles());
  });
  afterEach(() => github.stop());

  it("answers 422 for check runs on an unknown commit, and serves a real one", async () => {
    expect(await status(octokit.rest.checks.listForRef({ ...repo, ref: UNKNOWN }))).toMatch(/^422 No commit found for SHA: 1{40}/);
    expect(await status(octokit.rest.checks.create({ ...repo, name: "x", head_sha: UNKNOWN }))).toMatch(/^422 No commit found for SHA/);
    expect(await status(octokit.rest.checks.create({ ...repo, name: "x", head_sha: main }))).toBe(200);
    expect((await octokit.rest.checks.listForRef({ ...repo, ref: "main" })).data.total_count).toBe(1);
  });

  it("answers 404 for contents at an unknown ref, and reads a file at the ref given", async () => {
    expect(await status(octokit.rest.repos.getContent({ ...repo, path: "README.md", ref: UNKNOWN }))).toMatch(/^404 No commit found for the ref/);
    const head = github.commitOnto(main, { "README.md": "# changed on a branch\n" }, "Change README");
    const atHead = await octokit.rest.repos.getContent({ ...repo, path: "README.md", ref: head });
    const atMain = await octokit.rest.repos.getContent({ ...repo, path: "README.md", ref: main });
    const text = (d: unknown) => Buffer.from((d as { content: string }).content, "base64").toString("utf8");
    expect(text(atHead.data)).toBe("# changed on a branch\n");
    expect(text(atMain.data)).toBe("# widgets\n\nThe widgets service.\n");
  });

  it("answers 404 for trees and comparisons of unknown commits, and 422 for a review on one", async () => {
    expect(await status(octokit.rest.git.getTree({ ...repo, tree_sha: UNKNOWN }))).toMatch(/^404/);
    expect(await status(octokit.rest.repos.compareCommits({ ...repo, base: main, head: UNKNOWN }))).toMatch(/^404/);
    const head = github.commitOnto(main, { "src/web/app.ts": "export const app = 2;\n" }, "Bump");
    github.addPull({ number: 7, title: "Bump", body: "", headRef: "bump", headSha: head, baseSha: main, files: [] });
    expect(await status(octokit.rest.pulls.createReview({ ...repo, pull_number: 7, commit_id: UNKNOWN, event: "COMMENT", body: "x" }))).toMatch(/^422/);
    expect(await status(octokit.rest.pulls.createReview({ ...repo, pull_number: 7, commit_id: head, event: "COMMENT", body: "x" }))).toBe(200);
  });

  it("refuses to set up a pull request whose head or base is not a commit", () => {
    expect(() => github.addPull({ number: 8, title: "x", body: "", headRef: "x", headSha: UNKNOWN, baseSha: main, files: [] })).toThrow(/headSha 1{40} is not a commit of the fake GitHub/);
    expect(() => github.addPull({ number: 8, title: "x", body: "", headRef: "x", headSha: main, baseSha: UNKNOWN, files: [] })).toThrow(/baseSha/);
  });
});
