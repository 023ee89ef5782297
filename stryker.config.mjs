// Mutation testing (npm run mutation; docs/testing.md): Stryker changes the
// code where a silent regression costs most, one small change at a time, and
// checks that some test fails. Scoped by MUTATION_SCOPE; slow, so it runs on
// demand and in a scheduled workflow, never in `npm test`.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

/** The modules and the files each is made of. */
export const MODULES = {
  "event routing and permissions": ["src/app/**/*.ts", "!src/app/server.ts"],
  "capability checks and the path policy": ["src/writer/check-capabilities.ts", "src/policy/**/*.ts"],
  "writer idempotency": ["src/writer/github-writer.ts", "src/writer/github-commit.ts", "src/writer/github-check-runs.ts"],
  "review state and de-duplication": ["src/steps/review/review-state.ts", "src/steps/review/review-step.ts"],
  "ADR supersession and numbering": ["src/context-store/adr/supersede-adr.ts", "src/context-store/adr/adr-numbering.ts"],
  "budget and manifest records": ["src/graph/allocate-budget.ts", "src/graph/manifest.ts", "src/graph/render-manifest.ts"],
  "the neutraliser and escaping": ["src/writer/neutralise-model-text.ts", "src/util/untrusted-text.ts", "src/util/posted-text.ts", "src/util/redact-secrets.ts"],
};

/**
 * The tests that speak for each module: its unit tests and the end-to-end
 * tests of what it guards. Each mutant runs only those of them that reach it.
 */
export const MODULE_TESTS = {
  "event routing and permissions": ["test/app/**", "test/app-unit/**", "test/action/**", "test/security/edges.test.ts", "test/server/instant-acks.test.ts", "test/security/dev-push-to-fork.test.ts", "test/scale/costs.test.ts"],
  "capability checks and the path policy": ["test/graph/capabilities.test.ts", "test/security/path-policy.test.ts", "test/security/bounded-match.test.ts", "test/security/untrusted-work-priority.test.ts", "test/security/config-globs.test.ts", "test/security/dev-protected-paths.test.ts", "test/security/github-writer-paths.test.ts", "test/steps/dev/claude-code/tool-gate.test.ts"],
  "writer idempotency": ["test/writer/**", "test/security/github-writer-paths.test.ts"],
  "review state and de-duplication": ["test/steps/review/**"],
  "ADR supersession and numbering": ["test/context-store/adr-numbering.test.ts", "test/context-store/adr-supersession.test.ts", "test/context-store/adr-writer.test.ts", "test/context-store/renumber-adrs.test.ts", "test/context-store/adr-index.test.ts"],
  "budget and manifest records": ["test/graph/**", "test/review-diff/**", "test/app/review-inputs.test.ts", "test/writer/github-check-runs.test.ts"],
  "the neutraliser and escaping": ["test/util/posted-text.test.ts", "test/util/untrusted-text.test.ts", "test/util/redact-secrets.test.ts", "test/security/neutralise-model-text.test.ts", "test/steps/review/render-review.test.ts"],
};

const scope = process.env.MUTATION_SCOPE;
const chosen = scope ? Object.entries(MODULES).filter(([name]) => name.includes(scope)) : Object.entries(MODULES);
if (chosen.length === 0) throw new Error(`MUTATION_SCOPE=${scope} names no module; modules: ${Object.keys(MODULES).join("; ")}`);

// One report (and one incremental record) per scope, so modules run one after another keep their results.
const slug = scope ? scope.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") : "";
const reportName = process.env.MUTATION_REPORT ?? (slug ? `mutation-${slug}` : "mutation");

// vitest.mutation.config.ts reads the chosen modules' tests from here.
process.env.MUTATION_TESTS = JSON.stringify([...new Set(chosen.flatMap(([name]) => MODULE_TESTS[name] ?? []))]);

// The sandbox is a copy of the repository in .stryker-tmp: point the corpus tests at the real corpus.
const corpus = resolve(root, "../shared/adr-corpus");
if (!process.env.BATON_ADR_CORPUS && existsSync(corpus)) process.env.BATON_ADR_CORPUS = corpus;

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner", "./scripts/mutation/survivor-log-reporter.mjs"],
  // The tests of each mutant come from per-test coverage, and MODULE_TESTS already names the files:
  // finding "related" test files again on every mutant run only costs time.
  vitest: { configFile: "vitest.mutation.config.ts", related: process.env.MUTATION_RELATED === "1" },
  mutate: chosen.flatMap(([, files]) => files),
  coverageAnalysis: "perTest",
  // Mutants in module-level constants would need every test for each: left out (docs/testing.md).
  ignoreStatic: true,
  // The machine is shared: one test process at a time (MUTATION_CONCURRENCY to change).
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // Added to a mutant's expected test time before it counts as a time-out (an endless loop): long
  // enough for a loaded machine, short enough that each endless-loop mutant does not cost half a minute.
  timeoutMS: 10_000,
  // survivor-log: each survivor in reports/mutation/<report>.survivors.ndjson as soon as it is found.
  reporters: ["clear-text", "progress", "json", "html", "survivor-log"],
  jsonReporter: { fileName: `reports/mutation/${reportName}.json` },
  htmlReporter: { fileName: `reports/mutation/${reportName}.html` },
  // `npm run mutation -- --incremental` re-tests only the mutants whose code or tests changed since the last run of this scope.
  incrementalFile: `reports/mutation/incremental/${reportName}.json`,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
