import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { describe, it } from "vitest";

/**
 * The Redis the queue tests run against: BATON_TEST_REDIS_URL (`.ci/run`
 * installs redis-server and starts one on a loopback port). Without it the
 * suites are skipped, saying so in their name; under CI=true a missing
 * Redis fails the run instead, so CI never passes without these tests.
 */
export const TEST_REDIS_URL = process.env.BATON_TEST_REDIS_URL?.trim() || undefined;

const REASON = "BATON_TEST_REDIS_URL is not set: start a Redis (redis-server --port 6390) and set BATON_TEST_REDIS_URL=redis://127.0.0.1:6390, or run .ci/run";

/** `describe` for suites that need the real Redis. */
export function describeWithRedis(name: string, body: (url: string) => void): void {
  if (TEST_REDIS_URL) {
    describe(name, () => body(TEST_REDIS_URL));
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs a real Redis under CI", () => {
        throw new Error(REASON);
      });
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${REASON}`);
  describe.skip(`${name} (skipped: ${REASON})`, () => body(""));
}

/** A key prefix no other test (or run) uses, so tests share one Redis without seeing each other's keys. */
export function uniquePrefix(label: string): string {
  return `baton-test-${label}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under the prefix (after a test). */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
