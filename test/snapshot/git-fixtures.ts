import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { commitAll, initTestRepository } from "../support/git-repository.js";

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete e[name];
  return e;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: env(), encoding: "utf8" }).trim();
}

export interface TempRepo {
  dir: string;
  write(path: string, content: string | Buffer): void;
  commit(message: string): string;
  remove(): void;
}

/** A throwaway repository under the OS temp folder, with its own identity and no signing. */
export function createTempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), "baton-snapshot-"));
  const run = (...args: string[]) => git(dir, ...args);
  initTestRepository(dir, run);
  return {
    dir,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    commit: (message) => commitAll(dir, run, message),
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
