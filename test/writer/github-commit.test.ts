import { describe, expect, it } from "vitest";
import { createGitHubWriter, GitHubWriteError } from "../../src/writer/github-writer.js";
import { gitBlobSha } from "../../src/writer/github-commit.js";
import type { CommitIntent } from "../../src/writer/intents.js";
import {
  blobCreated,
  blobSha,
  commitPayload,
  fakeGitHub,
  NOT_FOUND,
  OWNER,
  probotOctokit,
  R,
  refPath,
  refPayload,
  REPO,
  sha,
  step,
  treePayload,
  BATON_IDENTITY,
} from "./github-fake.js";

// The repository at the base commit:
//   README.md
//   docs/old.md
//   docs/adr/0001-record.md
//   docs/adr/README.md
const BASE = sha("base-commit");
const ROOT = sha("root-tree");
const DOCS = sha("docs-tree");
const ADR = sha("adr-tree");
const RECORD_V1 = "# 1. Record architecture decisions\n\nStatus: accepted\n";
const INDEX = "# ADRs\n\n- 0001\n";

function serveBaseTree(scope: ReturnType<typeof fakeGitHub>["scope"]): void {
  scope
    .get(`${R}/git/trees/${ROOT}`)
    .reply(200, treePayload(ROOT, [{ name: "README.md", blob: "# widgets\n" }, { name: "docs", tree: DOCS }]))
    .get(`${R}/git/trees/${DOCS}`)
    .reply(200, treePayload(DOCS, [{ name: "adr", tree: ADR }, { name: "old.md", blob: "old notes\n" }]))
    .get(`${R}/git/trees/${ADR}`)
    .reply(200, treePayload(ADR, [{ name: "0001-record.md", blob: RECORD_V1 }, { name: "README.md", blob: INDEX }]));
}

const BRANCH = "baton/adr/12-cache";
const NEW_ADR = "---\nstatus: proposed\n---\n# 12. Cache résumés — with “quotes”\n";
const RECORD_V2 = "# 1. Record architecture decisions\n\nStatus: superseded by 0012\n";

function intent(overrides: Partial<CommitIntent> = {}): CommitIntent {
  return {
    kind: "commit",
    branch: BRANCH,
    baseSha: BASE,
    message: "docs(adr): propose ADR 12, cache\n\nRefs #12",
    files: [
      { path: "docs/adr/0012-cache.md", content: NEW_ADR },
      { path: "docs/adr/0001-record.md", content: RECORD_V2 },
      { path: "docs/adr/README.md", content: INDEX }, // identical to the base: no blob, no tree entry
      { path: "docs/old.md", content: null },
    ],
    ...overrides,
  };
}

const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });
const decode = (body: unknown) => Buffer.from((body as { content: string }).content, "base64").toString("utf8");

