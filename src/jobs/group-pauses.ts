import type { SharedState } from "../state/shared-state.js";
import { retryAfterMs } from "./retry-policy.js";

/**
 * Rate-limit pauses per fairness group (per installation). GitHub's limits
 * apply to an installation's token: when GitHub says "wait" to one job, the
 * installation's other jobs would only hit the same wall, while other
 * installations are unaffected. So the wait is recorded for the group, and
 * the queues start none of its jobs until it has passed.
 */
export interface GroupPauses {
  /** Epoch ms until which the group is paused (0 or past: not paused). */
  until(group: string): Promise<number>;
  /** Pauses the group until `untilMs`; an earlier time never shortens a pause already set. */
  pause(group: string, untilMs: number): Promise<void>;
}

export function createMemoryGroupPauses(now: () => number = Date.now): GroupPauses {
  const pauses = new Map<string, number>();
  return {
    async until(group) {
      const at = pauses.get(group) ?? 0;
      if (at && at <= now()) pauses.delete(group);
      return at;
    },
    async pause(group, untilMs) {
      if (untilMs > (pauses.get(group) ?? 0)) pauses.set(group, untilMs);
    },
  };
}

/** Pauses kept in SharedState: with Redis, every process honours the wait GitHub gave any of them. */
export function createSharedGroupPauses(state: SharedState, now: () => number = Date.now): GroupPauses {
  return {
    async until(group) {
      const [at = 0] = await state.read([`pause:${group}`]);
      return at;
    },
    async pause(group, untilMs) {
      await state.raise(`pause:${group}`, untilMs, Math.max(1000, untilMs - now() + 1000));
    },
  };
}

/**
 * How long GitHub asked this installation to wait, when `error` is GitHub's
 * rate limit (primary or secondary) on an Octokit request; undefined for
 * anything else (a model provider's 429 is not the installation's limit).
 */
export function gitHubRateLimitWaitMs(error: unknown, now: () => number = Date.now): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { status?: unknown; request?: unknown; response?: unknown; message?: unknown };
  // Octokit's RequestError carries the request it made; the Anthropic SDK's errors do not.
  if (typeof e.request !== "object" || e.request === null || typeof e.response !== "object") return undefined;
  if (e.status !== 403 && e.status !== 429) return undefined;
  const wait = retryAfterMs(error, now);
  if (wait !== undefined) return wait;
  // A secondary limit without retry-after: GitHub says to wait at least a minute.
  return /secondary rate limit/i.test(String(e.message ?? "")) ? 60_000 : undefined;
}
