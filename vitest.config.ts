import { availableParallelism } from "node:os";
import { defineConfig, type Plugin, type TestProjectInlineConfiguration } from "vitest/config";

/**
 * Vitest resolves packages with the `development` export condition, and the
 * micromark family (remark's parser) then loads its debug builds: every
 * token checked by assertions, slower than the build Node runs in
 * production. Tests run what users run.
 */
function productionPackageBuilds(): Plugin {
  const drop = (conditions: string[] | undefined) => conditions?.filter((c) => c !== "development" && c !== "development|production");
  return {
    name: "baton:production-package-builds",
    configResolved(config) {
      const ssr = config.ssr.resolve as { conditions?: string[] } | undefined;
      if (ssr?.conditions) ssr.conditions = drop(ssr.conditions);
      const env = config.environments.ssr?.resolve;
      if (env?.conditions) env.conditions = drop(env.conditions) ?? [];
    },
  };
}

/**
 * Two tiers (docs/testing.md, ADR 0018). `npm test` runs the fast one;
 * `npm run test:e2e` the slow one; CI runs both. A test is slow-tier when it
 * starts a real program or service (Baton's own processes through tsx,
 * Redis, the Claude Code binary, the loopback run) or waits out Baton's
 * real time limits. Everything else is fast.
 */
export const E2E_TESTS = [
  // Baton's server and workers as processes, on Redis (issue 11).
  "test/scale/worker-processes.test.ts",
  // Redis: the BullMQ queue and Probot's shared write throttle.
  "test/jobs/bullmq-queue.test.ts",
  "test/scale/pacing.test.ts",
  // `npm run dev` / `npm start` as processes: the setup page, the smee relay, a refused start.
  "test/server/setup-flow.test.ts",
  "test/server/entry-points.test.ts",
  "test/snapshot/local-git-snapshot-exit.test.ts",
  // The real Claude Code binary against the fake Anthropic server.
  "test/steps/dev/claude-code/claude-session.test.ts",
  "test/local/dev-claude-code.test.ts",
  "test/action/action-dev-claude-code.test.ts",
  // The loopback run: every step over HTTP against the fake servers.
  "test/loopback/**/*.test.ts",
  // Hostile input waited out to Baton's real time limits (2 to 3 s each, a core busy all along).
  "test/security/markdown-bounds.test.ts",
  "test/security/bounded-match.test.ts",
  "test/security/untrusted-work-priority.test.ts",
  "test/security/untrusted-work-cpu-time.test.ts",
];

/**
 * Property tests that run a prefix of their cases in the fast tier and all
 * of them in the slow one (`propertyRuns` in test/support/property.ts): the
 * same seed, so the fast tier's cases are the first cases of the full run.
 */
export const FULL_PROPERTY_TESTS = [
  "test/context-store/round-trip.property.test.ts",
  "test/context-store/adr-tiers-agree.test.ts",
  "test/config/config-property.test.ts",
  "test/util/posted-text.test.ts",
  "test/security/neutralise-model-text.test.ts",
];

declare module "vitest" {
  interface ProvidedContext {
    /** Every property runs its full count of cases (the slow tier), not a prefix. */
    fullPropertyRuns: boolean;
  }
}

const fast: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: "fast",
    include: ["test/**/*.test.ts"],
    exclude: [...E2E_TESTS, "**/node_modules/**"],
    provide: { fullPropertyRuns: false },
    // One module graph per worker process, not per test file: Probot,
    // Octokit, the Anthropic SDK and the markdown worker threads load once,
    // not once per file (the import phase was a third of the run). Tests
    // share no state through modules: each builds its own fakes and app,
    // and test/setup.ts resets nock and the environment before every file.
    isolate: false,
    // Three workers even on 2 cores: while one waits on a git process or a
    // socket, the others use the cores (measured: 54 s with two, 44 s with
    // three, 43 s with four; docs/testing.md).
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
};

const e2e: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: "e2e",
    include: [...E2E_TESTS, ...FULL_PROPERTY_TESTS],
    provide: { fullPropertyRuns: true },
  },
};

export default defineConfig({
  plugins: [productionPackageBuilds()],
  test: {
    // nock must patch http/fetch before any Octokit or Anthropic client exists:
    // the Anthropic SDK captures `fetch` when it is constructed.
    setupFiles: ["test/setup.ts"],
    testTimeout: 20000,
    pool: "forks",
    // Vitest's default is one worker fewer than there are cores: one worker on
    // 2 cores. The tests spend much of their time waiting on git processes,
    // sockets and the markdown worker threads, so one more keeps both busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [fast, e2e],
  },
});
