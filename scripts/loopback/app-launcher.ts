import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * How the loopback run starts the app: as a real process (`npm start`'s
 * command line, in its own process group) here, or in the test process
 * (in-process-app.ts); and the environment it gets.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface RunningApp {
  /** The port it listens on (it is started with PORT=0 and picks a free one). */
  port: number;
  /**
   * Resolves when its job queue has nothing queued, running or waiting to
   * retry. Only an app in this process can tell; for a child process the
   * driver falls back to waiting until the fakes have been quiet a while.
   */
  idle?: () => Promise<void>;
  /** What the app printed (stdout and stderr), for the report when something fails. */
  output(): string;
  /** Set when the app exited on its own. */
  exitedWith(): string | undefined;
  /** A clean stop (SIGTERM to the process group, SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** A crash: SIGKILL to the process group, jobs in flight are lost. */
  kill(): Promise<void>;
}

export interface AppLauncher {
  describe: string;
  start(env: Record<string, string>): Promise<RunningApp>;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Kills every process group still running when the driver exits, however it exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

/**
 * The app as a real process, the way `npm start` runs it: package.json's
 * `start` command line (`node dist/app/server.js`: `npm run build` first),
 * with `node` this Node and any other command resolved from node_modules/.bin, in its own process group so that stopping it stops
 * tsx's child node process too. `viaNpm` runs `npm start` itself (with npm's
 * update check off, so nothing leaves the machine).
 */
export function childProcessLauncher(opts: { cwd?: string; viaNpm?: boolean } = {}): AppLauncher {
  const cwd = opts.cwd ?? ROOT;
  const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const start = pkg.scripts?.start;
  if (!start) throw new Error("package.json has no start script");
  const [bin, ...args] = start.trim().split(/\s+/);
  const command = opts.viaNpm ? "npm" : bin === "node" ? process.execPath : join(cwd, "node_modules", ".bin", bin!);
  const argv = opts.viaNpm ? ["start", "--silent"] : args;
  return {
    describe: opts.viaNpm ? "npm start" : `${start} (package.json "start", run directly)`,
    async start(env) {
      installExitHook();
      const child: ChildProcess = spawn(command, argv, {
        cwd,
        env: { ...env, ...(opts.viaNpm ? { npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } : {}) },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const pgid = child.pid;
      if (pgid === undefined) throw new Error(`could not start ${command}`);
      liveGroups.add(pgid);
      let out = "";
      const keep = (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.length > 400_000) out = out.slice(-200_000);
      };
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      let exited: string | undefined;
      const exit = new Promise<void>((resolveExit) =>
        child.once("exit", (code, signal) => {
          exited = signal ? `signal ${signal}` : `code ${code}`;
          resolveExit();
        }),
      );
      const port = await listeningPort(() => out, () => exited);
      const killGroup = async () => {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // already gone
        }
        await Promise.race([exit, new Promise((r) => setTimeout(r, 3000).unref())]);
        liveGroups.delete(pgid);
      };
      return {
        port,
        output: () => out,
        exitedWith: () => exited,
        kill: killGroup,
        async stop() {
          if (exited === undefined) {
            try {
              process.kill(-pgid, "SIGTERM");
            } catch {
              // already gone
            }
            const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5000).unref());
            if ((await Promise.race([exit, timer])) === "timeout") {
              try {
                process.kill(-pgid, "SIGKILL");
              } catch {
                // already gone
              }
              await Promise.race([exit, new Promise((r) => setTimeout(r, 2000).unref())]);
            }
          }
          // tsx's own child may outlive its parent for a moment: make sure the group is gone.
          try {
            process.kill(-pgid, "SIGKILL");
          } catch {
            // already gone
          }
          liveGroups.delete(pgid);
        },
      };
    },
  };
}

/**
 * The port Probot's server picked for PORT=0, from its "Listening on
 * http://host:port" line (info level: the driver starts the app with
 * LOG_LEVEL=info or lower). Bounded: 60 s, or until the process exits.
 */
async function listeningPort(output: () => string, exited: () => string | undefined): Promise<number> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const found = /Listening on http:\/\/\S*?:(\d+)/.exec(output());
    if (found) return Number(found[1]);
    if (exited()) throw new Error(`the app exited (${exited()}) before it listened:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the app printed no "Listening on" line within 60 s (is LOG_LEVEL above info?):\n${output().slice(-2000)}`);
}

/** The app's environment: the variables given, on top of a copy of ours without anything that would send it elsewhere. */
export function childEnv(vars: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(k)) delete env[k];
    if (/^(REDIS_URL|WEBHOOK_PROXY_URL|PRIVATE_KEY_PATH|GITHUB_TOKEN|ANTHROPIC_AUTH_TOKEN|SENTRY_DSN|NODE_OPTIONS|VITEST.*|NODE_ENV)$/.test(k)) delete env[k];
  }
  env.NO_PROXY = "127.0.0.1,localhost";
  return { ...env, ...vars };
}
