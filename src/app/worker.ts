import { exitOnStartupError, loadDotEnv, stopOnSignals } from "../server/process-entry.js";
import { readStartupMode } from "../server/server-config.js";
import { startBaton } from "../server/start-baton.js";

// `npm run worker`: runs jobs from the Redis queue (REDIS_URL), takes no webhooks.
// Start as many as you like, on any machine that reaches Redis and GitHub.
loadDotEnv();
try {
  const mode = readStartupMode(process.env, "worker");
  if (mode.mode === "run") stopOnSignals(await startBaton(mode.config, { role: "worker", env: process.env }));
} catch (err) {
  exitOnStartupError(err);
}
