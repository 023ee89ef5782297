import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAdr } from "../../src/context-store/adr/parse-adr.js";
import { parsePitfalls } from "../../src/context-store/pitfalls/parse-pitfalls.js";
import { Claude } from "./fixtures/claude.js";
import { ADR_GUIDANCE_PHRASE, ADR_PATH, ADR_TEXT, BATON_YML, baton, createLocalRepo, PITFALL_PHRASE, PITFALLS_PATH, pitfallsText, USERS_TS, type LocalRepo } from "./fixtures/temp-repo.js";

const SPEC_PATH = "docs/specs/x.md";
const SPEC_PHRASE = "export every user as CSV through the pelican-stream endpoint";
const NEW_ADR = "docs/adr/0002-x.md";
const NEW_ADR_RULES = [
  { level: "MUST", rule: "stream rows with a cursor", check: "exports iterate db cursors" },
  { level: "MUST NOT", rule: "buffer the whole table", check: "no export collects rows into an array" },
];
const NEW_ADR_GUIDANCE = "- **MUST** stream rows with a cursor. _Check:_ exports iterate db cursors\n- **MUST NOT** buffer the whole table. _Check:_ no export collects rows into an array";

const WRITE_ADR = {
  name: "write_adr",
  input: {
    title: "Stream CSV exports",
    context: `The spec asks to ${SPEC_PHRASE}.`,
    drivers: ["Memory stays flat on large tables"],
    options: [
      { name: "Stream with a cursor", good: ["memory stays flat"], bad: ["cannot be retried mid-way"] },
      { name: "Buffer in memory", description: "Simple, but memory grows with the table.", good: ["simple"], bad: ["memory grows with the table"] },
    ],
    confirmation: "The review applies the api rules below to every export.",
    decision: "Stream with a cursor, because memory stays flat.",
    consequences: ["Good, because memory stays flat.", "Bad, because the export cannot be retried mid-way."],
    modules: ["api"],
    guidance: [{ module: "api", rules: NEW_ADR_RULES }],
    supersedes: [],
  },
};

const EXPORT_TS = `import { db } from "../db.js";

export async function* exportUsers() {
  for await (const row of db.users.cursor()) yield \`\${row.id},\${row.name}\\n\`;
}
`;

function seed(): LocalRepo {
  const repo = createLocalRepo();
  repo.write(".github/baton.yml", BATON_YML);
  repo.write(ADR_PATH, ADR_TEXT);
  repo.write(PITFALLS_PATH, pitfallsText());
  repo.write("src/api/users.ts", USERS_TS);
  repo.write(SPEC_PATH, `# User export\n\nThe api must ${SPEC_PHRASE}.\n`);
  repo.commit("Initial commit");
  return repo;
}

