import { hasWriteAccess } from "../app/write-access.js";
import type { BotIdentity } from "../writer/bot-identity.js";
import { headerMarkers } from "../writer/outgoing-text.js";
import type { GitHubClient } from "./github-port.js";

/**
 * A maintainer dismisses a finding by resolving the review thread Baton
 * opened for it. Threads are read through GraphQL (REST has no "resolved"
 * flag); a thread counts when its first comment is Baton's (a bot, carrying
 * the finding's hidden marker) and whoever resolved it has write access (a
 * pull request's author may resolve threads on GitHub, but may not dismiss
 * the gate on their own change).
 */

const THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        nodes {
          isResolved
          resolvedBy { login }
          comments(first: 1) { nodes { body author { login } } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface ThreadsAnswer {
  repository?: {
    pullRequest?: {
      reviewThreads?: {
        nodes?: { isResolved?: boolean; resolvedBy?: { login?: string } | null; comments?: { nodes?: { body?: string; author?: { login?: string } | null }[] } }[];
        pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
      };
    } | null;
  } | null;
}

const FINDING_MARKER = /^<!-- baton:finding ([0-9a-f]{8}) -->$/;
const MAX_PAGES = 10;

/** Finding id → login of the person who resolved its thread. */
export async function dismissedByThreads(octokit: GitHubClient, owner: string, repo: string, number: number, bot: BotIdentity): Promise<Map<string, string>> {
  // GraphQL names a GitHub App's bot without the "[bot]" that REST adds.
  const ours = (login: string | undefined) => login !== undefined && [login, `${login}[bot]`].some((l) => l.toLowerCase() === bot.login.toLowerCase());
  const resolved = new Map<string, string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = (await octokit.graphql(THREADS_QUERY, { owner, name: repo, number, cursor })) as ThreadsAnswer;
    const threads = data.repository?.pullRequest?.reviewThreads;
    for (const thread of threads?.nodes ?? []) {
      const first = thread.comments?.nodes?.[0];
      // The finding's marker in the header of Baton's own first comment: a marker quoted elsewhere does not count.
      const id = headerMarkers(first?.body).map((m) => FINDING_MARKER.exec(m)?.[1]).find((x) => x !== undefined);
      const by = thread.resolvedBy?.login;
      if (thread.isResolved && id && by && ours(first?.author?.login)) resolved.set(id, by);
    }
    if (!threads?.pageInfo?.hasNextPage || !threads.pageInfo.endCursor) break;
    cursor = threads.pageInfo.endCursor;
  }
  const allowed = new Map<string, boolean>();
  for (const login of new Set(resolved.values())) allowed.set(login, await hasWriteAccess(octokit, owner, repo, login));
  return new Map([...resolved].filter(([, login]) => allowed.get(login) === true));
}
