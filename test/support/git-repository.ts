import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What every throwaway test repository needs, with as few git processes as
 * possible (the suite starts about a thousand): the identity, no signing and
 * no line-ending conversion are written into `.git/config` directly rather
 * than by four `git config` runs, and a commit's SHA is read from `.git`
 * rather than by `git rev-parse HEAD`.
 */

const LOCAL_CONFIG = ["[user]", "\tname = Baton Test", "\temail = baton@example.com", "[commit]", "\tgpgsign = false", "[core]", "\tautocrlf = false", ""].join("\n");

/** `git init` on branch main, with the local settings above. `git` runs git in `dir`. */
export function initTestRepository(dir: string, git: (...args: string[]) => string): void {
  git("init", "-q", "-b", "main");
  appendFileSync(join(dir, ".git", "config"), LOCAL_CONFIG);
}

/** `git add -A` and a commit (hooks skipped); returns the new HEAD's SHA. */
export function commitAll(dir: string, git: (...args: string[]) => string, message: string): string {
  git("add", "-A");
  git("commit", "-q", "--no-verify", "-m", message);
  return headSha(dir) ?? git("rev-parse", "HEAD");
}

/** HEAD's commit as git stores it: a detached SHA, or the branch's loose ref (undefined if the ref is packed). */
function headSha(dir: string): string | undefined {
  const head = readFileSync(join(dir, ".git", "HEAD"), "utf8").trim();
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
  try {
    return readFileSync(join(dir, ".git", ref), "utf8").trim();
  } catch {
    return undefined;
  }
}
