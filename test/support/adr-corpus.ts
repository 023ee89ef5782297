import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/**
 * Where the shared ADR corpus is (real ADRs from public repositories with what
 * a careful reader finds in each): `BATON_ADR_CORPUS` when set, otherwise
 * `shared/adr-corpus` beside the repository. Found from this file's place,
 * never from the working directory, so `vitest --root` from anywhere runs it.
 *
 * Under CI (`CI=true`) a missing corpus fails the run: its 192 cases are the
 * reader's acceptance test and must not vanish silently. Elsewhere the corpus
 * tests are skipped with a reason that says how to point at it. A CI that has
 * no corpus on purpose (a GitHub-hosted runner) says so: BATON_ADR_CORPUS=none.
 */

/** The repository this test suite belongs to, wherever the tests are run from. */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CorpusLocation {
  dir: string;
  available: boolean;
  /** Why it is missing and how to point at it; "" when available. */
  reason: string;
  /** BATON_ADR_CORPUS=none: missing on purpose, skipped even under CI. */
  optedOut: boolean;
}

export function locateAdrCorpus(env: NodeJS.ProcessEnv = process.env): CorpusLocation {
  const given = env.BATON_ADR_CORPUS?.trim();
  if (given === "none") return { dir: "", available: false, optedOut: true, reason: "BATON_ADR_CORPUS=none: this run has no ADR corpus on purpose" };
  const dir = given ? resolve(REPOSITORY_ROOT, given) : resolve(REPOSITORY_ROOT, "../shared/adr-corpus");
  const available = existsSync(join(dir, "expected.jsonl"));
  const where = given ? `BATON_ADR_CORPUS (${dir})` : `${dir} (shared/adr-corpus beside the repository)`;
  const reason = available ? "" : `the ADR corpus is not at ${where}: no expected.jsonl there. Set BATON_ADR_CORPUS to the adr-corpus folder, or place shared/adr-corpus beside the repository`;
  return { dir, available, optedOut: false, reason };
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

const location = locateAdrCorpus();

/** The corpus folder. Throws under CI when it is missing, failing the test file with the reason. */
export function adrCorpus(): CorpusLocation {
  if (!location.available && !location.optedOut && isCi()) throw new Error(`CI=true and ${location.reason}.`);
  return location;
}

/** `describe`, or, without the corpus (outside CI), one skipped test whose name says why and how to fix it. */
export function describeWithCorpus(name: string, body: (dir: string) => void): void {
  const { dir, available, reason } = adrCorpus();
  if (available) {
    describe(name, () => body(dir));
    return;
  }
  console.warn(`[skipped] ${name}: ${reason}.`);
  describe(name, () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
