import { afterEach, describe, expect, test } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { closeMarkdownPool } from "../../src/markdown/bounded-markdown.js";
import { createLocalRepo, type LocalRepo } from "./fixtures/temp-repo.js";

/** `baton adr list` and `lint` with no --dir, on checkouts laid out as adr-tools, log4brains, MADR and large organisations do. */
const nygard = (n: number, title: string) => `# ${n}. ${title}\n\nDate: 2018-04-0${n}\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n`;

async function cli(repo: LocalRepo, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { cwd: repo.dir, out: (l) => out.push(l), err: (l) => err.push(l), today: () => "2026-12-04", env: {} });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const repos: LocalRepo[] = [];
function repoWith(files: Record<string, string>): LocalRepo {
  const repo = createLocalRepo();
  repos.push(repo);
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.commit("init");
  return repo;
}

afterEach(async () => {
  for (const r of repos.splice(0)) r.remove();
  await closeMarkdownPool();
});

describe("the ADR folder is found in every usual layout", () => {
  test.each([
    "docs/architecture/adr",
    "docs/architecture/decisions",
    "architecture-decision-record",
    "architecture-decision-records",
    "adr",
    "decisions",
    "doc/adr",
    "docs/adrs",
  ])("%s", async (folder) => {
    const repo = repoWith({ [`${folder}/0001-record-decisions.md`]: nygard(1, "Record decisions"), [`${folder}/0002-use-rest.md`]: nygard(2, "Use REST") });
    const run = await cli(repo, "adr", "list", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((r: { title: string }) => r.title)).toEqual(["Record decisions", "Use REST"]);
  });

  test(".adr-dir names an unusual folder", async () => {
    const repo = repoWith({ ".adr-dir": "architecture/records\n", "architecture/records/0001-record-decisions.md": nygard(1, "Record decisions") });
    expect(JSON.parse((await cli(repo, "adr", "list", "--json")).stdout)).toHaveLength(1);
  });

  test("numbered files that read as ADRs, in an unusual folder or at the repository root", async () => {
    const unusual = repoWith({
      "governance/choices/0001-record-decisions.md": nygard(1, "Record decisions"),
      "governance/choices/0002-use-rest.md": nygard(2, "Use REST"),
      "guide/01-intro.md": "# Introduction\n\nWelcome.\n",
      "guide/02-setup.md": "# Setup\n\nInstall it.\n",
      "guide/03-usage.md": "# Usage\n\nRun it.\n",
    });
    const found = await cli(unusual, "lint");
    expect(found.stderr).toContain("2 ADRs in governance/choices;");
    const root = repoWith({ "README.md": "# Our decisions\n", "0001-record-decisions.md": nygard(1, "Record decisions"), "0002-use-rest.md": nygard(2, "Use REST") });
    const list = await cli(root, "adr", "list", "--json");
    expect(JSON.parse(list.stdout).map((r: { file: string }) => r.file)).toEqual(["0001-record-decisions.md", "0002-use-rest.md"]);
  });

  test("numbered chapters that do not read as ADRs are no ADR folder, and lint says so rather than passing", async () => {
    const repo = repoWith({ "guide/01-intro.md": "# Introduction\n\nWelcome.\n", "guide/02-setup.md": "# Setup\n\nInstall it.\n" });
    const run = await cli(repo, "lint");
    expect(run.stdout).toMatch(/^warning \.: no ADR folder found \(looked in docs\/adr, .*\): no ADR was checked/m);
    expect(run.stderr).toContain("0 ADRs in (no ADR folder); 0 errors, 1 warning");
  });
});

