import { tmpdir } from "node:os";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { createMemoryState } from "../state/memory-state.js";
import { createMetrics, metricsRoute } from "./metrics.js";
import { createBaton, type Baton, type BatonAppOptions } from "../app/probot-app.js";
import { listen, pingRoute, type HttpListener } from "./http-server.js";
import type { ServerConfig } from "./server-config.js";
import { startWebhookProxy } from "./webhook-proxy.js";
import { webhookEndpoint } from "./webhook-endpoint.js";

export interface StartOptions extends Pick<BatonAppOptions, "model" | "now" | "queue" | "state"> {
  /** "server": webhooks and (unless BATON_CONCURRENCY=0) jobs; "worker": jobs only. */
  role: "server" | "worker";
  env: Record<string, string | undefined>;
  /** Octokit class for Probot (tests turn its throttling off). */
  Octokit?: ConstructorParameters<typeof Probot>[0] extends infer O ? (O extends { Octokit?: infer C } ? C : never) : never;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

export interface RunningBaton {
  baton: Baton;
  probot: Probot;
  /** The webhook server, for role "server". */
  http?: HttpListener;
  /** The metrics server, when METRICS_PORT is set. */
  metricsHttp?: HttpListener;
  /**
   * SIGTERM: stop taking webhooks, let this process's jobs finish (the
   * in-process queue runs everything it accepted; a BullMQ worker its
   * running jobs, leaving the rest to other workers), then close.
   */
  stop(): Promise<void>;
}

export async function startBaton(config: ServerConfig, opts: StartOptions): Promise<RunningBaton> {
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret || undefined,
    baseUrl: config.baseUrl,
    // Probot shares its write throttle per installation through Redis when given one.
    redisConfig: config.redisUrl,
    logLevel: opts.logLevel ?? ((opts.env.LOG_LEVEL as "info" | undefined) || "info"),
    logFormat: opts.env.LOG_FORMAT === "pretty" || (!opts.env.LOG_FORMAT && config.development) ? "pretty" : "json",
    ...(opts.Octokit ? { Octokit: opts.Octokit } : opts.env.BATON_GITHUB_THROTTLE === "off" ? { Octokit: unthrottled() } : {}),
  });
  await probot.ready();
  const log = probot.log;
  // One process: its open check runs are written to a file, so the next start finds those a crash left open.
  const state = opts.state ?? (config.redisUrl ? undefined : createMemoryState({ recordsFile: join(stateDir(opts.env, config.appId), "open-check-runs.json") }));
  const metrics = createMetrics({ processMetrics: config.metricsPort !== undefined });
  const baton = await createBaton(probot, { model: opts.model, now: opts.now, queue: opts.queue, state, env: opts.env, concurrency: config.concurrency, metrics });
  const metricsServer = config.metricsPort === undefined ? undefined : await listen([metricsRoute(metrics)], config.metricsHost, config.metricsPort, log);
  if (metricsServer) log.info({ host: config.metricsHost, port: metricsServer.port }, `metrics on http://${config.metricsHost}:${metricsServer.port}/metrics`);

  if (opts.role === "worker") log.info({ concurrency: config.concurrency }, "baton worker ready: taking jobs from Redis");
  let http: HttpListener | undefined;
  let proxy: { close(): void } | undefined;
  if (opts.role === "server") {
    const endpoint = webhookEndpoint({ path: config.webhookPath, secret: config.webhookSecret, maxBodyBytes: config.maxBodyBytes, accept: (d) => baton.accept(d), log });
    http = await listen([pingRoute, endpoint], config.host, config.port, log);
    log.info({ host: config.host, port: http.port, path: config.webhookPath }, `Baton is listening for webhooks on http://${config.host}:${http.port}${config.webhookPath}`);
    if (config.webhookProxyUrl) proxy = await startWebhookProxy(config.webhookProxyUrl, `http://127.0.0.1:${http.port}${config.webhookPath}`, log);
  }

  let stopping: Promise<void> | undefined;
  return {
    baton,
    probot,
    http,
    metricsHttp: metricsServer,
    stop() {
      stopping ??= (async () => {
        proxy?.close();
        log.info({}, "stopping: no new webhooks; finishing this process's jobs");
        const closing = http?.close();
        await baton.queue.drain();
        await baton.close();
        await closing;
        await metricsServer?.close();
        log.info({}, "stopped");
      })();
      return stopping;
    },
  };
}

/** BATON_STATE_DIR, else a folder per app under the system's temporary folder. */
export function stateDir(env: Record<string, string | undefined>, appId: number): string {
  return env.BATON_STATE_DIR?.trim() || join(tmpdir(), `baton-state-${appId}`);
}

/**
 * BATON_GITHUB_THROTTLE=off: no write pacing (a GitHub Enterprise Server
 * without secondary rate limits, or tests against a local fake). A function,
 * not an object: Probot passes its own throttle options to every client it
 * builds, which would replace an object default.
 */
function unthrottled() {
  return ProbotOctokit.defaults((options: Record<string, Record<string, unknown> | undefined>) => ({ ...options, throttle: { ...options.throttle, enabled: false } }));
}
