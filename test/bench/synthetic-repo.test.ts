import { clearAdrMemoryCache } from "../../src/context-store/adr/adr-parse-cache.js";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { renderAdr } from "../../src/context-store/adr/write-adr.js";
import { appendPitfall } from "../../src/context-store/pitfalls/write-pitfalls.js";
import { createBlobCache } from "../../src/snapshot/blob-cache.js";
import { FakeGitHub, totalRequests } from "../../bench/fake-github.js";
import { commitContextChanges, commitSourceChanges, reviewTrigger, runEvent, type EventOptions } from "../../bench/scenarios.js";
import { generateSyntheticRepo, gitBlobSha, type SyntheticRepo } from "../../bench/synthetic-repo.js";

// The benchmark's generator and fake GitHub at small scale: correctness and
// request counts only. Speed is measured by `npm run bench`, never asserted here.

const SCALE = { adrs: 60, pitfallFiles: 10, sourcePaths: 500 };
let repo: SyntheticRepo;

beforeAll(() => {
  repo = generateSyntheticRepo(SCALE);
}, 120_000);

const text = (path: string) => repo.files.find((f) => f.path === path)!.text();
const ceil = (n: number, batch: number) => Math.ceil(n / batch);

describe("synthetic repository", () => {
  it("has the requested files, each with its real git blob SHA", () => {
    // Known git ids: `printf '' | git hash-object --stdin`, `echo hello | git hash-object --stdin`.
    expect(gitBlobSha("")).toBe("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    expect(gitBlobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");

    expect(repo.files.filter((f) => f.kind === "adr")).toHaveLength(SCALE.adrs);
    expect(repo.files.filter((f) => f.kind === "pitfalls")).toHaveLength(SCALE.pitfallFiles);
    expect(repo.files.filter((f) => f.kind === "source")).toHaveLength(SCALE.sourcePaths);
    expect(new Set(repo.files.map((f) => f.path)).size).toBe(repo.files.length);
    for (const f of repo.files) {
      const content = f.text();
      expect(f.sha).toMatch(/^[0-9a-f]{40}$/);
      const bytes = Buffer.from(content, "utf8");
      expect(f.size).toBe(bytes.length);
      expect(f.sha).toBe(createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex"));
    }
  });

  it("declares the 50 modules in a valid .github/baton.yml, and spreads the sources over them", () => {
    const parsed = parseConfig(text(".github/baton.yml"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.config.modules ?? {})).toEqual(repo.modules);
    expect(repo.modules).toHaveLength(50);
    const covered = new Set(repo.files.filter((f) => f.kind === "source").map((f) => f.path.split("/")[1]));
    expect(covered.size).toBe(50);
  });

  it("writes ADRs exactly as renderAdr does, and pitfall files exactly as a chain of appendPitfall calls", () => {
    for (const adr of repo.adrs) expect(text(adr.path)).toBe(renderAdr(repo.adrDraft(adr.number)));
    for (const module of [repo.pitfallModules[0]!, repo.pitfallModules[SCALE.pitfallFiles - 1]!]) {
      let content: string | null = null;
      for (const entry of repo.pitfallEntries(module)) content = appendPitfall(content, module, { ...entry, title: undefined }).content;
      expect(text(`docs/pitfalls/${module}.md`)).toBe(content);
    }
  }, 60_000);

  it("links supersession both ways", () => {
    const byNumber = new Map(repo.adrs.map((a) => [a.number, a]));
    for (const a of repo.adrs) {
      if (a.supersededBy !== null) expect(byNumber.get(a.supersededBy)?.supersedes).toBe(a.number);
      if (a.status === "superseded") expect(a.supersededBy).not.toBeNull();
    }
  });
});

describe("GitHub requests of a resolution (fake GitHub)", () => {
  const event = (gh: FakeGitHub, o: Partial<EventOptions> = {}): EventOptions => ({
    gh,
    repo,
    commit: gh.head,
    cache: createBlobCache(),
    batchSize: 100,
    step: "review",
    trigger: reviewTrigger(repo),
    ...o,
  });

  it("cold: one tree request, then ceil(blobs / batch) GraphQL requests per read, whatever the batch size", async () => {
    for (const batchSize of [7, 25, 100]) {
      // Cold means a new process: no ADR read yet (the record cache is process-wide).
      clearAdrMemoryCache();
      const gh = new FakeGitHub(repo);
      const result = await runEvent(event(gh, { batchSize }));
      const counts = gh.counts();
      // Reads: the config, then the store (ADRs and pitfall files together), then what the selectors read
      // (the context ADRs' full text, the review's pitfalls), all in the blob cache by then.
      expect(result.fetchedPerCall.slice(0, 2)).toEqual([1, SCALE.adrs + SCALE.pitfallFiles]);
      expect(result.fetchedPerCall.slice(2).every((n) => n === 0)).toBe(true);
      expect(counts.tree).toBe(1);
      expect(counts.restBlob).toBe(0);
      expect(counts.graphql).toBe(ceil(1, batchSize) + ceil(SCALE.adrs + SCALE.pitfallFiles, batchSize));
      expect(counts.graphqlBlobs).toBe(1 + SCALE.adrs + SCALE.pitfallFiles);
      expect(result.context.manifest.inputs.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it("warm: no request on the same commit, at most two after a commit that changes context files", async () => {
    clearAdrMemoryCache();
    const gh = new FakeGitHub(repo);
    const cache = createBlobCache();
    await runEvent(event(gh, { cache }));

    gh.resetCounts();
    await runEvent(event(gh, { cache }));
    expect(totalRequests(gh.counts())).toBe(0);

    gh.resetCounts();
    await runEvent(event(gh, { cache, commit: commitSourceChanges(gh, repo) }));
    expect(gh.counts()).toMatchObject({ tree: 1, graphql: 0, restBlob: 0 });

    gh.resetCounts();
    const result = await runEvent(event(gh, { cache, commit: commitContextChanges(gh, repo) }));
    expect(gh.counts()).toMatchObject({ tree: 1, graphql: 1, restBlob: 0, graphqlBlobs: 2 });
    expect(totalRequests(gh.counts())).toBeLessThanOrEqual(2);
    // The changed pitfall file is what the review got.
    const pitfalls = result.context.blocks.filter((b) => b.selector === "pitfalls:modules").map((b) => b.text).join("\n");
    expect(pitfalls).toContain("reuse the idempotency key of the first attempt");
  }, 60_000);
});
