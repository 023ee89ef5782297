import type { Redis } from "ioredis";
import type { SharedState } from "./shared-state.js";

const INCREMENT = `local v = redis.call("incrby", KEYS[1], ARGV[1])
if redis.call("pttl", KEYS[1]) < 0 then redis.call("pexpire", KEYS[1], ARGV[2]) end
return v`;
const RAISE = `local cur = tonumber(redis.call("get", KEYS[1]) or "0")
if tonumber(ARGV[1]) > cur then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) end
return 0`;

/** SharedState in Redis: every webhook and worker process sees the same counters and records. */
export function createRedisState(redis: Redis, prefix: string, options: { ownsConnection?: boolean } = {}): SharedState {
  const k = (key: string) => `${prefix}:state:${key}`;
  return {
    async increment(key, by, ttlMs) {
      return Number(await redis.eval(INCREMENT, 1, k(key), by, Math.max(1, Math.ceil(ttlMs))));
    },
    async read(keys) {
      if (keys.length === 0) return [];
      return (await redis.mget(...keys.map(k))).map((v) => Number(v ?? 0));
    },
    async raise(key, value, ttlMs) {
      await redis.eval(RAISE, 1, k(key), value, Math.max(1, Math.ceil(ttlMs)));
    },
    async put(set, field, value) {
      await redis.hset(k(set), field, value);
    },
    async remove(set, field) {
      await redis.hdel(k(set), field);
    },
    async list(set) {
      return new Map(Object.entries(await redis.hgetall(k(set))));
    },
    async close() {
      if (options.ownsConnection) await redis.quit().catch(() => undefined);
    },
  };
}
