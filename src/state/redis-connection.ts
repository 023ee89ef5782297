import { Redis } from "ioredis";

/**
 * One ioredis connection from REDIS_URL (redis://, rediss:// for TLS, with
 * user, password and database number), set up as BullMQ requires:
 * commands wait for a reconnection instead of failing after a few retries.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** `BATON_REDIS_PREFIX` (default "baton"): every key Baton writes starts with it, so several apps (or tests) can share one Redis. */
export function redisPrefix(env: Record<string, string | undefined>): string {
  const p = env.BATON_REDIS_PREFIX?.trim() || "baton";
  if (!/^[A-Za-z0-9._-]+$/.test(p)) throw new Error(`BATON_REDIS_PREFIX may hold letters, digits, '.', '_' and '-' only, not "${p}"`);
  return p;
}
