import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempRepo, type TempRepo } from "./git-fixtures.js";

/**
 * A snapshot left open must not keep a CLI run alive: its `git cat-file`
 * process is unreferenced. Only a separate Node process can show it exits,
 * so this runs in the slow tier (it starts Node with tsx).
 */

let repo: TempRepo;
beforeAll(() => {
  repo = createTempRepo();
  repo.write("README.md", "# Widgets\n");
  repo.commit("first");
});
afterAll(() => repo.remove());

describe("local git snapshot: process exit", () => {
  it("does not keep the Node process alive when a snapshot is left open", async () => {
    const script = `
      import { createLocalGitSnapshot } from ${JSON.stringify(fileURLToPath(new URL("../../src/snapshot/local-git-snapshot.ts", import.meta.url)))};
      const snap = await createLocalGitSnapshot({ cwd: ${JSON.stringify(repo.dir)} });
      const read = await snap.readFiles(["README.md"]);
      console.log(JSON.stringify(read.get("README.md")?.text));
    `;
    const stdout = await new Promise<string>((resolve, reject) => {
      // The timeout is a guard against the hang under test, not a wait.
      execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 15_000 }, (err, out) =>
        err ? reject(err) : resolve(out),
      );
    });
    expect(stdout.trim()).toBe(JSON.stringify("# Widgets\n"));
  });
});
