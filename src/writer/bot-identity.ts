/**
 * Who Baton is on GitHub: the account its comments and reviews are written
 * by, and the app its check runs belong to. Baton's hidden state (review
 * state, job markers, "already posted" markers) is trusted only in what this
 * account wrote: another app, another workflow or a person who copies a
 * marker cannot make Baton adopt it.
 *
 * - App mode: `<slug>[bot]`, the slug read once from `GET /app`.
 * - GitHub Action: `github-actions[bot]` with the workflow's token, or the
 *   account of the token given to the Action (input `bot_login`).
 */
export interface BotIdentity {
  /** The login comments and reviews are written by, e.g. `baton[bot]`. */
  login: string;
  /** The app that owns the check runs, e.g. `baton` (`github-actions` in a workflow). */
  appSlug: string;
}

export const ACTIONS_BOT: BotIdentity = { login: "github-actions[bot]", appSlug: "github-actions" };

/** The identity of a GitHub App from its slug. */
export function botIdentityOfApp(slug: string): BotIdentity {
  return { login: `${slug}[bot]`, appSlug: slug };
}

/** Whether `item` (a comment, a review) was written by Baton's own account. */
export function writtenBy(bot: BotIdentity, item: { user?: { login?: string | null } | null }): boolean {
  return (item.user?.login ?? "").toLowerCase() === bot.login.toLowerCase();
}

/** Whether a check run belongs to Baton's own app. */
export function ownedBy(bot: BotIdentity, run: { app?: { slug?: string | null } | null }): boolean {
  return (run.app?.slug ?? "").toLowerCase() === bot.appSlug.toLowerCase();
}
