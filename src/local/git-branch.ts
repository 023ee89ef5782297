import { execFileSync } from "node:child_process";

/** The checked-out branch, or null on a detached HEAD. */
export function currentBranch(cwd: string): string | null {
  try {
    return execFileSync("git", ["symbolic-ref", "--short", "-q", "HEAD"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}
