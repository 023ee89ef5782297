import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { gitEnv } from "../snapshot/git-process.js";
import { assertCapabilities } from "../writer/check-capabilities.js";
import type { Intent } from "../writer/intents.js";

export interface LocalWriteResult {
  written: string[];
  branch?: string;
  commit?: string;
  /** Intents that only make sense on GitHub (PRs, comments, reviews), shown instead of done. */
  skipped: Intent[];
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function isWorkingTreeClean(cwd: string): boolean {
  // Untracked files count too: the model could write a file at that path, and the commit would take it.
  return git(cwd, ["status", "--porcelain", "--untracked-files=normal"]) === "";
}

/**
 * Local mode's writer: the same intents as on GitHub, carried out on the
 * working tree. `commit: true` turns a commit intent into a local branch and
 * a git commit (dev); otherwise files are only written (architect, remember)
 * for the developer to review and commit. The declaration is enforced here
 * exactly as on GitHub.
 */
export function applyIntentsLocally(cwd: string, step: StepDeclaration, intents: Intent[], opts: { commit: boolean }): LocalWriteResult {
  assertCapabilities(step, intents);
  const result: LocalWriteResult = { written: [], skipped: [] };
  for (const intent of intents) {
    if (intent.kind !== "commit") {
      result.skipped.push(intent);
      continue;
    }
    if (opts.commit) {
      git(cwd, ["checkout", "-q", "-B", intent.branch, intent.baseSha]);
      result.branch = intent.branch;
    }
    for (const file of intent.files) {
      const full = join(cwd, file.path);
      if (file.content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, file.content);
      }
      result.written.push(file.path);
    }
    if (opts.commit) {
      git(cwd, ["add", "-A", "--", ...intent.files.map((f) => f.path)]);
      git(cwd, ["commit", "-q", "-m", intent.message]);
      result.commit = git(cwd, ["rev-parse", "HEAD"]);
    }
  }
  return result;
}
