import nock from "nock";
import { afterEach, beforeAll } from "vitest";

// No test may reach the network: GitHub and Anthropic are faked with nock,
// local git runs against temporary folders.
beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

for (const name of ["ANTHROPIC_API_KEY", "GITHUB_TOKEN", "APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "GHE_HOST"]) {
  delete process.env[name];
}
