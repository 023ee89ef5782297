import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runGit } from "../../../snapshot/git-process.js";
import { decodeBlobText } from "../../../snapshot/binary-detect.js";
import type { FileChange } from "../../../writer/intents.js";
import { checkPathOnDisk, type PathPolicy } from "../../../policy/path-policy.js";
import { reasonOnly } from "./tool-gate.js";

/**
 * The checkout a Claude Code session works in, and what Baton takes from it
 * afterwards. Before: a clean working tree at the trusted commit, on the
 * dev branch. After: every path that differs from the trusted commit is
 * checked against the path policy again (a command the session ran may have
 * written anywhere); what is allowed becomes the commit's files, the rest is
 * named as refused; then the working tree is put back to the trusted commit,
 * so nothing out of bounds stays behind.
 */

/** git, with options the repository's own config could otherwise change (hooks, fsmonitor, pagers). */
function git(root: string, args: string[]): Promise<string> {
  return runGit(root, ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", ...args]);
}

export async function assertCleanTree(root: string): Promise<void> {
  const status = await git(root, ["status", "--porcelain", "--untracked-files=normal"]);
  if (status.trim()) throw new Error(`the working tree of ${root} has uncommitted changes: commit or stash them first (the dev session works in this checkout)`);
}

/** Checks out the trusted commit on the dev branch (created or reset). */
export async function prepareCheckout(root: string, commit: string, branch: string): Promise<void> {
  await assertCleanTree(root);
  await git(root, ["checkout", "-q", "-B", branch, commit]);
}

export interface RefusedPath {
  path: string;
  reason: string;
}

export interface FinalDiff {
  /** The commit's files: allowed paths with their new content, or null for a deletion. */
  files: FileChange[];
  /** Changed paths left out of the commit, and why. */
  refused: RefusedPath[];
}

const MAX_FILE_CHARS = 400_000;

export async function collectFinalDiff(root: string, base: string, policy: PathPolicy, maxFiles: number): Promise<FinalDiff> {
  const tracked = (await git(root, ["diff", "--name-only", "-z", "--no-renames", base, "--"])).split("\0");
  const untracked = (await git(root, ["ls-files", "-z", "--others", "--exclude-standard"])).split("\0");
  const paths = [...new Set([...tracked, ...untracked].filter(Boolean))].sort();
  const files: FileChange[] = [];
  const refused: RefusedPath[] = [];
  for (const path of paths) {
    const decision = await checkPathOnDisk(root, path, policy);
    if (!decision.allowed) {
      refused.push({ path, reason: reasonOnly(decision) });
      continue;
    }
    const content = await readChange(root, path);
    if (typeof content === "object" && content !== null) refused.push({ path, reason: content.refused });
    else if (files.length >= maxFiles) refused.push({ path, reason: `over the file limit (${maxFiles} files, dev.maxFiles)` });
    else files.push({ path, content });
  }
  return { files, refused };
}

async function readChange(root: string, path: string): Promise<string | null | { refused: string }> {
  const full = join(root, path);
  const stat = await lstat(full).catch(() => null);
  if (!stat) return null;
  if (!stat.isFile()) return { refused: "not a regular file" };
  const text = decodeBlobText(await readFile(full));
  if (text === null) return { refused: "a binary file (or not UTF-8): Baton commits text only" };
  if (text.length > MAX_FILE_CHARS) return { refused: `over ${MAX_FILE_CHARS} characters` };
  return text;
}

/** Puts the working tree back to `commit`: changes undone, files the session created removed (ignored files are left alone). */
export async function restoreCheckout(root: string, commit: string): Promise<void> {
  await git(root, ["reset", "-q", "--hard", commit]);
  await git(root, ["clean", "-fdq"]);
}
