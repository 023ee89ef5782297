import { run } from "probot";
import { exitOnStartupError, loadDotEnv, stopOnSignals } from "../server/process-entry.js";
import { readStartupMode } from "../server/server-config.js";
import { startBaton } from "../server/start-baton.js";
import batonApp from "./probot-app.js";

// `npm start` (compiled) or `npm run dev` (--development, through tsx): the
// webhook server and, without REDIS_URL or with BATON_CONCURRENCY > 0, the
// jobs. In development without APP_ID/PRIVATE_KEY it serves Probot's setup
// page, which registers the app from app.yml.
if (process.argv.includes("--development")) process.env.NODE_ENV ??= "development";
loadDotEnv();
try {
  const mode = readStartupMode(process.env, "server");
  if (mode.mode === "setup") {
    console.info(`baton: ${mode.reason}: starting Probot's setup page to register the GitHub App`);
    // The setup page receives no webhooks: Probot need not relay the smee.io channel (its manifest still registers it).
    await run(batonApp, { env: { ...process.env, WEBHOOK_PROXY_URL: undefined } });
  } else {
    stopOnSignals(await startBaton(mode.config, { role: "server", env: process.env }));
  }
} catch (err) {
  exitOnStartupError(err);
}
