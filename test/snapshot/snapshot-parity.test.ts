import { Octokit } from "@octokit/rest";
import nock from "nock";
import { afterEach, expect, it } from "vitest";
import { createBlobCache } from "../../src/snapshot/blob-cache.js";
import { createGitHubSnapshot } from "../../src/snapshot/github-snapshot.js";
import { createLocalGitSnapshot } from "../../src/snapshot/local-git-snapshot.js";
import { createTempRepo, type TempRepo } from "./git-fixtures.js";
import { API, fakeSha, OWNER, recursiveTreePayload, REPO, serveGraphqlBlobs, type FakeFile } from "./github-fixtures.js";

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

// Manifests pin inputs by blob SHA and record what was read; both modes must
// therefore list and read the same commit identically.
it("local and GitHub snapshots of the same content list and read identically", async () => {
  const files: FakeFile[] = [
    { path: ".github/baton.yml", content: "modules:\n  core: src/core/**\n" },
    { path: "a.b/x.md", content: "dot dir\n" },
    { path: "a/b.md", content: "slash dir\n" },
    { path: "assets/icon.bin", content: Buffer.from([1, 0, 2, 0, 3]) },
    { path: "docs/adr/0002-b.md", content: "\uFEFF# 2. B — ✓\r\nwindows line endings\r\n" },
    { path: "empty.txt", content: "" },
    { path: "src/core/x.ts", content: "export {};\n" },
  ];
  repo = createTempRepo();
  for (const f of files) repo.write(f.path, f.content);
  const commit = repo.commit("parity");

  const local = await createLocalGitSnapshot({ cwd: repo.dir });
  const scope = nock(API).get(`/repos/${OWNER}/${REPO}/git/trees/${commit}`).query({ recursive: "1" }).reply(200, recursiveTreePayload(fakeSha("root"), files));
  serveGraphqlBlobs(scope, files, 1);
  const remote = createGitHubSnapshot({
    octokit: new Octokit({ auth: "ghs_test" }),
    owner: OWNER,
    repo: REPO,
    commit,
    cache: createBlobCache(),
  });

  try {
    const localList = await local.listFiles();
    expect(await remote.listFiles()).toEqual(localList);
    const paths = localList.map((f) => f.path);
    expect(paths).toEqual(files.map((f) => f.path).sort());

    const localRead = await local.readFiles(paths);
    const remoteRead = await remote.readFiles(paths);
    expect(remoteRead).toEqual(localRead);
    expect(localRead.get("assets/icon.bin")?.text).toBeNull();
    expect(localRead.get("empty.txt")?.text).toBe("");
    expect(scope.isDone()).toBe(true);
  } finally {
    local.close();
  }
});
