import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { StartupError } from "./server-config.js";
import type { RunningBaton } from "./start-baton.js";

/** Variables from ./.env (written by Probot's setup page); the process's own environment wins. */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env, path = join(process.cwd(), ".env")): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  for (const [k, v] of Object.entries(parseEnv(text))) if (env[k] === undefined) env[k] = v;
}

/** Startup errors are said in one line and exit 1; anything else is a crash with its stack. */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof StartupError) console.error(`baton: ${err.message}`);
  else console.error(err);
  process.exit(1);
}

/** SIGTERM or SIGINT: drain, then exit; a second signal exits at once. */
export function stopOnSignals(running: RunningBaton): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    running.probot.log.info({ signal }, "signal received: draining");
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        running.probot.log.error({ err: err instanceof Error ? err.message : String(err) }, "could not stop cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
