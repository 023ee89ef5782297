import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { checkPathOnDisk, stepPathPolicy } from "../policy/path-policy.js";
import { gitEnv } from "../snapshot/git-process.js";
import { assertCapabilities, CapabilityError } from "../writer/check-capabilities.js";
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

/** O_NOFOLLOW: should a link appear between the check and the write, the write fails instead of following it (POSIX). */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

function writeFileNoFollow(path: string, content: string): void {
  const fd = openSync(path, WRITE_FLAGS, 0o644);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** Every file of every commit intent, checked on disk by the one path policy; the refusals. */
async function diskViolations(cwd: string, step: StepDeclaration, intents: Intent[]): Promise<string[]> {
  const policy = stepPathPolicy(step);
  const violations: string[] = [];
  for (const intent of intents) {
    if (intent.kind !== "commit") continue;
    for (const file of intent.files) {
      const decision = await checkPathOnDisk(cwd, file.path, policy);
      if (!decision.allowed) violations.push(decision.reason);
    }
  }
  return violations;
}

/**
 * Local mode's writer: the same intents as on GitHub, carried out on the
 * working tree. `commit: true` turns a commit intent into a local branch and
 * a git commit (dev); otherwise files are only written (architect, remember)
 * for the developer to review and commit. The declaration is enforced here
 * exactly as on GitHub, and the disk is checked too (no write through a
 * symbolic link, into a submodule or outside the repository): all before
 * the first write, so a refusal writes nothing and runs no git command.
 */
export async function applyIntentsLocally(cwd: string, step: StepDeclaration, intents: Intent[], opts: { commit: boolean }): Promise<LocalWriteResult> {
  assertCapabilities(step, intents);
  const refused = await diskViolations(cwd, step, intents);
  if (refused.length) throw new CapabilityError(step.id, refused);
  const policy = stepPathPolicy(step);
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
      // Again right before the write: the checkout or an earlier file may have changed the tree.
      const decision = await checkPathOnDisk(cwd, file.path, policy);
      if (!decision.allowed) throw new CapabilityError(step.id, [decision.reason]);
      const full = join(cwd, decision.path);
      if (file.content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileNoFollow(full, file.content);
      }
      result.written.push(decision.path);
    }
    if (opts.commit) {
      git(cwd, ["add", "-A", "--", ...intent.files.map((f) => f.path)]);
      git(cwd, ["commit", "-q", "-m", intent.message]);
      result.commit = git(cwd, ["rev-parse", "HEAD"]);
    }
  }
  return result;
}
