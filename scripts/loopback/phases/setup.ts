import { childEnv } from "../app-launcher.js";
import { APP_ID, type LoopbackRun } from "../loopback-run.js";
import { seedRepository } from "../repo-fixture.js";

/** The fakes listening, the repository seeded, the app started against them. Returns the commit sha of `main`. */
export async function setUp(run: LoopbackRun): Promise<string> {
  const { github, claude } = run;
  run.log(`Baton loopback smoke test`);
  run.log(`setup`);
  await github.start();
  await claude.start();
  const mainSha = seedRepository(github, run.fixture);
  run.check("repository seeded", true, `${run.fixture} fixture, main at ${mainSha.slice(0, 12)}`);
  run.env = childEnv({
    APP_ID: String(APP_ID),
    PRIVATE_KEY: run.privatePem,
    WEBHOOK_SECRET: run.secret,
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    ANTHROPIC_BASE_URL: claude.baseUrl,
    ANTHROPIC_API_KEY: "test",
    // The app listens on a port of its own choosing, and says which (RunningApp.port).
    PORT: "0",
    HOST: "127.0.0.1",
    // info: Probot's "Listening on" line tells a child process's port.
    LOG_LEVEL: process.env.LOOPBACK_APP_LOG_LEVEL ?? "info",
    LOG_FORMAT: "json",
  });
  run.check("fake GitHub listening", true, `GHE_HOST=${github.host} (REST ${github.apiUrl}, GraphQL http://${github.host}/api/graphql)`);
  run.check("fake Anthropic listening", true, `ANTHROPIC_BASE_URL=${claude.baseUrl}`);
  await run.startApp("first start");
  return mainSha;
}
