import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createGitHubWriter, GitHubWriteError } from "../../src/writer/github-writer.js";
import type { CommitIntent } from "../../src/writer/intents.js";
import {
  API,
  BATON_IDENTITY,
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
} from "./github-fake.js";

/**
 * What a commit does to the tree it lands on: the entries found on the way
 * (links, submodules, executables, listings GitHub cut short), merges, and
 * GitHub's answers on the branch ref. Everything visible is a request the
 * fake records: the blobs, the tree entries, the commit, the ref.
 */
const BASE = sha("base");
const ROOT = sha("root");
const BRANCH = "baton/dev/7-cache";
const devStep = step({ id: "dev", writablePaths: ["**"] });
const writer = () => createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY });
const commit = (files: CommitIntent["files"], overrides: Partial<CommitIntent> = {}): CommitIntent => ({ kind: "commit", branch: BRANCH, baseSha: BASE, message: "feat: cache", files, ...overrides });
const submodule = (name: string) => ({ path: name, mode: "160000", type: "commit", sha: sha(`sub:${name}`) });

/** No branch yet: the base commit, its root listing as given. */
function onBase(gh: ReturnType<typeof fakeGitHub>, root: object): void {
  gh.scope
    .get(`${R}/git/ref/${refPath(BRANCH)}`)
    .reply(404, NOT_FOUND)
    .get(`${R}/git/commits/${BASE}`)
    .reply(200, commitPayload(BASE, ROOT, []))
    .get(`${R}/git/trees/${ROOT}`)
    .reply(200, root);
}

/** The blob, tree, commit and new-branch writes of one commit; returns the new commit's sha. */
function acceptsCommit(gh: ReturnType<typeof fakeGitHub>, contents: string[]): string {
  const tree = sha("new-tree");
  const made = sha("new-commit");
  for (const content of contents) gh.scope.post(`${R}/git/blobs`).reply(201, blobCreated(content));
  gh.scope.post(`${R}/git/trees`).reply(201, treePayload(tree, [])).post(`${R}/git/commits`).reply(201, commitPayload(made, tree, [BASE])).post(`${R}/git/refs`).reply(201, refPayload(BRANCH, made));
  return made;
}

async function failure(intent: CommitIntent): Promise<GitHubWriteError> {
  const error = await writer()
    .apply(devStep, [intent])
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GitHubWriteError);
  return error as GitHubWriteError;
}

