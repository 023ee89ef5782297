import { Octokit } from "@octokit/rest";
import nock from "nock";
import type { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { createBlobCache } from "../../src/snapshot/blob-cache.js";
import { buildBlobQuery } from "../../src/snapshot/github-blob-batch.js";
import { createGitHubSnapshot, type OctokitLike } from "../../src/snapshot/github-snapshot.js";
import { SnapshotError } from "../../src/snapshot/snapshot-error.js";
import {
  API,
  blobSha,
  directoryPayload,
  fakeSha,
  OWNER,
  recursiveTreePayload,
  REPO,
  serveGraphqlBlobs,
  type FakeFile,
} from "./github-fixtures.js";

// Both clients Baton hands in must fit the structural type (checked at compile time).
type Accepts<T extends OctokitLike> = T;
export type ProbotFits = Accepts<InstanceType<typeof ProbotOctokit>>;
export type RestFits = Accepts<Octokit>;

const COMMIT = fakeSha("commit-1");
const COMMIT_2 = fakeSha("commit-2");
const treePath = (sha: string): string => `/repos/${OWNER}/${REPO}/git/trees/${sha}`;

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function octokit(baseUrl = API): Octokit {
  return new Octokit({ auth: "ghs_test", baseUrl, log: quiet });
}

function manyFiles(n: number, salt = ""): FakeFile[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `src/mod${i % 7}/file-${String(i).padStart(4, "0")}.ts`,
    content: `export const value${i} = ${i};${salt}\n`,
  }));
}

describe("GitHub snapshot: listing", () => {
  it("lists blobs from one recursive tree request, sorted by path, without trees or submodules", async () => {
    const files: FakeFile[] = [
      { path: "README.md", content: "# Widgets\n" },
      { path: "docs/adr/0001-use-baton.md", content: "# 1. Use Baton\n" },
      { path: "docs/adr-template.md", content: "template\n" },
      { path: "src/index.ts", content: "export {};\n" },
    ];
    const payload = recursiveTreePayload(fakeSha("root"), files) as { tree: object[] };
    payload.tree.push({ path: "vendor/lib", mode: "160000", type: "commit", sha: fakeSha("submodule") });
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, payload);

    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });
    const listed = await snap.listFiles();
    await snap.listFiles(); // memoized: no second request

    expect(listed.map((f) => f.path)).toEqual(["README.md", "docs/adr-template.md", "docs/adr/0001-use-baton.md", "src/index.ts"]);
    expect(listed[0]).toEqual({ path: "README.md", sha: blobSha("# Widgets\n"), size: 10 });
    expect(snap.stats()).toMatchObject({ requests: 1, treeRequests: 1, treeFromCache: false });
    expect(scope.isDone()).toBe(true);
  });

  it("walks subtrees one directory at a time when GitHub truncates the recursive tree", async () => {
    const files: FakeFile[] = [
      { path: "a.txt", content: "a\n" },
      { path: "docs/adr/0001-x.md", content: "x\n" },
      { path: "docs/guide.md", content: "guide\n" },
      { path: "src/deep/er/file.ts", content: "deep\n" },
    ];
    const truncated = recursiveTreePayload(fakeSha("root"), files.slice(0, 2), true);
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, truncated);
    // Non-recursive requests: the root by commit, then each directory by its tree SHA.
    const queue: Array<{ sha: string; dir: string }> = [{ sha: COMMIT, dir: "" }];
    let walked = 0;
    while (queue.length > 0) {
      const { sha, dir } = queue.shift() as { sha: string; dir: string };
      const { payload, subdirs } = directoryPayload(sha, dir, files);
      scope.get(treePath(sha)).reply(200, payload);
      walked++;
      for (const [sub, subSha] of subdirs) queue.push({ sha: subSha, dir: sub });
    }
    const warnings: string[] = [];

    const snap = createGitHubSnapshot({
      octokit: octokit(),
      owner: OWNER,
      repo: REPO,
      commit: COMMIT,
      cache: createBlobCache(),
      log: { warn: (m) => warnings.push(m) },
    });
    const listed = await snap.listFiles();

    expect(listed.map((f) => f.path)).toEqual(files.map((f) => f.path));
    expect(listed.map((f) => f.sha)).toEqual(files.map((f) => blobSha(f.content)));
    expect(walked).toBe(6); // root, docs, docs/adr, src, src/deep, src/deep/er
    expect(snap.stats()).toMatchObject({ requests: 1 + walked, treeWalked: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/truncated/);
    expect(scope.isDone()).toBe(true);
  });

  it("surfaces a 5xx on the tree request as a SnapshotError naming the repository, commit and status", async () => {
    nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(502, { message: "Server Error" });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });

    const err = await snap.listFiles().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SnapshotError);
    expect((err as SnapshotError).status).toBe(502);
    expect((err as Error).message).toContain(`${OWNER}/${REPO}@${COMMIT.slice(0, 12)}`);
    expect((err as Error).message).toContain("HTTP 502");

    // The failure is not memoized: a retry makes a fresh request.
    const retry = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), []));
    await expect(snap.listFiles()).resolves.toEqual([]);
    expect(retry.isDone()).toBe(true);
  });

  it("reads from a GitHub Enterprise host: REST under /api/v3, GraphQL at /api/graphql", async () => {
    const ghe = "https://ghe.example.com";
    const files: FakeFile[] = [{ path: "docs/spec.md", content: "spec\n" }];
    const scope = nock(ghe)
      .get(`/api/v3${treePath(COMMIT)}`)
      .query({ recursive: "1" })
      .reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 1, { path: "/api/graphql" });

    const snap = createGitHubSnapshot({ octokit: octokit(`${ghe}/api/v3`), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });
    const read = await snap.readFiles(["docs/spec.md"]);

    expect(read.get("docs/spec.md")?.text).toBe("spec\n");
    expect(scope.isDone()).toBe(true);
  });
});

