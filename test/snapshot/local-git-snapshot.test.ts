import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBlobCache } from "../../src/snapshot/blob-cache.js";
import {
  createLocalGitSnapshot,
  diffBetween,
  mergeBase,
  parseLsTree,
  resolveCommit,
  type LocalGitSnapshot,
} from "../../src/snapshot/local-git-snapshot.js";
import { SnapshotError } from "../../src/snapshot/snapshot-error.js";
import { createTempRepo, git, type TempRepo } from "./git-fixtures.js";
import { blobSha } from "./github-fixtures.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1: not UTF-8

let repo: TempRepo;
const open: LocalGitSnapshot[] = [];

async function snapshot(opts: { commit?: string; cwd?: string; cache?: ReturnType<typeof createBlobCache> } = {}): Promise<LocalGitSnapshot> {
  const snap = await createLocalGitSnapshot({ cwd: opts.cwd ?? repo.dir, ...opts });
  open.push(snap);
  return snap;
}

beforeEach(() => {
  repo = createTempRepo();
  repo.write("README.md", "# Widgets\n");
  repo.write("docs/adr/0001-use-baton.md", "---\nstatus: accepted\n---\n# 1. Use Baton\n");
  repo.write("docs/pitfalls/core.md", "\uFEFF# Core pitfalls — naïve ✓ 🚀\n");
  repo.write("assets/logo.png", PNG);
  repo.write("legacy/latin1.txt", LATIN1);
  repo.write("src/core/deep/index.ts", "export const x = 1;\n");
  repo.commit("first");
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  repo.remove();
});

describe("local git snapshot: listing", () => {
  it("lists every committed blob with the SHA git hash-object computes, sorted by path", async () => {
    const snap = await snapshot();
    const files = await snap.listFiles();

    expect(files.map((f) => f.path)).toEqual([
      "README.md",
      "assets/logo.png",
      "docs/adr/0001-use-baton.md",
      "docs/pitfalls/core.md",
      "legacy/latin1.txt",
      "src/core/deep/index.ts",
    ]);
    for (const f of files) {
      expect(f.sha).toBe(git(repo.dir, "hash-object", f.path));
    }
    expect(files.find((f) => f.path === "assets/logo.png")).toEqual({ path: "assets/logo.png", sha: blobSha(PNG), size: PNG.length });
    expect(snap.commit).toBe(git(repo.dir, "rev-parse", "HEAD"));
    expect(snap.stats().requests).toBe(2); // rev-parse, ls-tree
  });

  it("lists from the repository root even when cwd is a subfolder", async () => {
    const snap = await snapshot({ cwd: join(repo.dir, "docs") });
    const files = await snap.listFiles();
    expect(files).toHaveLength(6);
    expect(files[0]?.path).toBe("README.md");
  });

  it("parses ls-tree records, including padded sizes, paths with spaces and tabs, and submodules", () => {
    const sha = "a".repeat(40);
    const out =
      `100644 blob ${sha}      12\tdocs/a b.md\0` +
      `160000 commit ${"b".repeat(40)}       -\tvendor/lib\0` +
      `100644 blob ${sha}       7\tweird\tname.txt\0`;
    expect(parseLsTree(out)).toEqual([
      { path: "docs/a b.md", sha, size: 12 },
      { path: "weird\tname.txt", sha, size: 7 },
    ]);
  });
});

