import type { Probot } from "probot";
import { describeGitHubError, GitHubWriteError } from "../writer/github-request.js";
import type { ForkAccess } from "../writer/fork-push.js";
import type { OctokitLike } from "../writer/github-request.js";

/**
 * The app's client for a fork (`dev.fork`): the installation on that
 * repository (`GET /repos/{owner}/{repo}/installation`, as the app), with
 * its own token. The fork's token is used for the fork only; the pull
 * request is opened with the upstream installation's token.
 */
export function appForkAccess(app: Pick<Probot, "auth">): ForkAccess {
  return {
    async clientFor(owner, repo) {
      const appOctokit = await app.auth();
      let installationId: number;
      try {
        const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
        installationId = (data as { id: number }).id;
      } catch (err) {
        const described = describeGitHubError(err);
        if (described.status === 404) {
          throw new GitHubWriteError(`Baton is not installed on the fork ${owner}/${repo} (dev.fork): install the app there, with contents: write, or set dev.pushTo: branch`, { transient: false, status: 404 });
        }
        throw described;
      }
      return (await app.auth(installationId)) as unknown as OctokitLike;
    },
  };
}
