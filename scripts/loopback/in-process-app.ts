import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { createBatonApp } from "../../src/app/probot-app.js";
import type { JobQueue } from "../../src/jobs/job.js";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import type { AppLauncher, RunningApp } from "./app-launcher.js";

/**
 * The app loaded in this process instead of as a child process, for the
 * vitest run (the real process takes longer than a test should): Probot's
 * `createNodeMiddleware` behind a node:http server on 127.0.0.1, configured
 * from the same environment variables `npm start` reads (APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, ANTHROPIC_BASE_URL…), so webhooks
 * still arrive signed over HTTP and every API call still crosses loopback.
 *
 * Two differences from the real process, both said in docs/loopback.md:
 * Octokit's write throttling (one write per second) is off, and a "restart"
 * is a new Probot instance and queue in the same process (module-level
 * caches survive it; what the app remembers about deliveries and jobs does not).
 */
export function inProcessLauncher(): AppLauncher {
  return {
    describe: "the app in this process (createNodeMiddleware on 127.0.0.1, write throttling off)",
    async start(env): Promise<RunningApp> {
      const lines: string[] = [];
      const probot = new Probot({
        appId: Number(env.APP_ID),
        privateKey: env.PRIVATE_KEY,
        secret: env.WEBHOOK_SECRET,
        baseUrl: `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3`,
        log: memoryLogger(lines, env.LOG_LEVEL ?? "warn") as never,
        // A function, not an object: Probot passes its own `throttle` options to every
        // client it builds, which would replace an object default.
        Octokit: ProbotOctokit.defaults((options: Record<string, Record<string, unknown> | undefined>) => ({
          ...options,
          throttle: { ...options.throttle, enabled: false },
        })),
      });
      const model = createAnthropicModelClient({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL });
      let queue: JobQueue | undefined;
      const app = createBatonApp({ model, onReady: (handle) => (queue = handle.queue) });
      const middleware = await createNodeMiddleware(app, { probot, webhooksPath: env.WEBHOOK_PATH ?? "/api/github/webhooks" });
      const server: Server = createServer((req, res) => {
        if (req.method === "GET" && req.url === "/ping") {
          res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
          return;
        }
        void Promise.resolve(
          middleware(req, res, () => {
            res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: `Unknown route: ${req.method} ${req.url}` }));
          }),
        ).catch((err: unknown) => {
          lines.push(JSON.stringify({ level: 50, msg: `middleware threw: ${err instanceof Error ? err.message : String(err)}` }));
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port: Number(env.PORT), host: env.HOST ?? "127.0.0.1" }, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      let stopped: string | undefined;
      const stop = async () => {
        if (stopped) return;
        stopped = "stopped";
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      };
      return {
        port,
        idle: async () => {
          await queue?.onIdle();
        },
        output: () => lines.join("\n"),
        exitedWith: () => undefined,
        // In one process a crash cannot be simulated: jobs in flight finish in the background.
        kill: stop,
        stop,
      };
    },
  };
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A pino-shaped logger that keeps lines at or above `level` as pino's JSON, so the driver reads them as it reads the process's output. */
function memoryLogger(lines: string[], level: string, bindings: Record<string, unknown> = {}): Record<string, unknown> {
  const min = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.warn;
  const logger: Record<string, unknown> = { level, child: (more: Record<string, unknown>) => memoryLogger(lines, level, { ...bindings, ...more }) };
  for (const [name, n] of Object.entries(LEVELS)) {
    logger[name] = (first: unknown, ...rest: unknown[]) => {
      if (n < min) return;
      const fields = first && typeof first === "object" && !(first instanceof Error) ? (first as Record<string, unknown>) : {};
      const err = first instanceof Error ? first : fields.err instanceof Error ? fields.err : undefined;
      const msg = [typeof first === "string" ? first : "", ...rest.map(String)].filter(Boolean).join(" ");
      lines.push(JSON.stringify({ level: n, ...bindings, ...fields, ...(err ? { err: { message: err.message } } : {}), msg }));
    };
  }
  return logger;
}
