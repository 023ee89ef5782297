import { execFileSync } from "node:child_process";
import { appendFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RECORDING_PATH } from "../../demo/run-demo.js";
import { createSampleRepo, SPEC_PATH } from "../../demo/sample-repo.js";
import { baton, seedReviewRepo, type LocalRepo } from "./fixtures/temp-repo.js";

// `--recorded FILE` replays model answers only on the inputs they were
// recorded on (issue 12: the demo's review replayed on any repository,
// findings included). The demo's own recording is the real case.

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

const adrFiles = (root: string) => readdirSync(join(root, "docs/adr")).filter((f) => /^\d{4}-/.test(f));

describe("baton <step> --recorded FILE", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const clean of cleanup.splice(0)) clean();
  });

  it("replays the demo's architecture review on the demo's sample repository, committed anew under another commit", async () => {
    const root = createSampleRepo();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    // Same files, another commit: commit ids are not what the answer was given.
    git(root, ["-c", "core.hooksPath=/dev/null", "commit", "-q", "--amend", "-m", "Another message, another commit"]);

    const run = await baton(root, ["architect", "--spec", SPEC_PATH, "--recorded", RECORDING_PATH], {});

    expect(run.stderr).not.toContain("recorded on other inputs");
    expect(run.code).toBe(0);
    expect(adrFiles(root)).toContain("0003-rate-limiting.md");
  });

  it("refuses it when the spec differs from the recorded one, naming the spec, and writes nothing", async () => {
    const root = createSampleRepo();
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    appendFileSync(join(root, SPEC_PATH), "\nAlso limit `/healthz` to 10 requests per second.\n");
    git(root, ["-c", "core.hooksPath=/dev/null", "commit", "-q", "-am", "Change the spec"]);

    const run = await baton(root, ["architect", "--spec", SPEC_PATH, "--recorded", RECORDING_PATH], {});

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`baton: ${RECORDING_PATH} was recorded on other inputs than this repository's: structured answer #1 for step architecture-review was given different context (changed: spec ${SPEC_PATH})`);
    expect(adrFiles(root)).toEqual(["0001-record-architecture-decisions.md", "0002-authenticate-api-requests-with-api-keys.md"]);
    expect(git(root, ["status", "--porcelain"])).toBe("");
  });

  it("refuses the demo's review on another repository, before printing any finding", async () => {
    const repo: LocalRepo = seedReviewRepo();
    cleanup.push(() => repo.remove());

    const run = await baton(repo.dir, ["review", "--base", "main", "--recorded", RECORDING_PATH], {});

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/was recorded on other inputs than this repository's: structured answer #1 for step review was given different context \(/);
    // What the demo was given and this repository does not have, by name.
    expect(run.stderr).toMatch(/only in the recording: [^)]*spec docs\/specs\/rate-limiting\.md/);
    expect(run.stderr).toMatch(/only in the recording: [^)]*adr:linked docs\/adr\/0003-rate-limiting\.md/);
    expect(run.stdout).not.toContain("Retry-After");
    expect(run.stdout).not.toMatch(/Findings/);
  });
});
