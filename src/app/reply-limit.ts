import type { SharedState } from "../state/shared-state.js";

/**
 * Replies to people without write access (`/baton help`, `/baton context`,
 * unknown commands, refusals) cost API work that anyone who can comment
 * could ask for in a loop: each repository gets a fixed number of them per
 * window, shared by every process. Past it, such commands are ignored
 * (logged) until the window ends. People with write access are not counted.
 */
export interface ReplyLimiter {
  /** True when a reply may be sent now in `repository` (owner/name), counting it. */
  take(repository: string): Promise<boolean>;
}

export interface ReplyLimit {
  replies: number;
  windowMs: number;
}

export const DEFAULT_REPLY_LIMIT: ReplyLimit = { replies: 10, windowMs: 60 * 60_000 };

export function createReplyLimiter(state: SharedState, limit: ReplyLimit = DEFAULT_REPLY_LIMIT, now: () => number = Date.now): ReplyLimiter {
  return {
    async take(repository) {
      // Fixed windows: the key names the window, so counts never need resetting.
      const window = Math.floor(now() / limit.windowMs);
      const used = await state.increment(`replies:${repository.toLowerCase()}:${window}`, 1, limit.windowMs);
      return used <= limit.replies;
    },
  };
}

/** `BATON_REPLIES_PER_HOUR` (default 10): replies to people without write access, per repository and hour. */
export function replyLimitFromEnv(env: Record<string, string | undefined>): ReplyLimit {
  const raw = env.BATON_REPLIES_PER_HOUR?.trim();
  if (!raw) return DEFAULT_REPLY_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`BATON_REPLIES_PER_HOUR must be a whole number ≥ 0, not "${raw}"`);
  return { replies: n, windowMs: 60 * 60_000 };
}
