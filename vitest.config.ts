import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // nock must patch http/fetch before any Octokit or Anthropic client exists:
    // the Anthropic SDK captures `fetch` when it is constructed.
    setupFiles: ["test/setup.ts"],
    testTimeout: 20000,
    pool: "forks",
  },
});
