import { execFileSync } from "node:child_process";

/** The checked-out branch, or null on a detached HEAD. */
export function currentBranch(cwd: string): string | null {
  try {
    return execFileSync("git", ["symbolic-ref", "--short", "-q", "HEAD"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

function gitQuiet(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The repository's default branch, the base of every local step that needs
 * one: the remote's HEAD (`origin/HEAD` → `origin/main`), else a local `main`
 * or `master`; null when none exists.
 */
export function defaultBaseRef(cwd: string): string | null {
  const remoteHead = gitQuiet(cwd, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
  if (remoteHead) return remoteHead;
  for (const name of ["main", "master"]) {
    if (gitQuiet(cwd, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`])) return name;
  }
  return null;
}
