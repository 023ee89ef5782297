import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * Stryker stops a mutant's run at its first failing test (bail), so the order
 * of the files is most of a killed mutant's cost. Vitest runs the longest
 * files first; for mutants that is backwards: the file that failed last time
 * (it killed the previous mutant, likely the next one of the same code too),
 * then the quickest (unit tests before the Probot end-to-end files).
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const results = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`);
    return [...files].sort((a, b) => {
      const ra = results(a);
      const rb = results(b);
      if (!ra || !rb) return ra ? 1 : rb ? -1 : 0;
      if (ra.failed !== rb.failed) return ra.failed ? -1 : 1;
      return ra.duration - rb.duration;
    });
  }
}

// The suite as Stryker runs it for each mutant (npm run mutation): the tests
// of the modules being mutated (stryker.config.mjs sets MUTATION_TESTS), never
// the loopback run or the benchmark's self-check, which are slow and cover the
// same code as test/app and test/snapshot.
const chosen = process.env.MUTATION_TESTS ? (JSON.parse(process.env.MUTATION_TESTS) as string[]) : ["test/**"];

// Not mergeConfig: it would add these lists to the base's instead of replacing them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One list of tests, not the two tiers of vitest.config.ts.
    projects: undefined,
    // Properties run all their cases, as before the tiers.
    provide: { fullPropertyRuns: true },
    include: chosen.map((glob) => (glob.endsWith(".ts") ? glob : `${glob.replace(/\/?\*\*$/, "")}/**/*.test.ts`)),
    exclude: ["test/loopback/**", "test/bench/**", "**/node_modules/**"],
    // Stryker switches mutants at run time (mutant schemata), so modules can stay loaded between
    // mutants: one import of Probot per test worker instead of one per mutant. The price: a mutant
    // in a module-level constant (a regex) is never switched on and survives falsely.
    // MUTATION_ISOLATE=1 (the scheduled workflow) loads fresh modules for every mutant instead.
    isolate: process.env.MUTATION_ISOLATE === "1",
    sequence: { ...base.test?.sequence, sequencer: QuickestFirst },
  },
});
