import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config-schema.js";
import { declareSteps } from "../../src/graph/default-steps.js";
import { applyIntentsLocally } from "../../src/local/local-writer.js";
import { Claude } from "../local/fixtures/claude.js";
import { ADR_PATH, ADR_TEXT, BATON_YML, baton, createLocalRepo, USERS_TS, type LocalRepo } from "../local/fixtures/temp-repo.js";

/**
 * Issue 7, item 1: local `baton dev` must not let the model run code on the
 * developer's machine or write outside the repository. The model (Claude at
 * the network edge) asks for every write the audit reproduced; each is
 * refused to the model, nothing lands outside the repository or in `.git`,
 * the commit holds only the legitimate file, and the report names what was
 * refused.
 */

const OK_TS = "export const ok = true;\n";

describe("local baton dev against a hostile model", () => {
  let base: string;
  let outside: string;
  let marker: string;
  let repo: LocalRepo;
  let claude: Claude;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "baton-hostile-"));
    outside = join(base, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "secret"), "do not touch\n");
    marker = join(base, "fsmonitor-ran");
    repo = createLocalRepo(base);
    repo.write(".github/baton.yml", BATON_YML);
    repo.write(ADR_PATH, ADR_TEXT);
    repo.write("src/api/users.ts", USERS_TS);
    // Committed symbolic links: a folder outside the repository, and a file outside it.
    symlinkSync("../outside", join(repo.dir, "lnk"));
    symlinkSync("../outside/secret", join(repo.dir, "evil"));
    repo.commit("Initial commit");
    claude = new Claude();
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("refuses .git/config, writes through symlinks, and doubled-slash paths to the ADR folder and the config; runs nothing", async () => {
    const gitConfig = readFileSync(join(repo.dir, ".git", "config"), "utf8");
    const main = repo.git("rev-parse", "HEAD");
    const hostile = [
      { name: "write_file", input: { path: ".git/config", content: `[core]\n\tfsmonitor = "touch '${marker}'; false"\n` } },
      { name: "write_file", input: { path: ".GIT/hooks/pre-commit", content: `#!/bin/sh\ntouch '${marker}'\n` } },
      { name: "write_file", input: { path: "lnk/x", content: "written outside\n" } },
      { name: "write_file", input: { path: "evil", content: "overwritten\n" } },
      { name: "write_file", input: { path: "docs//adr/0001-use-x.md", content: "---\nstatus: accepted\n---\n# Anything goes\n" } },
      { name: "write_file", input: { path: ".github//baton.yml", content: "dev:\n  denyPaths: []\n" } },
      { name: "write_file", input: { path: "src/api/ok.ts", content: OK_TS } },
    ];
    claude.answers(...hostile).answers({ name: "finish", input: { summary: "Done." } });

    const run = await baton(repo.dir, ["dev", "--adr", ADR_PATH, "--runner", "builtin"]);

    // Nothing was written outside the repository, in .git, or over the ADR and the configuration.
    expect.soft(existsSync(join(outside, "x"))).toBe(false);
    expect.soft(readFileSync(join(outside, "secret"), "utf8")).toBe("do not touch\n");
    expect.soft(readFileSync(join(repo.dir, ".git", "config"), "utf8")).toBe(gitConfig);
    expect.soft(existsSync(join(repo.dir, ".git", "hooks", "pre-commit"))).toBe(false);
    expect.soft(repo.read(ADR_PATH)).toBe(ADR_TEXT);
    expect.soft(repo.read(".github/baton.yml")).toBe(BATON_YML);

    // The developer's next git commands run no command the model chose.
    spawnSync("git", ["status", "--porcelain"], { cwd: repo.dir, stdio: "ignore" });
    expect.soft(existsSync(marker), "a command the model wrote into .git/config ran").toBe(false);

    expect(run.code).toBe(0);
    expect(claude.isDone()).toBe(true);

    // Every hostile write came back to the model as an error naming why.
    const results = claude.requests[1]!.messages[2]!.content.filter((b) => b.type === "tool_result");
    expect(results.map((r) => [r.is_error ?? false, r.content])).toEqual([
      [true, expect.stringContaining(".git/config: a .git component")],
      [true, expect.stringContaining(".GIT/hooks/pre-commit: a .git component")],
      [true, "lnk/x: lnk is a symbolic link; Baton never writes through links"],
      [true, "evil: evil is a symbolic link; Baton never writes through links"],
      [true, "docs/adr/0001-use-x.md: the step may never write here (always denied: docs/adr/**)"],
      [true, ".github/baton.yml: the step may never write here (always denied: .github/baton.yml)"],
      [false, `wrote src/api/ok.ts (${OK_TS.length} characters)`],
    ]);

    // One commit with the legitimate file only.
    const branch = "baton/dev/use-x-for-request-validation";
    expect(repo.git("rev-parse", `${branch}~1`)).toBe(main);
    expect(repo.git("show", "--name-only", "--format=", branch).split("\n")).toEqual(["src/api/ok.ts"]);

    // The report says what was refused.
    expect(run.stdout).toContain("Writes refused by the path policy");
    for (const path of [".git/config", "lnk/x", "evil", "docs/adr/0001-use-x.md", ".github/baton.yml"]) expect(run.stdout).toContain(`- ${path}:`);
  });

  it("the local writer refuses an intent that would write through a symlink, before writing or running anything", async () => {
    const head = repo.git("rev-parse", "HEAD");
    const intents = [{ kind: "commit" as const, branch: "baton/dev/x", baseSha: head, message: "m", files: [{ path: "src/api/fine.ts", content: OK_TS }, { path: "lnk/x", content: "outside\n" }] }];

    await expect(applyIntentsLocally(repo.dir, declareSteps(defaultConfig()).dev, intents, { commit: true })).rejects.toThrow("lnk/x: lnk is a symbolic link");

    expect(existsSync(join(outside, "x"))).toBe(false);
    expect(repo.exists("src/api/fine.ts")).toBe(false);
    expect(execFileSync("git", ["branch", "--list", "baton/*"], { cwd: repo.dir, encoding: "utf8" })).toBe("");
  });
});
