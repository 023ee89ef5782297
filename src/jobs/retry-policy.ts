import { TRANSIENT_NETWORK_CODES } from "../util/network-errors.js";

/**
 * When to retry a failed job, and how long to wait. Only transient failures
 * (rate limits, 5xx, dropped connections) are worth another attempt; a 404 or
 * an invalid model answer will fail the same way again, so retrying would
 * only delay the failure report on the check run.
 */

export interface RetryPolicy {
  /** Total attempts, the first one included. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles for each following one. */
  baseDelayMs: number;
  /** Cap on the exponential part. */
  maxDelayMs: number;
  /** Up to this fraction of the delay is added at random, so jobs that failed together do not retry together. */
  jitterRatio: number;
  /** Random source in [0, 1); inject a constant in tests. */
  random: () => number;
  /** A server's retry-after longer than this is capped (a job holds its key while it waits). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  jitterRatio: 0.2,
  random: Math.random,
  maxRetryAfterMs: 10 * 60_000,
};

export function createRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError("maxAttempts must be an integer >= 1");
  if (policy.baseDelayMs < 0 || policy.maxDelayMs < 0) throw new RangeError("delays cannot be negative");
  if (policy.jitterRatio < 0) throw new RangeError("jitterRatio cannot be negative");
  return policy;
}

/**
 * Delay before the next attempt, after attempt number `failedAttempt` (1-based) failed with `error`.
 * A server-provided wait (error.retryAfterMs, retry-after or rate-limit reset headers) wins over backoff.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, error?: unknown, now: () => number = Date.now): number {
  const serverWait = retryAfterMs(error, now);
  if (serverWait !== undefined) return Math.min(serverWait, policy.maxRetryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.round(exponential * (1 + policy.jitterRatio * policy.random()));
}

// ---------------------------------------------------------------------------
// Reading errors. Octokit's RequestError has `status` and `response.headers`
// (a plain object with lowercase names); the Anthropic SDK's APIError has
// `status` and `headers` (a fetch Headers); Node network errors carry `code`,
// sometimes on `cause` (undici's "fetch failed").

type Headers = Record<string, string | number | undefined>;

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function header(error: unknown, name: string): string | undefined {
  for (const holder of [field(error, "headers"), field(field(error, "response"), "headers")]) {
    if (holder === undefined || holder === null) continue;
    const get = field(holder, "get");
    const value = typeof get === "function" ? (get as (n: string) => unknown).call(holder, name) : (holder as Headers)[name];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = field(error, "status") ?? field(field(error, "response"), "status");
  return typeof status === "number" ? status : undefined;
}

/** Milliseconds the server asked us to wait, if it said so. */
export function retryAfterMs(error: unknown, now: () => number = Date.now): number | undefined {
  const explicit = field(error, "retryAfterMs");
  if (typeof explicit === "number" && Number.isFinite(explicit) && explicit >= 0) return explicit;

  const retryAfter = header(error, "retry-after");
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now());
  }
  if (header(error, "x-ratelimit-remaining") === "0") {
    const reset = Number(header(error, "x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now());
  }
  return undefined;
}


const TRANSIENT_NAMES = new Set(["APIConnectionError", "APIConnectionTimeoutError", "FetchError"]);

function isNetworkError(error: unknown, depth = 0): boolean {
  if (depth > 3 || typeof error !== "object" || error === null) return false;
  const code = field(error, "code");
  if (typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const name = field(error, "name");
  if (typeof name === "string" && TRANSIENT_NAMES.has(name)) return true;
  const message = field(error, "message");
  if (typeof message === "string" && /^fetch failed$|socket hang up/i.test(message)) return true;
  return isNetworkError(field(error, "cause"), depth + 1);
}

/**
 * Transient: worth retrying. An explicit `error.transient` (set by our own
 * clients, e.g. the model client) always wins. Otherwise: HTTP 5xx, 408, 429;
 * 403 when it is a GitHub rate limit (secondary-limit message, retry-after,
 * or x-ratelimit-remaining: 0); network failures. Everything else is permanent.
 */
export function defaultIsTransient(error: unknown): boolean {
  const flag = field(error, "transient");
  if (flag === true || flag === false) return flag;

  const status = statusOf(error);
  if (status !== undefined) {
    if (status >= 500 || status === 429 || status === 408) return true;
    if (status === 403) {
      const message = String(field(error, "message") ?? "");
      return (
        /secondary rate limit|abuse detection|rate limit exceeded/i.test(message) ||
        header(error, "retry-after") !== undefined ||
        header(error, "x-ratelimit-remaining") === "0"
      );
    }
    return false;
  }
  return isNetworkError(error);
}
