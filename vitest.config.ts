import { defineConfig, type Plugin } from "vitest/config";

/**
 * Vitest resolves packages with the `development` export condition, and the
 * micromark family (remark's parser) then loads its debug builds: every
 * token checked by assertions, twice the time of the build Node runs in
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

export default defineConfig({
  plugins: [productionPackageBuilds()],
  test: {
    include: ["test/**/*.test.ts"],
    // nock must patch http/fetch before any Octokit or Anthropic client exists:
    // the Anthropic SDK captures `fetch` when it is constructed.
    setupFiles: ["test/setup.ts"],
    testTimeout: 20000,
    pool: "forks",
  },
});