describe("commits on the tree they land on", () => {
  it("refuses to write below a file or a submodule, and writes nothing", async () => {
    let gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, [{ name: "NOTES", blob: "x" }]));
    let error = await failure(commit([{ path: "NOTES/a.md", content: "a" }]));
    expect(error.message).toBe("NOTES is a file, not a folder: Baton never writes through it");
    expect(error.transient).toBe(false);
    expect(gh.writes()).toEqual([]);
    gh.scope.done();

    gh = fakeGitHub();
    onBase(gh, { ...treePayload(ROOT, []), tree: [submodule("vendor")] });
    error = await failure(commit([{ path: "vendor/lib/a.c", content: "a" }]));
    expect(error.message).toBe("vendor is a submodule, not a folder: Baton never writes through it");
    expect(gh.writes()).toEqual([]);
    gh.scope.done();
  });

  it("refuses to replace a directory or a submodule with a file, naming the commit it found them on", async () => {
    let gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, [{ name: "docs", tree: sha("docs") }]));
    let error = await failure(commit([{ path: "docs", content: "flat" }]));
    expect(error.message).toBe(`commit to ${BRANCH}: docs is a directory at ${BASE.slice(0, 12)}, not a file`);
    expect(error.transient).toBe(false);
    gh.scope.done();

    gh = fakeGitHub();
    onBase(gh, { ...treePayload(ROOT, []), tree: [submodule("vendor")] });
    error = await failure(commit([{ path: "vendor", content: null }]));
    expect(error.message).toBe(`commit to ${BRANCH}: vendor is a submodule at ${BASE.slice(0, 12)}, not a file`);
    expect(gh.writes()).toEqual([]);
    gh.scope.done();
  });

  it("keeps an executable's mode when deleting it, and makes a replaced symbolic link a plain file", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, [{ name: "run.sh", exec: "#!/bin/sh\n" }, { name: "current", link: "v1" }]));
    acceptsCommit(gh, ["v2\n"]);

    const [result] = await writer().apply(devStep, [commit([{ path: "run.sh", content: null }, { path: "current", content: "v2\n" }])]);

    gh.scope.done();
    expect(result).toMatchObject({ action: "branch-created", changedPaths: ["run.sh", "current"] });
    expect(gh.writes()[1]!.body).toEqual({
      base_tree: ROOT,
      tree: [
        { path: "run.sh", mode: "100755", type: "blob", sha: null },
        { path: "current", mode: "100644", type: "blob", sha: blobSha("v2\n") },
      ],
    });
  });

  it("a folder GitHub listed only in part is not taken as missing: its files are written, and deleted", async () => {
    // GitHub cut the listing short (truncated): docs/big.md and docs/old.md may well be there.
    const gh = fakeGitHub();
    const docs = sha("docs");
    onBase(gh, treePayload(ROOT, [{ name: "docs", tree: docs }]));
    gh.scope.get(`${R}/git/trees/${docs}`).reply(200, treePayload(docs, [{ name: "a.md", blob: "a" }], true));
    acceptsCommit(gh, ["b\n"]);

    await writer().apply(devStep, [commit([{ path: "docs/big.md", content: "b\n" }, { path: "docs/old.md", content: null }])]);

    gh.scope.done();
    expect(gh.writes()[1]!.body).toEqual({
      base_tree: ROOT,
      tree: [
        { path: "docs/big.md", mode: "100644", type: "blob", sha: blobSha("b\n") },
        { path: "docs/old.md", mode: "100644", type: "blob", sha: null },
      ],
    });
  });

  it("deleting only files that are not there writes nothing, and creates no branch", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, [{ name: "README.md", blob: "r" }]));

    const [result] = await writer().apply(devStep, [commit([{ path: "gone.md", content: null }, { path: "missing/x.md", content: null }, { path: "missing/deeper/x.md", content: null }])]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toEqual({
      kind: "commit",
      branch: BRANCH,
      sha: BASE,
      url: `https://github.com/${OWNER}/${REPO}/commit/${BASE}`,
      created: false,
      action: "unchanged",
      changedPaths: [],
      repository: `${OWNER}/${REPO}`,
    });
  });

  it("in a SHA-256 repository, a file already as intended is recognised by its SHA-256 blob id", async () => {
    const gh = fakeGitHub();
    const root256 = "c".repeat(64);
    const id = createHash("sha256").update("blob 6\0hello\n").digest("hex");
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(404, NOT_FOUND)
      .get(`${R}/git/commits/${BASE}`)
      .reply(200, commitPayload(BASE, root256, []))
      .get(`${R}/git/trees/${root256}`)
      .reply(200, { sha: root256, url: `${API}${R}/git/trees/${root256}`, tree: [{ path: "hello.txt", mode: "100644", type: "blob", sha: id, size: 6 }], truncated: false });

    const [result] = await writer().apply(devStep, [commit([{ path: "hello.txt", content: "hello\n" }])]);

    gh.scope.done();
    expect(gh.writes()).toEqual([]);
    expect(result).toMatchObject({ action: "unchanged", created: false });
  });

  it("redacts a secret from the commit message", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, []));
    acceptsCommit(gh, ["a\n"]);
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

    await writer().apply(devStep, [commit([{ path: "a.md", content: "a\n" }], { message: `fix: retry with ${token}` })]);

    gh.scope.done();
    expect(gh.writes()[2]!.body).toMatchObject({ message: "fix: retry with [redacted]" });
  });
});

describe("merges", () => {
  const THEIRS = sha("main-now");
  const THEIR_TREE = sha("main-now-tree");
  const TIP = sha("tip");

  it("needs the branch to exist, and says so before writing", async () => {
    const gh = fakeGitHub();
    gh.scope.get(`${R}/git/ref/${refPath(BRANCH)}`).reply(404, NOT_FOUND);

    const error = await failure(commit([], { mergeWith: THEIRS }));

    gh.scope.done();
    expect(error.message).toBe(`commit to ${BRANCH}: a merge needs the branch to exist`);
    expect(error.transient).toBe(false);
    expect(gh.writes()).toEqual([]);
  });

  it("starts from the merged commit's tree, and is made even when no file differs from it", async () => {
    const gh = fakeGitHub();
    const merge = sha("merge");
    gh.scope
      .get(`${R}/git/ref/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, TIP))
      .get(`${R}/git/commits/${TIP}`)
      .reply(200, commitPayload(TIP, sha("tip-tree"), [BASE]))
      .get(`${R}/git/commits/${THEIRS}`)
      .reply(200, commitPayload(THEIRS, THEIR_TREE, [BASE]))
      // Only the merged tree is read: the file is already as intended there.
      .get(`${R}/git/trees/${THEIR_TREE}`)
      .reply(200, treePayload(THEIR_TREE, [{ name: "a.md", blob: "kept\n" }]))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(merge, THEIR_TREE, [TIP, THEIRS]))
      .patch(`${R}/git/refs/${refPath(BRANCH)}`)
      .reply(200, refPayload(BRANCH, merge));

    const [result] = await writer().apply(devStep, [commit([{ path: "a.md", content: "kept\n" }], { mergeWith: THEIRS, message: "Merge main into the branch" })]);

    gh.scope.done();
    expect(gh.writes().map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${R}/git/commits`, `PATCH ${R}/git/refs/${refPath(BRANCH)}`]);
    expect(gh.writes()[0]!.body).toEqual({ message: "Merge main into the branch", tree: THEIR_TREE, parents: [TIP, THEIRS] });
    expect(result).toMatchObject({ sha: merge, created: true, action: "branch-updated", changedPaths: [] });
  });
});