describe("local git snapshot: reading", () => {
  it("reads committed content, not the working tree, even after edits, staging and deletes", async () => {
    const commit = git(repo.dir, "rev-parse", "HEAD");
    writeFileSync(join(repo.dir, "README.md"), "# edited, not committed\n");
    repo.write("new-file.md", "untracked\n");
    git(repo.dir, "add", "README.md", "new-file.md");
    git(repo.dir, "rm", "-q", "--cached", "src/core/deep/index.ts");

    const snap = await snapshot({ commit });
    const read = await snap.readFiles(["README.md", "new-file.md", "src/core/deep/index.ts"]);

    expect(read.get("README.md")).toEqual({ path: "README.md", sha: blobSha("# Widgets\n"), text: "# Widgets\n", size: 10 });
    expect(read.has("new-file.md")).toBe(false);
    expect(read.get("src/core/deep/index.ts")?.text).toBe("export const x = 1;\n");
  });

  it("pins an older commit given as a ref", async () => {
    const first = git(repo.dir, "rev-parse", "HEAD");
    repo.write("README.md", "# Widgets v2\n");
    repo.commit("second");

    const old = await snapshot({ commit: "HEAD~1" });
    expect(old.commit).toBe(first);
    expect((await old.readFiles(["README.md"])).get("README.md")?.text).toBe("# Widgets\n");
    const now = await snapshot();
    expect((await now.readFiles(["README.md"])).get("README.md")?.text).toBe("# Widgets v2\n");
  });

  it("reports binary (NUL byte) and non-UTF-8 blobs with text null, keeps a BOM and multi-byte text intact", async () => {
    const snap = await snapshot();
    const read = await snap.readFiles(["assets/logo.png", "legacy/latin1.txt", "docs/pitfalls/core.md", "nope.md"]);

    expect(read.get("assets/logo.png")).toEqual({ path: "assets/logo.png", sha: blobSha(PNG), text: null, size: PNG.length });
    expect(read.get("legacy/latin1.txt")?.text).toBeNull();
    expect(read.get("docs/pitfalls/core.md")?.text).toBe("\uFEFF# Core pitfalls — naïve ✓ 🚀\n");
    expect(read.has("nope.md")).toBe(false);
  });

  it("streams many blobs, large ones spanning pipe chunks, through one cat-file process", async () => {
    const unit = "line with ✓ and 🚀 to split multi-byte characters across chunk boundaries\n";
    const big = unit.repeat(Math.floor(900_000 / Buffer.byteLength(unit)));
    const huge = "z".repeat(1024 * 1024 + 1);
    repo.write("data/big.txt", big);
    repo.write("data/huge.txt", huge);
    const paths: string[] = [];
    for (let i = 0; i < 600; i++) {
      const p = `gen/m${i % 13}/f${i}.md`;
      repo.write(p, `file ${i}\n${"·".repeat(i % 50)}\n`);
      paths.push(p);
    }
    repo.commit("many");

    const snap = await snapshot();
    const read = await snap.readFiles([...paths, "data/big.txt", "data/huge.txt"]);
    const again = await snap.readFiles(["gen/m1/f1.md"]);

    expect(read.size).toBe(602);
    expect(read.get("data/big.txt")?.text).toBe(big);
    expect(read.get("data/huge.txt")).toEqual({ path: "data/huge.txt", sha: blobSha(huge), text: null, size: huge.length });
    for (let i = 0; i < 600; i += 37) expect(read.get(`gen/m${i % 13}/f${i}.md`)?.text).toBe(`file ${i}\n${"·".repeat(i % 50)}\n`);
    expect(again.get("gen/m1/f1.md")?.text).toBe("file 1\n·\n");
    // rev-parse + ls-tree + one cat-file for both calls; the oversized blob is never read.
    expect(snap.stats()).toMatchObject({ requests: 3, blobsFetched: 602 });
  });

  it("serves blobs and listings from a shared cache across snapshots", async () => {
    const cache = createBlobCache();
    const first = await snapshot({ cache });
    await first.readFiles(["README.md", "docs/adr/0001-use-baton.md"]);
    const second = await snapshot({ cache });
    const read = await second.readFiles(["README.md", "docs/adr/0001-use-baton.md"]);

    expect(read.get("README.md")?.text).toBe("# Widgets\n");
    expect(second.stats()).toEqual({ requests: 1, blobCacheHits: 2, blobsFetched: 0 }); // only rev-parse
  });

  it("rejects reads after close", async () => {
    const snap = await snapshot();
    await snap.readFiles(["README.md"]);
    snap.close();
    await expect(snap.readFiles(["docs/adr/0001-use-baton.md"])).rejects.toThrow(/closed/);
  });
});

describe("local git: refs and diffs", () => {
  it("resolves refs to full SHAs and refuses unknown refs and option-like refs", async () => {
    const head = git(repo.dir, "rev-parse", "HEAD");
    await expect(resolveCommit(repo.dir, "main")).resolves.toBe(head);
    await expect(resolveCommit(repo.dir, head.slice(0, 8))).resolves.toBe(head);
    await expect(resolveCommit(repo.dir, "no-such-branch")).rejects.toBeInstanceOf(SnapshotError);
    await expect(resolveCommit(repo.dir, "--output=/tmp/x")).rejects.toThrow(/Not a valid git ref/);
  });

  it("diffs a branch against its merge base, with renames, ignoring later changes on the base", async () => {
    const base = git(repo.dir, "rev-parse", "HEAD");
    git(repo.dir, "checkout", "-q", "-b", "feature");
    git(repo.dir, "mv", "docs/adr/0001-use-baton.md", "docs/adr/0001-adopt-baton.md");
    repo.write("src/core/deep/index.ts", "export const x = 2;\n");
    const head = repo.commit("feature work");
    git(repo.dir, "checkout", "-q", "main");
    repo.write("README.md", "# Widgets (main moved on)\n");
    const mainTip = repo.commit("main work");
    git(repo.dir, "config", "color.ui", "always");
    git(repo.dir, "config", "diff.noprefix", "true");

    expect(await mergeBase(repo.dir, mainTip, head)).toBe(base);
    const diff = await diffBetween(repo.dir, mainTip, head);

    expect(diff).toContain("diff --git a/docs/adr/0001-use-baton.md b/docs/adr/0001-adopt-baton.md");
    expect(diff).toContain("rename from docs/adr/0001-use-baton.md");
    expect(diff).toContain("--- a/src/core/deep/index.ts\n+++ b/src/core/deep/index.ts\n");
    expect(diff).toContain("-export const x = 1;\n+export const x = 2;\n");
    expect(diff).not.toContain("README.md");
    expect(diff).not.toContain("\u001b["); // no colour codes despite color.ui=always
  });

  it("reports unrelated histories clearly", async () => {
    git(repo.dir, "checkout", "-q", "--orphan", "island");
    repo.write("island.txt", "alone\n");
    const island = repo.commit("island");
    await expect(mergeBase(repo.dir, "main", island)).rejects.toThrow(/no common ancestor/);
  });
});