describe("what is read, and what is said about it", () => {
  test("a numbered file is an ADR whatever its slug; a skipped file is named on stderr with the reason", async () => {
    const repo = repoWith({
      "docs/adr/0001-record-decisions.md": nygard(1, "Record decisions"),
      "docs/adr/0002-template-engine.md": nygard(2, "Use a template engine"),
      "docs/adr/template.md": "# Title\n\n## Status\n\n{proposed | accepted}\n",
      "docs/adr/README.md": "# Decisions\n",
    });
    const run = await cli(repo, "adr", "list");
    expect(run.stdout.split("\n").map((l) => l.trim())).toEqual(["1  accepted   2018-04-01  Record decisions", "2  accepted   2018-04-02  Use a template engine"]);
    expect(run.stderr.split("\n")).toEqual(["baton: skipped docs/adr/template.md: an unnumbered template", "2 ADRs"]);
  });

  test("numbers sort as numbers; one ADR is 1 ADR", async () => {
    const files: Record<string, string> = {};
    for (const n of [1, 2, 10, 11]) files[`docs/adr/${String(n).padStart(4, "0")}-x${n}.md`] = nygard(1, `X${n}`);
    const repo = repoWith(files);
    expect(JSON.parse((await cli(repo, "adr", "list", "--json")).stdout).map((r: { number: number }) => r.number)).toEqual([1, 2, 10, 11]);
    const one = repoWith({ "docs/adr/0001-x.md": nygard(1, "X") });
    expect((await cli(one, "adr", "list")).stderr).toBe("1 ADR");
  });

  test("lint gives ADR problems as file:line:column, with a did-you-mean for a misspelt status, and unclosed front matter is an error", async () => {
    const repo = repoWith({
      "docs/adr/0001-x.md": "# X\n\nDate: 2020-01-01\n\n## Status\n\nacepted\n",
      "docs/adr/0002-y.md": "---\nstatus: accepted\ndate: 2020-01-02\n\n# Y\n\nText.\n",
    });
    const run = await cli(repo, "lint");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error   docs/adr/0001-x.md:7:1: status "acepted" is not a known status; did you mean "accepted"?');
    expect(run.stdout).toContain("error   docs/adr/0002-y.md:1:1: front matter opened by --- on line 1 is never closed: add a --- line after it (it was not read)");
    expect(run.stderr).toContain("2 ADRs in docs/adr; 2 errors,");
    const list = JSON.parse((await cli(repo, "adr", "list", "--json")).stdout);
    // Unclosed front matter is not read as an accepted ADR.
    expect(list[1]).toMatchObject({ file: "0002-y.md", title: "Y", status: "unknown" });
  });
});

describe("one vocabulary, and the defaults a newcomer expects", () => {
  test("a step is named the same way everywhere: `baton context architect` is the architecture review", async () => {
    const repo = repoWith({ ".github/baton.yml": "modules:\n  api: [\"src/api/**\"]\n", "src/api/a.ts": "export const a = 1;\n", "docs/specs/search.md": "# Search\n\nThe api returns users.\n" });
    const alias = await cli(repo, "context", "architect", "--spec", "docs/specs/search.md", "--json");
    expect(alias.code).toBe(0);
    expect(JSON.parse(alias.stdout).step.id).toBe("architecture-review");
    const unknown = await cli(repo, "context", "architecture-reveiw");
    expect(unknown.stderr).toContain("use one of architecture-review (or architect), dev, review, learning (or remember)");
  });

  test("a step's command takes every name of the step, as context does: `baton learn`, `baton arch`", async () => {
    const repo = repoWith({ ".github/baton.yml": "modules:\n  api: [\"src/api/**\"]\n", "src/api/a.ts": "export const a = 1;\n" });
    const learn = await cli(repo, "learn", "Paginate every list call", "--module", "api");
    expect(learn.stderr).toBe("");
    expect(learn.stdout).toBe("wrote docs/pitfalls/api.md");
    expect(repo.read("docs/pitfalls/api.md")).toContain("Paginate every list call");
    // The architecture review by another name: it runs (and stops where it needs a spec, as `baton architect` does).
    for (const word of ["arch", "architecture-review"]) {
      const arch = await cli(repo, word);
      expect(arch.code, word).toBe(1);
      expect(arch.stderr, word).toBe("baton: name the spec: --spec docs/specs/x.md or --issue-text FILE");
    }
  });

  test("the review's base is the default branch, master included", async () => {
    const repo = createLocalRepo();
    repos.push(repo);
    repo.git("symbolic-ref", "HEAD", "refs/heads/master");
    repo.write("src/api/a.ts", "export const a = 1;\n");
    repo.commit("init");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("src/api/a.ts", "export const a = 2;\n");
    repo.commit("change");
    const run = await cli(repo, "context", "review", "--json");
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout);
    expect(manifest.commit).toBe(repo.git("rev-parse", "master"));
    expect(manifest.inputs.some((i: { selector: string }) => i.selector === "diff")).toBe(true);
  });

  test("remember refuses a module nobody declared, and lists the known ones", async () => {
    const repo = repoWith({ ".github/baton.yml": "modules:\n  api: [\"src/api/**\"]\n  web: [\"src/web/**\"]\n", "src/api/a.ts": "export const a = 1;\n" });
    const run = await cli(repo, "remember", "Paginate every list call", "--module", "nosuchmodule");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("baton: There is no module nosuchmodule in the module map. Known modules: api, web, general.");
    expect(repo.exists("docs/pitfalls/nosuchmodule.md")).toBe(false);
  });
});