describe("GitHub snapshot: reading", () => {
  it("fetches N uncached blobs in ceil(N / batchSize) GraphQL requests", async () => {
    const files = manyFiles(250);
    const batches: string[][] = [];
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 3, { batches });

    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache(), batchSize: 100 });
    const read = await snap.readFiles(files.map((f) => f.path));

    expect(read.size).toBe(250);
    for (const f of files) {
      expect(read.get(f.path)).toEqual({ path: f.path, sha: blobSha(f.content), text: f.content, size: Buffer.byteLength(f.content) });
    }
    expect(batches.map((b) => b.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(new Set(batches.flat()).size).toBe(250);
    expect(snap.stats()).toMatchObject({ requests: 4, treeRequests: 1, graphqlRequests: 3, blobsFetched: 250, blobCacheHits: 0 });
    expect(scope.isDone()).toBe(true);
  });

  it("asks for a blob once when several paths share it, and leaves unknown paths out without a request", async () => {
    const files: FakeFile[] = [
      { path: "a/LICENSE", content: "MIT\n" },
      { path: "b/LICENSE", content: "MIT\n" },
    ];
    const batches: string[][] = [];
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 1, { batches });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });

    const none = await snap.readFiles(["missing.md", "a"]);
    expect(none.size).toBe(0);
    expect(snap.stats().graphqlRequests).toBe(0);

    const read = await snap.readFiles(["a/LICENSE", "b/LICENSE", "nope/LICENSE"]);
    expect([...read.keys()]).toEqual(["a/LICENSE", "b/LICENSE"]);
    expect(read.get("b/LICENSE")?.text).toBe("MIT\n");
    expect(batches).toEqual([[blobSha("MIT\n")]]);
    expect(scope.isDone()).toBe(true);
  });

  it("concurrent reads of the same files share one batch", async () => {
    const files = manyFiles(5);
    const batches: string[][] = [];
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 1, { batches });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });
    await snap.listFiles();

    const paths = files.map((f) => f.path);
    const [a, b] = await Promise.all([snap.readFiles(paths), snap.readFiles(paths.slice(2))]);

    expect(a.size).toBe(5);
    expect(b.size).toBe(3);
    expect(b.get(paths[4] ?? "")?.text).toBe(files[4]?.content);
    expect(batches).toHaveLength(1);
    expect(snap.stats()).toMatchObject({ requests: 2, blobsFetched: 5 });
    expect(scope.isDone()).toBe(true);
  });

  it("a warm resolution costs at most a tree and one batch; the same commit again costs nothing", async () => {
    const cache = createBlobCache();
    const v1 = manyFiles(150);
    const v2 = v1.map((f, i) => (i < 3 ? { ...f, content: `${String(f.content)}// changed\n` } : f));

    const cold = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root-1"), v1));
    serveGraphqlBlobs(cold, v1, 2);
    const first = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache });
    await first.readFiles(v1.map((f) => f.path));
    expect(cold.isDone()).toBe(true);

    // Same commit, new snapshot (another job): tree and blobs from the cache.
    const again = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache });
    const reread = await again.readFiles(v1.map((f) => f.path));
    expect(reread.size).toBe(150);
    expect(again.stats()).toMatchObject({ requests: 0, treeFromCache: true, blobCacheHits: 150, blobsFetched: 0 });

    // Next commit, 3 files changed: one tree request and one batch of exactly the 3 new blobs.
    const batches: string[][] = [];
    const warm = nock(API).get(treePath(COMMIT_2)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root-2"), v2));
    serveGraphqlBlobs(warm, v2, 1, { batches });
    const next = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT_2, cache });
    const read = await next.readFiles(v2.map((f) => f.path));

    expect(read.get(v2[0]?.path ?? "")?.text).toContain("// changed");
    expect(next.stats()).toMatchObject({ requests: 2, blobCacheHits: 147, blobsFetched: 3 });
    expect(batches).toEqual([v2.slice(0, 3).map((f) => blobSha(f.content))]);
    expect(warm.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reports binary blobs (isBinary, or a NUL byte GitHub let through) with text null", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const files: FakeFile[] = [
      { path: "logo.png", content: png },
      { path: "odd.txt", content: "a\u0000b" },
      { path: "ok.md", content: "ok\n" },
    ];
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 1, {
      nodeFor: (sha) => (sha === blobSha("a\u0000b") ? { text: "a\u0000b", isBinary: false, isTruncated: false, byteSize: 3 } : undefined),
    });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });

    const read = await snap.readFiles(["logo.png", "odd.txt", "ok.md"]);
    expect(read.get("logo.png")).toEqual({ path: "logo.png", sha: blobSha(png), text: null, size: png.length });
    expect(read.get("odd.txt")?.text).toBeNull();
    expect(read.get("ok.md")?.text).toBe("ok\n");
    expect(scope.isDone()).toBe(true);
  });

  it("re-reads a truncated text blob over REST, and never fetches a blob above the text limit", async () => {
    const big = `${"x".repeat(600_000)}\n`;
    const huge = "y".repeat(2 * 1024 * 1024);
    const files: FakeFile[] = [
      { path: "big.json", content: big },
      { path: "huge.log", content: huge },
    ];
    const bigSha = blobSha(big);
    const batches: string[][] = [];
    const scope = nock(API).get(treePath(COMMIT)).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
    serveGraphqlBlobs(scope, files, 1, {
      batches,
      nodeFor: (sha) => (sha === bigSha ? { text: big.slice(0, 512_000), isBinary: false, isTruncated: true, byteSize: big.length } : undefined),
    });
    const base64 = (Buffer.from(big).toString("base64").match(/.{1,60}/g) ?? []).join("\n");
    scope.get(`/repos/${OWNER}/${REPO}/git/blobs/${bigSha}`).reply(200, {
      sha: bigSha,
      node_id: "B_kwDOA",
      size: big.length,
      url: `${API}/repos/${OWNER}/${REPO}/git/blobs/${bigSha}`,
      content: `${base64}\n`,
      encoding: "base64",
    });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });

    const read = await snap.readFiles(["big.json", "huge.log"]);
    expect(read.get("big.json")?.text).toBe(big);
    expect(read.get("huge.log")).toEqual({ path: "huge.log", sha: blobSha(huge), text: null, size: huge.length });
    expect(batches).toEqual([[bigSha]]);
    expect(snap.stats()).toMatchObject({ requests: 3, graphqlRequests: 1, restBlobRequests: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("surfaces a GraphQL 5xx as a SnapshotError, and a missing repository clearly", async () => {
    const files: FakeFile[] = [{ path: "a.md", content: "a\n" }];
    nock(API)
      .get(treePath(COMMIT))
      .query({ recursive: "1" })
      .reply(200, recursiveTreePayload(fakeSha("root"), files))
      .post("/graphql")
      .reply(503, { message: "Service Unavailable" });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });
    await expect(snap.readFiles(["a.md"])).rejects.toThrow(/GraphQL blob batch \(1 blobs\) failed \(HTTP 503\)/);

    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", path: ["repository"], locations: [{ line: 1, column: 60 }], message: "Could not resolve to a Repository with the name 'acme/widgets'." }],
      });
    await expect(snap.readFiles(["a.md"])).rejects.toThrow(/GraphQL returned no repository/);
  });

  it("keeps the partial data of a GraphQL response with errors and re-reads the unresolved blob over REST", async () => {
    const files: FakeFile[] = [
      { path: "a.md", content: "a\n" },
      { path: "b.md", content: "b\n" },
    ];
    const bSha = blobSha("b\n");
    const scope = nock(API)
      .get(treePath(COMMIT))
      .query({ recursive: "1" })
      .reply(200, recursiveTreePayload(fakeSha("root"), files))
      .post("/graphql")
      .reply(200, {
        data: { repository: { f0: { text: "a\n", isBinary: false, isTruncated: false, byteSize: 2 }, f1: null } },
        errors: [{ type: "NOT_FOUND", path: ["repository", "f1"], locations: [{ line: 1, column: 200 }], message: `Could not resolve to a GitObject with the id of '${bSha}'.` }],
      })
      .get(`/repos/${OWNER}/${REPO}/git/blobs/${bSha}`)
      .reply(200, { sha: bSha, size: 2, url: "", content: Buffer.from("b\n").toString("base64"), encoding: "base64" });
    const snap = createGitHubSnapshot({ octokit: octokit(), owner: OWNER, repo: REPO, commit: COMMIT, cache: createBlobCache() });

    const read = await snap.readFiles(["a.md", "b.md"]);
    expect(read.get("a.md")?.text).toBe("a\n");
    expect(read.get("b.md")?.text).toBe("b\n");
    expect(scope.isDone()).toBe(true);
  });

  it("builds one aliased query per batch with object ids passed as variables", () => {
    const q = buildBlobQuery(2);
    expect(q).toContain("$o0: GitObjectID!, $o1: GitObjectID!");
    expect(q).toContain("f1: object(oid: $o1) { ... on Blob { text isBinary isTruncated byteSize } }");
  });
});
