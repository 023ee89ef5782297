import type { JobRequest } from "./job-request.js";
import { getDefaultBranchHead } from "./github-port.js";
import { openRepository } from "./open-repository.js";
import { flagStaleReviews } from "./flag-stale-reviews.js";
import { keepAdrPullRequestsNumbered } from "./renumber-adr-pull-requests.js";
import { keepLearningPullRequestsCurrent } from "./update-learning-pull-requests.js";
import type { RunnerDeps } from "./run-job.js";

type ChangedRequest = Extract<JobRequest, { kind: "default-branch-changed" }>;

/**
 * The default branch moved and the knowledge may have changed with it: open
 * ADR pull requests keep distinct numbers, open learning pull requests stay
 * mergeable (their entries after the new ones), and pull requests reviewed with
 * context that has changed since are told. Everything is read at the pushed
 * commit; a later push has its own job, so a job that finds the branch
 * moved on leaves the work to it.
 */
export async function runDefaultBranchChanged(req: ChangedRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const main = await getDefaultBranchHead(deps.octokit, owner, repo);
  if (main.sha !== req.after) {
    deps.log.info({ after: req.after, now: main.sha }, "the default branch moved on since this push: its own job handles it");
    return;
  }
  const state = await openRepository(deps.octokit, req.target, req.after);
  const folder = state.store.adrFolder;
  if (folder && (req.paths === null || req.paths.some((p) => p.startsWith(`${folder}/`)))) {
    await keepAdrPullRequestsNumbered(deps, req.target, state, main);
  }
  const pitfalls = state.config.folders.pitfalls.replace(/\/+$/, "");
  if (req.paths === null || req.paths.some((p) => p.startsWith(`${pitfalls}/`))) {
    await keepLearningPullRequestsCurrent(deps, req.target, state, main);
  }
  await flagStaleReviews(deps, req.target, state, main, req.paths);
}
