import { botIdentityOfApp } from "../../src/writer/bot-identity.js";
import { describe, expect, it } from "vitest";
import { CapabilityError } from "../../src/writer/check-capabilities.js";
import { createGitHubWriter, GitHubWriteError } from "../../src/writer/github-writer.js";
import type { CommitIntent } from "../../src/writer/intents.js";
import { commitPayload, fakeGitHub, NOT_FOUND, OWNER, probotOctokit, R, refPath, REPO, sha, step, treePayload } from "../writer/github-fake.js";

/**
 * The GitHub writer asks the same path policy as every other writer, before
 * its first request, and refuses to write below a symbolic link or a
 * submodule of the tree it commits on.
 */
const BASE = sha("base-commit");
const ROOT = sha("root-tree");
const DOCS = sha("docs-tree");
const BRANCH = "baton/dev/7-x";
const devStep = step({ id: "dev", writablePaths: ["**"], deniedPaths: [".github/workflows/**"], alwaysDeniedPaths: ["docs/adr/**", ".github/baton.yml"] });
const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: botIdentityOfApp("baton") });
const commit = (...paths: string[]): CommitIntent => ({ kind: "commit", branch: BRANCH, baseSha: BASE, message: "m", files: paths.map((path) => ({ path, content: "x\n" })) });

async function refusal(intent: CommitIntent): Promise<string[]> {
  const gh = fakeGitHub();
  const err = await writer()
    .apply(devStep, [intent])
    .then(() => null)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CapabilityError);
  expect(gh.calls).toEqual([]);
  return (err as CapabilityError).violations;
}

describe("GitHub writer: paths", () => {
  it.each([
    ["docs//adr/0001-x.md", "docs/adr/0001-x.md: the step may never write here (always denied: docs/adr/**)"],
    [".github//baton.yml", ".github/baton.yml: the step may never write here (always denied: .github/baton.yml)"],
    [".GitHub/Workflows/ci.yml", ".GitHub/Workflows/ci.yml: the step may never write here (denied by .github/workflows/**)"],
    [".git/config", ".git/config: a .git component is git's own data (config, hooks) and is never written"],
    ["sub/.GIT", "sub/.GIT: a .git component is git's own data (config, hooks) and is never written"],
    ["./src/a.ts", '"./src/a.ts": not in canonical form (write it as src/a.ts)'],
  ])("refuses %j before any request", async (path, reason) => {
    expect(await refusal(commit(path))).toContain(reason);
  });

  it("refuses two paths that are one file on a case-insensitive disk", async () => {
    expect(await refusal(commit("src/Readme.md", "src/README.md"))).toEqual([`commit to ${BRANCH}: src/Readme.md and src/README.md name the same file on a case-insensitive disk`]);
  });

  it("refuses to write below a symbolic link of the tree, and writes nothing", async () => {
    const gh = fakeGitHub();
    gh.scope.get(`${R}/git/ref/${refPath(BRANCH)}`).reply(404, NOT_FOUND);
    gh.scope.get(`${R}/git/commits/${BASE}`).reply(200, commitPayload(BASE, ROOT, []));
    gh.scope.get(`${R}/git/trees/${ROOT}`).reply(200, treePayload(ROOT, [{ name: "docs", tree: DOCS }, { name: "lnk", link: "../outside" }]));

    const err = await writer()
      .apply(devStep, [commit("lnk/x")])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(GitHubWriteError);
    expect((err as GitHubWriteError).message).toBe("lnk is a symbolic link, not a folder: Baton never writes through it");
    expect((err as GitHubWriteError).details.transient).toBe(false);
    expect(gh.writes()).toEqual([]);
  });
});
