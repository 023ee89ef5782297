import { getPrivateKey } from "@probot/get-private-key";

/**
 * What `npm start` / `npm run worker` need from the environment, checked
 * before anything listens. Baton never accepts webhooks without
 * WEBHOOK_SECRET: Probot would check signatures against its public default
 * (`development`), so anyone could send it events that spend tokens.
 */

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

export interface ServerConfig {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** GitHub's REST base URL (GitHub Enterprise Server: https://<GHE_HOST>/api/v3). */
  baseUrl: string;
  host: string;
  port: number;
  webhookPath: string;
  /** A smee.io channel that forwards GitHub's deliveries to this server (development). */
  webhookProxyUrl?: string;
  /** Bodies larger than this are refused (413) before their signature is checked. */
  maxBodyBytes: number;
  redisUrl?: string;
  /** Jobs this process runs at once (BATON_CONCURRENCY, default 2); 0 with REDIS_URL: this process only takes webhooks. */
  concurrency: number;
  development: boolean;
  /** METRICS_PORT: Prometheus metrics served there (off when unset); METRICS_HOST, default 127.0.0.1. */
  metricsPort?: number;
  metricsHost: string;
}

export type StartupMode = { mode: "setup"; reason: string } | { mode: "run"; config: ServerConfig };

/** 5 MiB: far above any event Baton acts on; GitHub's own cap is 25 MB. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

type Env = Record<string, string | undefined>;

/**
 * Development means NODE_ENV=development, said explicitly; anything else is
 * production. Only development may start Probot's setup page (which
 * registers the app and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to
 * .env); WEBHOOK_SECRET is required in both to receive webhooks.
 */
export function readStartupMode(env: Env, role: "server" | "worker" = "server"): StartupMode {
  const development = env.NODE_ENV === "development";
  const appId = Number(env.APP_ID);
  let privateKey: string | undefined;
  try {
    privateKey = getPrivateKey({ env: env as NodeJS.ProcessEnv }) ?? undefined;
  } catch (err) {
    throw new StartupError(`The GitHub App's private key could not be read: ${(err as Error).message}`);
  }
  if (!Number.isInteger(appId) || appId <= 0 || !privateKey) {
    const missing = [!(appId > 0) && "APP_ID", !privateKey && "PRIVATE_KEY (or PRIVATE_KEY_PATH)"].filter(Boolean).join(" and ");
    if (development && role === "server") return { mode: "setup", reason: `${missing} not set` };
    throw new StartupError(
      `${missing} not set. Set them to your GitHub App's id and private key` +
        (role === "server" ? `, or register a new app with Probot's setup page: NODE_ENV=development npm run dev, then open http://localhost:${env.PORT ?? 3000}.` : "."),
    );
  }
  const webhookSecret = env.WEBHOOK_SECRET ?? "";
  // A worker receives no webhooks, so it needs no secret.
  if (!webhookSecret.trim() && role === "server") {
    throw new StartupError(
      "WEBHOOK_SECRET is not set. Baton does not start without it: webhook signatures would be checked against Probot's public default secret, so anyone could send it events. " +
        "Set WEBHOOK_SECRET to the secret in your GitHub App's settings (Probot's setup page writes it to .env).",
    );
  }
  const port = integer(env, "PORT", 3000, 0);
  const concurrency = integer(env, "BATON_CONCURRENCY", 2, 0);
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (role === "worker" && !redisUrl) throw new StartupError("npm run worker takes its jobs from Redis: set REDIS_URL (the same as the app's). Without Redis, npm start runs everything in one process.");
  if (role === "worker" && concurrency === 0) throw new StartupError("BATON_CONCURRENCY=0 leaves a worker nothing to do: set it to the number of jobs this worker runs at once.");
  if (concurrency === 0 && !redisUrl) throw new StartupError("BATON_CONCURRENCY=0 means this process only takes webhooks; that needs REDIS_URL, so that worker processes (npm run worker) can run the jobs.");
  return {
    mode: "run",
    config: {
      appId,
      privateKey,
      webhookSecret,
      baseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com",
      host: env.HOST || "localhost",
      port,
      webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
      webhookProxyUrl: env.WEBHOOK_PROXY_URL?.trim() || undefined,
      maxBodyBytes: integer(env, "WEBHOOK_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1024),
      redisUrl,
      concurrency,
      development,
      metricsPort: env.METRICS_PORT?.trim() ? integer(env, "METRICS_PORT", 0, 0) : undefined,
      metricsHost: env.METRICS_HOST?.trim() || "127.0.0.1",
    },
  };
}

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new StartupError(`${name} must be a whole number ≥ ${min}, not "${raw}".`);
  return n;
}
