import type { Probot } from "probot";
import { botIdentityOfApp, type BotIdentity } from "../writer/bot-identity.js";

/**
 * The app's own account, from `GET /app` (authenticated as the app, not an
 * installation), asked once and kept: the slug never changes while the
 * process runs. A failed lookup is not kept, so the next job asks again.
 */
export function appIdentity(app: Pick<Probot, "auth">): () => Promise<BotIdentity> {
  let known: Promise<BotIdentity> | undefined;
  return () => {
    known ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.request("GET /app");
      const slug = (data as { slug?: unknown } | null)?.slug;
      if (typeof slug !== "string" || slug === "") throw new Error("GET /app returned no slug: cannot tell Baton's own comments from others'");
      return botIdentityOfApp(slug);
    })().catch((err: unknown) => {
      known = undefined;
      throw err;
    });
    return known;
  };
}