describe("baton architect, dev and remember (local mode)", () => {
  let repo: LocalRepo;
  let claude: Claude;

  beforeEach(() => {
    repo = seed();
    claude = new Claude();
  });
  afterEach(() => repo.remove());

  it("architect writes a proposed ADR for the spec and regenerates the index, in the working tree only", async () => {
    const head = repo.git("rev-parse", "HEAD");
    claude.answers(WRITE_ADR);

    const run = await baton(repo.dir, ["architect", "--spec", SPEC_PATH]);

    expect(run.code).toBe(0);
    expect(claude.isDone()).toBe(true);
    // Claude was asked for the ADR with the spec and the existing ADRs in view.
    expect(claude.requests[0]!.output_config?.format?.type).toBe("json_schema");
    const sent = claude.sentText(0);
    expect(sent).toContain(SPEC_PHRASE);
    expect(sent).toContain("Use X for request validation");

    // The ADR: MADR with front matter linking the spec, proposed, with the module guidance.
    expect(repo.exists(NEW_ADR)).toBe(true);
    const text = repo.read(NEW_ADR);
    expect(text).toMatch(/^---\n[\s\S]*status: proposed\n[\s\S]*---\n/);
    const record = parseAdr("0002-x.md", text);
    expect(record).toMatchObject({ number: 2, title: "Stream CSV exports", status: "proposed", spec: SPEC_PATH, date: "2026-03-04", modules: ["api"], supersedes: [] });
    expect(record.guidance.api).toBe(NEW_ADR_GUIDANCE);

    // The index lists both ADRs.
    const index = repo.read("docs/adr/README.md");
    expect(index).toContain("| 0001 | [Use X for request validation](0001-use-x.md) | accepted |");
    expect(index).toContain("| 0002 | [Stream CSV exports](0002-x.md) | proposed | 2026-03-04 |");
    expect(index).toContain("```mermaid");

    // Written, not committed: the developer reviews and commits.
    expect(repo.git("rev-parse", "HEAD")).toBe(head);
    expect(repo.git("status", "--porcelain", "--untracked-files=all").split("\n").sort()).toEqual(["?? docs/adr/0002-x.md", "?? docs/adr/README.md"]);
    expect(run.stdout).toContain("- wrote docs/adr/0002-x.md");
    expect(run.stdout).toContain("- wrote docs/adr/README.md");
    expect(run.stdout).toContain("Context manifest");
  });

  it("architect without a spec says how to name one", async () => {
    const run = await baton(repo.dir, ["architect"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--spec docs/specs/x.md");
    expect(claude.requests).toEqual([]);
  });

  describe("dev", () => {
    beforeEach(async () => {
      claude.answers(WRITE_ADR);
      expect((await baton(repo.dir, ["architect", "--spec", SPEC_PATH])).code).toBe(0);
      // The team accepts the ADR and commits it.
      repo.write(NEW_ADR, repo.read(NEW_ADR).replace("status: proposed", "status: accepted"));
      repo.commit("Accept ADR 2");
    });

    it("refuses to run on a dirty working tree, before calling the model", async () => {
      repo.write("src/api/users.ts", `${USERS_TS}// work in progress\n`);
      const before = claude.requests.length;

      const run = await baton(repo.dir, ["dev", "--adr", NEW_ADR, "--runner", "builtin"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain("the working tree has uncommitted changes");
      expect(claude.requests).toHaveLength(before);
      expect(repo.git("branch", "--list", "baton/*")).toBe("");
      expect(repo.read("src/api/users.ts")).toContain("// work in progress");
    });

    it("implements the ADR on baton/dev/<slug> as one commit; a write to a denied path is refused to the model and not committed", async () => {
      const main = repo.git("rev-parse", "HEAD");
      claude
        .answers(
          { name: "write_file", input: { path: "src/api/export.ts", content: EXPORT_TS } },
          { name: "write_file", input: { path: ".github/workflows/x.yml", content: "on: push\njobs: {}\n" } },
        )
        .answers({ name: "finish", input: { summary: "Added `exportUsers`, streaming rows with a cursor as ADR 2 requires." } });

      const run = await baton(repo.dir, ["dev", "--adr", NEW_ADR, "--runner", "builtin"]);

      expect(run.stderr).not.toMatch(/baton: (?!dev:|model:|note:)/);
      expect(run.code).toBe(0);
      expect(claude.isDone()).toBe(true);

      // The first dev request: the tools, the ADR, its spec and the pitfalls of its module.
      const first = claude.requests[1]!;
      expect(first.tools!.map((t) => t.name).sort()).toEqual(["delete_file", "edit_file", "finish", "list_files", "read_file", "search", "write_file"]);
      const sent = claude.sentText(1);
      expect(sent).toContain(NEW_ADR_GUIDANCE);
      expect(sent).toContain(SPEC_PHRASE);
      expect(sent).toContain(PITFALL_PHRASE);
      expect(sent).toContain(ADR_GUIDANCE_PHRASE);

      // The second: both tool results, the denied write as an error the model can act on.
      const second = claude.requests[2]!;
      expect(second.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
      const results = second.messages[2]!.content.filter((b) => b.type === "tool_result");
      expect(results).toHaveLength(2);
      expect(results[0]).toMatchObject({ type: "tool_result", content: `wrote src/api/export.ts (${EXPORT_TS.length} characters)` });
      expect(results[0]!.is_error).toBeFalsy();
      expect(results[1]).toMatchObject({ type: "tool_result", is_error: true, content: expect.stringContaining(".github/workflows/x.yml: the step may never write here") });

      // One commit on the new branch, on top of main, with the file and nothing else.
      const branch = "baton/dev/stream-csv-exports";
      expect(repo.git("branch", "--list", "baton/*").replace(/^[*\s]+/, "")).toBe(branch);
      expect(repo.git("rev-parse", "--abbrev-ref", "HEAD")).toBe(branch);
      expect(repo.git("rev-list", `${main}..${branch}`).split("\n")).toHaveLength(1);
      expect(repo.git("rev-parse", `${branch}~1`)).toBe(main);
      expect(repo.git("show", "--name-only", "--format=", branch).split("\n")).toEqual(["src/api/export.ts"]);
      expect(repo.git("show", `${branch}:src/api/export.ts`)).toBe(EXPORT_TS.trimEnd());
      const message = repo.git("log", "-1", "--format=%B", branch);
      expect(message).toMatch(/^Stream CSV exports\n/);
      expect(message).toContain(`Baton-ADR: ${NEW_ADR}`);
      expect(repo.exists(".github/workflows/x.yml")).toBe(false);
      expect(repo.git("status", "--porcelain")).toBe("");
      expect(run.stdout).toContain(`on ${branch}`);
      expect(run.stdout).toContain("Added `exportUsers`");
    });

    it("names an ADR that is not committed", async () => {
      const run = await baton(repo.dir, ["dev", "--adr", "docs/adr/0009-nope.md", "--runner", "builtin"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain("docs/adr/0009-nope.md is not an ADR committed at HEAD");
    });
  });

  describe("remember", () => {
    const LESSON = "Always paginate list endpoints because GitHub caps pages at 100";

    it("appends the lesson to the module's pitfalls, once", async () => {
      const before = repo.read(PITFALLS_PATH);

      const first = await baton(repo.dir, ["remember", LESSON, "--module", "api"]);

      expect(first.code).toBe(0);
      expect(first.stdout).toBe(`wrote ${PITFALLS_PATH}`);
      const after = repo.read(PITFALLS_PATH);
      expect(after.startsWith(before.trimEnd())).toBe(true);
      const entries = parsePitfalls(PITFALLS_PATH, after).entries;
      expect(entries.map((e) => e.lesson)).toEqual([expect.stringContaining(PITFALL_PHRASE), "Always paginate list endpoints"]);
      expect(entries[1]).toMatchObject({ why: "GitHub caps pages at 100", date: "2026-03-04" });

      const second = await baton(repo.dir, ["remember", LESSON, "--module", "api"]);

      expect(second.code).toBe(0);
      expect(second.stdout).toContain("already in docs/pitfalls/api.md");
      expect(repo.read(PITFALLS_PATH)).toBe(after);
      expect(after.split("Always paginate list endpoints").length - 1).toBe(2); // heading + lesson, one entry
      expect(claude.requests).toEqual([]);
    });

    it("keeps lessons remembered earlier and not yet committed", async () => {
      expect((await baton(repo.dir, ["remember", LESSON, "--module", "api"])).code).toBe(0);
      expect((await baton(repo.dir, ["remember", "Retry idempotent calls only because a retried POST can charge twice", "--module", "api"])).code).toBe(0);

      const entries = parsePitfalls(PITFALLS_PATH, repo.read(PITFALLS_PATH)).entries;
      expect(entries.map((e) => e.lesson)).toEqual([expect.stringContaining(PITFALL_PHRASE), "Always paginate list endpoints", "Retry idempotent calls only"]);
    });

    it("creates the pitfalls file of a module that has none", async () => {
      // `general` is the module of lessons that belong to none: always known, no file yet.
      const run = await baton(repo.dir, ["remember", LESSON, "--module", "general", "--source", "https://github.com/acme/widgets/pull/31"]);

      expect(run.code).toBe(0);
      const text = repo.read("docs/pitfalls/general.md");
      expect(text).toMatch(/^# Pitfalls: general\n/);
      expect(parsePitfalls("docs/pitfalls/general.md", text).entries).toEqual([expect.objectContaining({ lesson: "Always paginate list endpoints", source: { url: "https://github.com/acme/widgets/pull/31", pr: 31 } })]);
    });

    it("refuses a module the module map does not know, listing the known ones, and writes nothing", async () => {
      const run = await baton(repo.dir, ["remember", LESSON, "--module", "apj"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain("There is no module apj in the module map. Known modules: api, general.");
      expect(repo.exists("docs/pitfalls/apj.md")).toBe(false);
    });
  });
});
