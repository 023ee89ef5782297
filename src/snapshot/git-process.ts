import { execFile } from "node:child_process";
import { SnapshotError } from "./snapshot-error.js";

/**
 * Environment for git child processes. `cwd` is the contract, so variables
 * that would silently point git at another repository (set, for example,
 * when Baton runs inside a git hook) are removed.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR"]) delete env[name];
  return env;
}

// Listings and diffs of large repositories run to megabytes; the default
// execFile limit (1 MiB) would cut them off.
const MAX_OUTPUT = 1024 * 1024 * 1024;

/** Run git once and return stdout as UTF-8; a failure names the command and carries stderr. */
export function runGit(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, env: gitEnv(), maxBuffer: MAX_OUTPUT, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim();
        reject(new SnapshotError(`git ${args.join(" ")} failed in ${cwd}: ${detail}`, { cause: err }));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Refs come from users (CLI flags); one starting with "-" would be read as an option. */
export function assertRef(ref: string): void {
  if (ref.length === 0 || ref.startsWith("-") || /[\0\n]/.test(ref)) {
    throw new SnapshotError(`Not a valid git ref: ${JSON.stringify(ref)}`);
  }
}

/** The full SHA of the commit `ref` names (branch, tag, HEAD~1, abbreviated SHA…). */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  assertRef(ref);
  try {
    return (await runGit(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch (err) {
    throw new SnapshotError(`Cannot resolve ${JSON.stringify(ref)} to a commit in ${cwd}`, { cause: err });
  }
}

/** The best common ancestor of two commits (what `a...b` diffs from). */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string> {
  assertRef(a);
  assertRef(b);
  try {
    return (await runGit(cwd, ["merge-base", a, b])).trim();
  } catch (err) {
    throw new SnapshotError(`${a} and ${b} have no common ancestor in ${cwd}`, { cause: err });
  }
}

/**
 * Unified diff of `base...head` (changes on head since the merge base), the
 * way a pull request shows them. Options that user or repository config
 * could change are pinned so the text is the same on every machine:
 * no colour, no external diff or textconv drivers, rename detection,
 * 3 lines of context, a/ b/ prefixes, paths from the repository root,
 * non-ASCII paths unquoted (as the snapshot lists them).
 */
export async function diffBetween(cwd: string, base: string, head: string): Promise<string> {
  assertRef(base);
  assertRef(head);
  return runGit(cwd, [
    "-c",
    "core.quotePath=false",
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "-M",
    "--unified=3",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--no-relative",
    `${base}...${head}`,
    "--",
  ]);
}
