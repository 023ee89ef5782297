import fc from "fast-check";
import { relative } from "node:path";
import { expect, inject } from "vitest";

/**
 * Every fast-check property runs from one fixed seed, so a run in CI and a run
 * on a laptop try the same inputs, and a failure is a failure every time.
 * `FC_SEED` changes the seed (to explore more inputs on purpose), `FC_PATH`
 * replays one counterexample; a failure prints both, ready to paste.
 */

/** The seed when `FC_SEED` is not set. */
export const DEFAULT_PROPERTY_SEED = 20261125;

export function propertySeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FC_SEED?.trim();
  if (!given) return DEFAULT_PROPERTY_SEED;
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(given)}`);
  return seed;
}

/**
 * How many cases a property runs: all `full` in the slow tier (`npm run
 * test:e2e`, vitest.config.ts provides `fullPropertyRuns`), a fifth of them
 * (at least 20) in the fast tier. The seed is the same, and fast-check draws
 * case after case from it, so the fast tier's cases are the first cases of
 * the full run: a failure in the fast tier is one of the full run's.
 */
export function propertyRuns(full: number): number {
  if (inject("fullPropertyRuns") !== false) return full;
  return Math.min(full, Math.max(20, Math.ceil(full / 5)));
}

/** `fc.assert` with the fixed seed; a failure says how to reproduce it. */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  const path = process.env.FC_PATH?.trim();
  const details = fc.check(property, { ...params, seed: propertySeed(), ...(path ? { path } : {}) });
  if (!details.failed) return;
  const message = fc.defaultReportMessage(details) ?? "property failed";
  const reproduce = `Reproduce with: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ""} npx vitest run ${testFile()}`;
  const error = new Error(`${message}\n${reproduce}`);
  if (details.errorInstance instanceof Error) error.cause = details.errorInstance;
  throw error;
}

function testFile(): string {
  const path = expect.getState().testPath;
  return path ? relative(process.cwd(), path) : "<test file>";
}
