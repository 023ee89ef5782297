import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { adrCorpus, describeWithCorpus } from "../support/adr-corpus.js";
import { ADR_PATH, BATON_YML, baton, createLocalRepo, PITFALLS_PATH, seedReviewRepo, type LocalRepo } from "./fixtures/temp-repo.js";

const CORPUS = adrCorpus().dir;
const ADR_TOOLS = join(CORPUS, "npryce__adr-tools");

interface ListEntry {
  file: string;
  number: number | null;
  title: string;
  status: string;
  supersededBy: number[];
  supersedes: number[];
  date: string | null;
}

describe("baton CLI basics", () => {
  const repos: LocalRepo[] = [];
  const repo = (r: LocalRepo) => (repos.push(r), r);
  afterEach(() => {
    for (const r of repos.splice(0)) r.remove();
    // None of these commands calls a model or GitHub.
    expect(nock.pendingMocks()).toEqual([]);
  });

  describeWithCorpus("adr list", () => {
    it("--dir --json reads an adr-tools folder as a careful reader would, with file names relative to the folder", async () => {
      const expected = readFileSync(join(CORPUS, "expected.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as ListEntry)
        .filter((e) => e.file.startsWith("npryce__adr-tools/"))
        .map((e) => ({ ...e, file: e.file.slice("npryce__adr-tools/".length) }));
      expect(expected.length).toBeGreaterThan(0);

      const run = await baton(process.cwd(), ["adr", "list", "--dir", ADR_TOOLS, "--json"]);

      expect(run.code).toBe(0);
      const listed = JSON.parse(run.stdout) as ListEntry[];
      for (const entry of listed) expect(Object.keys(entry).sort()).toEqual(["date", "file", "number", "status", "supersededBy", "supersedes", "title"]);
      expect(listed.map((e) => e.file)).toEqual(expected.map((e) => e.file).sort());
      expect([...listed].sort((a, b) => a.file.localeCompare(b.file))).toEqual([...expected].sort((a, b) => a.file.localeCompare(b.file)));
      expect(listed[0]).toEqual({ file: "0001-record-architecture-decisions.md", number: 1, title: "Record architecture decisions", status: "accepted", supersededBy: [], supersedes: [], date: "2016-02-12" });
    });

    it("--dir is relative to where the command runs", async () => {
      const run = await baton(CORPUS, ["adr", "list", "--dir", "npryce__adr-tools"]);

      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Record architecture decisions");
      expect(run.stderr).toMatch(/^\d+ ADRs$/);
    });
  });

  describe("adr new", () => {
    it("writes MADR files, marks the superseded one, and regenerates the index with a Mermaid graph", async () => {
      const r = repo(createLocalRepo());
      r.write(".github/baton.yml", BATON_YML);
      r.write("src/api/a.ts", "export const a = 1;\n");
      r.commit("init");

      const first = await baton(r.dir, ["adr", "new", "Use Postgres", "--modules", "api"]);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe("docs/adr/0001-use-postgres.md");
      const postgres = parseAdr("0001-use-postgres.md", r.read("docs/adr/0001-use-postgres.md"));
      expect(postgres).toMatchObject({ number: 1, title: "Use Postgres", status: "proposed", date: "2026-03-04", modules: ["api"], supersedes: [], supersededBy: [] });
      expect(Object.keys(postgres.guidance)).toEqual(["api"]);

      const second = await baton(r.dir, ["adr", "new", "Use SQLite", "--supersedes", "1"]);
      expect(second.code).toBe(0);
      expect(second.stdout).toBe("docs/adr/0002-use-sqlite.md");
      // The intent is recorded; ADR 1 stays as it is while ADR 2 is only proposed.
      expect(second.err).toEqual(["wrote docs/adr/0002-use-sqlite.md", "wrote docs/adr/README.md", 'ADR 1 is marked superseded when this one is accepted ("baton adr accept 2")']);
      expect(parseAdr("0001-use-postgres.md", r.read("docs/adr/0001-use-postgres.md"))).toMatchObject({ status: "proposed", supersededBy: [] });
      expect(parseAdr("0002-use-sqlite.md", r.read("docs/adr/0002-use-sqlite.md"))).toMatchObject({ number: 2, title: "Use SQLite", status: "proposed", supersedes: [1], supersededBy: [] });

      // Accepting ADR 2 applies it: ADR 1 superseded, in the same run, and the index regenerated.
      const accepted = await baton(r.dir, ["adr", "accept", "2"]);
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toBe("docs/adr/0002-use-sqlite.md: accepted");
      expect(accepted.err).toEqual(["wrote docs/adr/0002-use-sqlite.md", "wrote docs/adr/0001-use-postgres.md", "wrote docs/adr/README.md", "ADR 1 is marked superseded by ADR 2"]);
      const oldText = r.read("docs/adr/0001-use-postgres.md");
      expect(oldText).toMatch(/^---\n[\s\S]*status: superseded\n[\s\S]*superseded-by: \[ 2 \]\n[\s\S]*---\n/);
      expect(parseAdr("0001-use-postgres.md", oldText)).toMatchObject({ status: "superseded", supersededBy: [2], title: "Use Postgres", modules: ["api"] });
      expect(parseAdr("0002-use-sqlite.md", r.read("docs/adr/0002-use-sqlite.md"))).toMatchObject({ number: 2, status: "accepted", date: "2026-03-04", supersedes: [1] });

      const index = r.read("docs/adr/README.md");
      expect(index).toContain("| 0001 | [Use Postgres](0001-use-postgres.md) | superseded | 2026-03-04 |  | [0002](0002-use-sqlite.md) |");
      expect(index).toContain("| 0002 | [Use SQLite](0002-use-sqlite.md) | accepted | 2026-03-04 | [0001](0001-use-postgres.md) |  |");
      const mermaid = /```mermaid\n([\s\S]*?)```/.exec(index)?.[1] ?? "";
      expect(mermaid).toMatch(/^graph TD\n/);
      expect(mermaid).toContain('adr1["0001: Use Postgres"]');
      expect(mermaid).toContain('adr2["0002: Use SQLite"]');
      expect(mermaid).toContain("adr2 -->|supersedes| adr1");

      // The result passes lint, and `adr list` reads it back.
      expect((await baton(r.dir, ["lint"])).code).toBe(0);
      const listed = JSON.parse((await baton(r.dir, ["adr", "list", "--json"])).stdout) as ListEntry[];
      expect(listed.map((e) => [e.number, e.status, e.supersededBy, e.supersedes])).toEqual([
        [1, "superseded", [2], []],
        [2, "accepted", [], [1]],
      ]);

      // Deciding again is refused; rejecting a proposed ADR writes rejected.
      const again = await baton(r.dir, ["adr", "reject", "2"]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("ADR 2 is accepted, not proposed");
      await baton(r.dir, ["adr", "new", "Use DuckDB"]);
      const rejected = await baton(r.dir, ["adr", "reject", "3"]);
      expect(rejected.code).toBe(0);
      expect(parseAdr("0003-use-duckdb.md", r.read("docs/adr/0003-use-duckdb.md"))).toMatchObject({ status: "rejected", date: "2026-03-04" });
    });

    it("refuses to supersede an ADR that does not exist, writing nothing", async () => {
      const r = repo(createLocalRepo());
      r.write("README.md", "x\n");
      r.commit("init");

      const run = await baton(r.dir, ["adr", "new", "Use SQLite", "--supersedes", "7"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain("--supersedes 7: no ADR with that number");
      expect(r.exists("docs/adr")).toBe(false);
    });

    it("writes at the repository root when run from a subfolder", async () => {
      const r = repo(createLocalRepo());
      r.write(".github/baton.yml", BATON_YML);
      r.write("src/api/a.ts", "export const a = 1;\n");
      r.commit("init");

      const run = await baton(join(r.dir, "src/api"), ["adr", "new", "Use Postgres"]);

      expect(run.code).toBe(0);
      expect(r.exists("docs/adr/0001-use-postgres.md")).toBe(true);
      expect(r.exists("src/api/docs")).toBe(false);
    });
  });

  describe("lint", () => {
    function goodRepo(): LocalRepo {
      const r = repo(seedReviewRepo());
      r.git("checkout", "-q", "main");
      return r;
    }

    it("exits 0 on a repository whose config, ADRs and pitfalls are well formed", async () => {
      const r = goodRepo();

      const run = await baton(r.dir, ["lint"]);

      expect(run.code).toBe(0);
      expect(run.out).toEqual([]);
      expect(run.stderr).toContain("1 ADR in docs/adr; 0 errors, 0 warnings");
    });

    it("exits 1 on a malformed .github/baton.yml and names the line", async () => {
      const r = goodRepo();
      r.write(".github/baton.yml", `modules:\n  api: ["src/api/**"]\ntriggers:\n  smallChangeLines: ten\n`);

      const run = await baton(r.dir, ["lint"]);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(".github/baton.yml:4:");
      expect(run.stdout).toContain("triggers.smallChangeLines");
      expect(run.stdout).toMatch(/expected a number/);
    });

    it("exits 1 on broken YAML, with the line of the error", async () => {
      const r = goodRepo();
      r.write(".github/baton.yml", `modules:\n  api: ["src/api/**"\ntriggers: {\n`);

      const run = await baton(r.dir, ["lint", "--json"]);

      expect(run.code).toBe(1);
      const findings = JSON.parse(run.stdout) as { level: string; path: string; message: string }[];
      // One finding per error, each located as file:line:column.
      expect(findings[0]).toEqual(expect.objectContaining({ level: "error", path: expect.stringMatching(/^\.github\/baton\.yml:3:\d+$/), message: expect.stringMatching(/^YAML syntax error/) }));
      expect(findings.every((f) => f.level === "error" && /^\.github\/baton\.yml:\d+:\d+$/.test(f.path))).toBe(true);
    });

    it("checks the repository from a subfolder too", async () => {
      const r = goodRepo();
      r.write(".github/baton.yml", `modules:\n  api: ["src/api/**"]\ntriggers:\n  smallChangeLines: ten\n`);

      const run = await baton(join(r.dir, "src/api"), ["lint"]);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(".github/baton.yml:4:");
      expect(run.stderr).toContain("1 ADR in docs/adr");
    });

    it("flags an ADR index that is out of date", async () => {
      const r = goodRepo();
      expect((await baton(r.dir, ["adr", "index"])).code).toBe(0);
      expect((await baton(r.dir, ["lint"])).code).toBe(0);
      r.write(ADR_PATH, r.read(ADR_PATH).replace("status: accepted", "status: deprecated"));

      const run = await baton(r.dir, ["lint"]);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain('docs/adr/README.md: the ADR index is out of date: run "baton adr index"');
    });
  });

  describe("context", () => {
    it("review --base main --json prints the manifest: the ADR, its guidance, the pitfalls and the diff, pinned to the base", async () => {
      const r = repo(seedReviewRepo());

      const run = await baton(r.dir, ["context", "review", "--base", "main", "--json"], {});

      expect(run.code).toBe(0);
      const manifest = JSON.parse(run.stdout) as { step: { id: string }; commit: string; inputs: { selector: string; identity: string; tokens: number }[]; omitted: unknown[] };
      expect(manifest.step.id).toBe("review");
      expect(manifest.commit).toBe(r.git("rev-parse", "main"));
      const adrSha = r.git("rev-parse", `main:${ADR_PATH}`);
      const pitfallsSha = r.git("rev-parse", `main:${PITFALLS_PATH}`);
      const bySelector = Object.fromEntries(manifest.inputs.map((i) => [i.identity, i.selector]));
      expect(bySelector).toMatchObject({
        [`${ADR_PATH}@${adrSha}`]: "adr:related",
        [`${ADR_PATH}@${adrSha}#guidance/api`]: "guidance:modules",
        [`${PITFALLS_PATH}@${pitfallsSha}`]: "pitfalls:modules",
      });
      expect(manifest.inputs.some((i) => i.selector === "diff")).toBe(true);
      for (const input of manifest.inputs) expect(input.tokens).toBeGreaterThan(0);
      expect(manifest.omitted).toEqual([]);
    });

    it("an unknown step is a clear error", async () => {
      const r = repo(seedReviewRepo());

      const run = await baton(r.dir, ["context", "deploy"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('unknown step "deploy"');
    });
  });
});
