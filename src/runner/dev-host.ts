import { runGit } from "../snapshot/git-process.js";

/**
 * Where a Claude Code dev session may run: a machine where the repository's
 * own code may run (the Actions runner, a developer's machine), never the
 * hosted app's server. The GitHub Action provides one (its workspace); the
 * app has none, so it hands the job to the repository's Baton workflow.
 */
export interface DevHost {
  /** The git checkout the session works in. */
  root: string;
  /** The environment the session and the test run take their allow-listed variables from. */
  env: NodeJS.ProcessEnv;
  /** Makes sure the checkout has `commit` (fetching it when needed); throws with what to do otherwise. */
  ensureCommit(commit: string): Promise<void>;
}

/**
 * The Actions runner's workspace, checked out by actions/checkout. A commit
 * it does not have (the default branch moved since the event) is fetched
 * with the workflow's token passed as a header for that one command, so the
 * token is never written to .git/config, where the session's commands could
 * read it.
 */
export function actionsDevHost(env: NodeJS.ProcessEnv, token: string | undefined): DevHost | undefined {
  const root = env.GITHUB_WORKSPACE;
  if (!root) return undefined;
  return {
    root,
    env,
    async ensureCommit(commit) {
      const inside = await runGit(root, ["rev-parse", "--is-inside-work-tree"]).catch(() => "");
      if (inside.trim() !== "true") throw new Error(`the dev session needs a checkout of the repository in ${root}: add \`- uses: actions/checkout@v4\` (with \`persist-credentials: false\`) before Baton's step in the workflow`);
      if (await hasCommit(root, commit)) return;
      const server = env.GITHUB_SERVER_URL ?? "https://github.com";
      const auth = token ? ["-c", `http.${server}/.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`] : [];
      await runGit(root, [...auth, "fetch", "--no-tags", "--depth=1", "origin", commit]).catch(() => undefined);
      if (!(await hasCommit(root, commit))) throw new Error(`the checkout in ${root} does not have commit ${commit} and could not fetch it: check out the default branch (actions/checkout does for issue events)`);
    },
  };
}

async function hasCommit(root: string, commit: string): Promise<boolean> {
  return runGit(root, ["cat-file", "-e", `${commit}^{commit}`]).then(
    () => true,
    () => false,
  );
}