describe("commit intents", () => {
  it("creates the blobs, one tree, one commit and the branch, in that order, for the changed files only", async () => {
    const gh = fakeGitHub();
    const newTree = sha("new-tree");
    const newCommit = sha("new-commit");
    gh.scope.get(`${R}/git/ref/${refPath(BRANCH)}`).reply(404, NOT_FOUND);
    gh.scope.get(`${R}/git/commits/${BASE}`).reply(200, commitPayload(BASE, ROOT, [sha("older")]));
    serveBaseTree(gh.scope);
    gh.scope
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated(NEW_ADR))
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated(RECORD_V2))
      .post(`${R}/git/trees`)
      .reply(201, { ...treePayload(newTree, []), sha: newTree })
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(newCommit, newTree, [BASE], intent().message))
      .post(`${R}/git/refs`)
      .reply(201, refPayload(BRANCH, newCommit));

    const results = await writer().apply(step(), [intent()]);

    gh.scope.done();
    expect(results).toEqual([
      {
        kind: "commit",
        branch: BRANCH,
        sha: newCommit,
        url: `https://github.com/${OWNER}/${REPO}/commit/${newCommit}`,
        created: true,
        action: "branch-created",
        changedPaths: ["docs/adr/0012-cache.md", "docs/adr/0001-record.md", "docs/old.md"],
        repository: `${OWNER}/${REPO}`,
      },
    ]);
    const writes = gh.writes();
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST ${R}/git/blobs`,
      `POST ${R}/git/blobs`,
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `POST ${R}/git/refs`,
    ]);
    expect(writes[0]!.body).toMatchObject({ encoding: "base64" });
    expect(decode(writes[0]!.body)).toBe(NEW_ADR); // non-ASCII survives byte for byte
    expect(decode(writes[1]!.body)).toBe(RECORD_V2);
    expect(writes[2]!.body).toEqual({
      base_tree: ROOT,
      tree: [
        { path: "docs/adr/0012-cache.md", mode: "100644", type: "blob", sha: blobSha(NEW_ADR) },
        { path: "docs/adr/0001-record.md", mode: "100644", type: "blob", sha: blobSha(RECORD_V2) },
        { path: "docs/old.md", mode: "100644", type: "blob", sha: null },
      ],
    });
    expect(writes[3]!.body).toEqual({ message: "docs(adr): propose ADR 12, cache\n\nRefs #12", tree: newTree, parents: [BASE] });
    expect(writes[4]!.body).toEqual({ ref: `refs/heads/${BRANCH}`, sha: newCommit });
  });

  it("writes nothing on redelivery, when the branch already holds the intended files", async () => {
    const gh = fakeGitHub();
    const tip = sha("tip");
    const tipRoot = sha("tip-root");
    const tipDocs = sha("tip-docs");
    const tipAdr = sha("tip-adr");
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, tip))
      .get(`${R}/git/commits/${tip}`)
      .reply(200, commitPayload(tip, tipRoot, [BASE]))
      .get(`${R}/git/trees/${tipRoot}`)
      .reply(200, treePayload(tipRoot, [{ name: "README.md", blob: "# widgets\n" }, { name: "docs", tree: tipDocs }]))
      .get(`${R}/git/trees/${tipDocs}`)
      .reply(200, treePayload(tipDocs, [{ name: "adr", tree: tipAdr }]))
      .get(`${R}/git/trees/${tipAdr}`)
      .reply(
        200,
        treePayload(tipAdr, [
          { name: "0001-record.md", blob: RECORD_V2 },
          { name: "0012-cache.md", blob: NEW_ADR },
          { name: "README.md", blob: INDEX },
        ]),
      );

    const [result] = await writer().apply(step(), [intent()]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ kind: "commit", sha: tip, created: false, action: "unchanged", changedPaths: [] });
  });

  it("adds one commit on top of a branch that moved on, and fast-forwards it", async () => {
    const gh = fakeGitHub();
    // Someone pushed a fix to the branch: its tip is not the base, and the ADR there is an older draft.
    const tip = sha("human-fix");
    const tipRoot = sha("fix-root");
    const tipDocs = sha("fix-docs");
    const tipAdr = sha("fix-adr");
    const newTree = sha("on-top-tree");
    const newCommit = sha("on-top-commit");
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, tip))
      .get(`${R}/git/commits/${tip}`)
      .reply(200, commitPayload(tip, tipRoot, [sha("first-baton-commit")], "fix typo"))
      .get(`${R}/git/trees/${tipRoot}`)
      .reply(200, treePayload(tipRoot, [{ name: "docs", tree: tipDocs }]))
      .get(`${R}/git/trees/${tipDocs}`)
      .reply(200, treePayload(tipDocs, [{ name: "adr", tree: tipAdr }]))
      .get(`${R}/git/trees/${tipAdr}`)
      .reply(200, treePayload(tipAdr, [{ name: "0012-cache.md", blob: "draft\n" }, { name: "run.sh", exec: "#!/bin/sh\n" }]))
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated(NEW_ADR))
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated("#!/bin/sh\nexit 0\n"))
      .post(`${R}/git/trees`)
      .reply(201, treePayload(newTree, []))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(newCommit, newTree, [tip]))
      .patch(`${R}/git/refs/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, newCommit));

    const [result] = await writer().apply(step(), [
      intent({
        files: [
          { path: "docs/adr/0012-cache.md", content: NEW_ADR },
          { path: "docs/adr/run.sh", content: "#!/bin/sh\nexit 0\n" },
          { path: "docs/gone.md", content: null }, // already absent: no deletion entry
        ],
      }),
    ]);

    gh.scope.done();
    expect(result).toMatchObject({ sha: newCommit, created: true, action: "branch-updated", changedPaths: ["docs/adr/0012-cache.md", "docs/adr/run.sh"] });
    const writes = gh.writes();
    expect(writes.map((c) => c.method)).toEqual(["POST", "POST", "POST", "POST", "PATCH"]);
    expect(writes[2]!.body).toEqual({
      base_tree: tipRoot,
      tree: [
        { path: "docs/adr/0012-cache.md", mode: "100644", type: "blob", sha: blobSha(NEW_ADR) },
        { path: "docs/adr/run.sh", mode: "100755", type: "blob", sha: blobSha("#!/bin/sh\nexit 0\n") }, // stays executable
      ],
    });
    expect(writes[3]!.body).toMatchObject({ parents: [tip] }); // nothing the human pushed is lost
    expect(writes[4]!.body).toEqual({ sha: newCommit, force: false });
  });

  it("treats a branch moved during the write (422, not a fast forward) as transient", async () => {
    const gh = fakeGitHub();
    const tip = sha("tip");
    const tipRoot = sha("tip-root");
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, tip))
      .get(`${R}/git/commits/${tip}`)
      .reply(200, commitPayload(tip, tipRoot, [BASE]))
      .get(`${R}/git/trees/${tipRoot}`)
      .reply(200, treePayload(tipRoot, [{ name: "NOTES.md", blob: "x" }]))
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated("hello\n"))
      .post(`${R}/git/trees`)
      .reply(201, treePayload(sha("t"), []))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(sha("c"), sha("t"), [tip]))
      .patch(`${R}/git/refs/${refPath(BRANCH)}`)
      .reply(422, { message: "Update is not a fast forward", documentation_url: "https://docs.github.com/rest/git/refs#update-a-reference", status: "422" });

    const error = await writer()
      .apply(step({ writablePaths: ["**"] }), [intent({ files: [{ path: "hello.md", content: "hello\n" }] })])
      .catch((e: unknown) => e);

    gh.scope.done();
    expect(error).toBeInstanceOf(GitHubWriteError);
    expect((error as GitHubWriteError).transient).toBe(true);
    expect((error as GitHubWriteError).message).toContain(`PATCH ${R}/git/refs/heads/${BRANCH} (422): Update is not a fast forward`);
  });

  it("refuses to replace a directory with a file, before writing anything", async () => {
    const gh = fakeGitHub();
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(404, NOT_FOUND)
      .get(`${R}/git/commits/${BASE}`)
      .reply(200, commitPayload(BASE, ROOT, []));
    serveBaseTree(gh.scope);

    await expect(writer().apply(step(), [intent({ files: [{ path: "docs/adr", content: null }, { path: "docs/old.md", content: "x" }] })])).rejects.toThrow(
      /docs\/adr is a directory/,
    );
    expect(gh.writes()).toEqual([]);
  });

  it("computes blob ids as git does", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    expect(gitBlobSha("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  });
});
