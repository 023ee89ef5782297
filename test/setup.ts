import fc from "fast-check";
import nock from "nock";
import { afterEach, beforeAll } from "vitest";
import { propertySeed } from "./support/property.js";

// No test may reach the network: GitHub and Anthropic are faked with nock,
// local git runs against temporary folders.
beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

// Properties not run through assertProperty still get the fixed seed.
fc.configureGlobal({ seed: propertySeed() });

/**
 * The shell's environment must not change a test's outcome: every variable
 * Baton, Probot, the Action or the loopback run reads is cleared, so a
 * developer with ANTHROPIC_BASE_URL, REDIS_URL or BATON_CACHE_DIR exported
 * (or a GitHub Actions runner, with GITHUB_* and INPUT_*) runs what CI runs.
 * Kept: BATON_ADR_CORPUS (where the corpus is), BATON_TEST_TRACE (a request
 * trace on stderr, changes nothing), BATON_TEST_REDIS_URL (the Redis the
 * queue tests may use, test/support/redis.ts), FC_SEED and FC_PATH
 * (property replay).
 */
const KEEP = new Set(["BATON_ADR_CORPUS", "BATON_TEST_TRACE", "BATON_TEST_REDIS_URL"]);
const CLEARED = /^(ANTHROPIC_|BATON_|GITHUB_|INPUT_|LOOPBACK_|GHE_|REDIS_|WEBHOOK_|PRIVATE_KEY|SENTRY_|LOG_)/;
const CLEARED_NAMES = ["APP_ID", "CLIENT_ID", "CLIENT_SECRET", "HOST", "PORT", "PROJECT_DOMAIN", "NO_SMEE_SETUP", "GH_ORG", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "RUNNER_TEMP"];
for (const name of Object.keys(process.env)) {
  if (KEEP.has(name)) continue;
  if (CLEARED.test(name) || CLEARED_NAMES.includes(name)) delete process.env[name];
}