describe("the branch ref", () => {
  it("a failure reading the branch is not taken for a missing branch", async () => {
    const gh = fakeGitHub();
    gh.scope.get(`${R}/git/ref/${refPath(BRANCH)}`).reply(502, { message: "Server Error" });

    const error = await failure(commit([{ path: "a.md", content: "a" }]));

    gh.scope.done();
    expect(error.status).toBe(502);
    expect(error.transient).toBe(true);
    expect(gh.writes()).toEqual([]);
  });

  it("a branch created by someone else meanwhile (422 on create) is retried on its new tip", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, []));
    gh.scope
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated("a"))
      .post(`${R}/git/trees`)
      .reply(201, treePayload(sha("t"), []))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(sha("c"), sha("t"), [BASE]))
      .post(`${R}/git/refs`)
      .reply(422, { message: "Reference already exists", status: "422" });

    const error = await failure(commit([{ path: "a.md", content: "a" }]));

    gh.scope.done();
    expect(error.transient).toBe(true);
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/\(422\): Reference already exists .*\(branch baton\/dev\/7-cache changed while Baton was writing; a retry will commit on its new tip\)$/);
  });

  it("a ref write refused for another reason stays permanent, and says why", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, []));
    gh.scope
      .post(`${R}/git/blobs`)
      .reply(201, blobCreated("a"))
      .post(`${R}/git/trees`)
      .reply(201, treePayload(sha("t"), []))
      .post(`${R}/git/commits`)
      .reply(201, commitPayload(sha("c"), sha("t"), [BASE]))
      .post(`${R}/git/refs`)
      .reply(403, { message: "Resource not accessible by integration", status: "403" });

    const error = await failure(commit([{ path: "a.md", content: "a" }]));

    gh.scope.done();
    expect(error.transient).toBe(false);
    expect(error.status).toBe(403);
    expect(error.message).not.toContain("changed while Baton was writing");
    expect(error.message).toContain("the app lacks contents: write");
  });
});

describe("the repository a commit goes to", () => {
  it("the writer's own repository named in any case is written directly, without fork access", async () => {
    const gh = fakeGitHub();
    onBase(gh, treePayload(ROOT, []));
    acceptsCommit(gh, ["a\n"]);

    const [result] = await writer().apply(devStep, [commit([{ path: "a.md", content: "a\n" }], { repository: "ACME/Widgets" })]);

    gh.scope.done();
    expect(result).toMatchObject({ action: "branch-created", repository: `${OWNER}/${REPO}` });
  });

  it("a fork is checked to be this repository's, synced, and the commit lands there with the fork's own client", async () => {
    const F = "/repos/baton-fork/widgets";
    const gh = fakeGitHub();
    const made = sha("fork-commit");
    gh.scope
      .get(F)
      .reply(200, { id: 2, full_name: "baton-fork/widgets", fork: true, default_branch: "main", parent: { full_name: "acme/widgets" }, source: { full_name: "acme/widgets" } })
      .post(`${F}/merge-upstream`, { branch: "main" })
      .reply(200, { message: "Successfully fetched and fast-forwarded from upstream acme:main", merge_type: "fast-forward", base_branch: "acme:main" })
      .get(`${F}/git/ref/${refPath(BRANCH)}`)
      .reply(404, NOT_FOUND)
      .get(`${F}/git/commits/${BASE}`)
      .reply(200, commitPayload(BASE, ROOT, []))
      .get(`${F}/git/trees/${ROOT}`)
      .reply(200, treePayload(ROOT, []))
      .post(`${F}/git/blobs`)
      .reply(201, blobCreated("a\n"))
      .post(`${F}/git/trees`)
      .reply(201, treePayload(sha("t"), []))
      .post(`${F}/git/commits`)
      .reply(201, commitPayload(made, sha("t"), [BASE]))
      .post(`${F}/git/refs`)
      .reply(201, refPayload(BRANCH, made));
    const clients: string[] = [];
    const forks = {
      clientFor: async (owner: string, repo: string) => {
        clients.push(`${owner}/${repo}`);
        return probotOctokit();
      },
    };

    const [result] = await createGitHubWriter({ octokit: probotOctokit(), owner: OWNER, repo: REPO, bot: BATON_IDENTITY, forks }).apply(devStep, [
      commit([{ path: "a.md", content: "a\n" }], { repository: "baton-fork/widgets" }),
    ]);

    gh.scope.done();
    expect(clients).toEqual(["baton-fork/widgets"]);
    expect(result).toMatchObject({ action: "branch-created", sha: made, repository: "baton-fork/widgets" });
    expect(gh.writes().every((w) => w.path.startsWith(F))).toBe(true);
  });
});
