import { lstat, realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { StepDeclaration } from "../../../graph/step-declaration.js";

/**
 * Where a Claude Code dev session may write: the dev step's declared
 * writable paths minus its denied paths, and never `.git/`. The same
 * decision serves the PreToolUse hook (each write as it is asked for) and
 * the final-diff check (each changed path before the commit).
 */
export type PathDecision = { allowed: true; path: string } | { allowed: false; path: string; reason: string };

export interface SessionPathPolicy {
  check(repoPath: string): PathDecision;
}

export function sessionPathPolicy(step: StepDeclaration): SessionPathPolicy {
  const writable = step.writablePaths.length ? picomatch(step.writablePaths, { dot: true }) : () => false;
  const denied = picomatch([...step.deniedPaths, ".git", ".git/**"], { dot: true });
  return {
    check(path) {
      if (!path || path.includes("\0") || path.startsWith("/") || path.split("/").some((s) => s === ".." || s === "." || s === "")) return { allowed: false, path, reason: "not a clean repository-relative path" };
      if (denied(path)) return { allowed: false, path, reason: "denied to the dev step (dev.denyPaths, the ADR folder, .github/baton.yml, .git/)" };
      if (!writable(path)) return { allowed: false, path, reason: "outside what the dev step may write (dev.allowPaths)" };
      return { allowed: true, path };
    },
  };
}

/** A path the session named (absolute, or relative to the checkout) as a repository path, or null when it is outside the checkout. */
export function repoPathOf(root: string, named: string): string | null {
  const full = isAbsolute(named) ? resolve(named) : resolve(root, named);
  const rel = relative(root, full);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) return null;
  return rel.split(sep).join("/");
}

/**
 * The policy's decision, and on disk: every existing parent folder must be a
 * real folder (a symlinked parent could point outside the checkout), and a
 * file that exists must not be a symlink; the real path stays in the checkout.
 */
export async function checkOnDisk(root: string, path: string, policy: SessionPathPolicy): Promise<PathDecision> {
  const decision = policy.check(path);
  if (!decision.allowed) return decision;
  const realRoot = await realpath(root);
  let current = realRoot;
  const parts = path.split("/");
  for (let i = 0; i < parts.length; i++) {
    current = join(current, parts[i]!);
    const stat = await lstat(current).catch(() => null);
    if (!stat) break;
    if (stat.isSymbolicLink()) return { allowed: false, path, reason: `${i === parts.length - 1 ? "the file" : "a parent folder"} is a symbolic link` };
  }
  const parent = await realpath(dirname(join(realRoot, path))).catch(() => null);
  if (parent && repoPathOf(realRoot, join(parent, "x")) === null) return { allowed: false, path, reason: "resolves outside the checkout" };
  return decision;
}
