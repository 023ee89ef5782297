import { buildModuleMap, modulesForPaths } from "../config/module-map.js";
import { isStepEnabled } from "../graph/default-steps.js";
import { resolveContext } from "../graph/resolve-context.js";
import { runLearningStep } from "../steps/learning/learning-step.js";
import { getDefaultBranchHead, listPullRequestFiles } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import { openRepository } from "./open-repository.js";
import type { RunnerDeps } from "./run-job.js";
import { writeOutcome } from "./step-harness.js";

type RememberRequest = Extract<JobRequest, { kind: "remember" }>;

/** `/baton remember <lesson>`: a pitfall entry for the module named, or for the modules the PR changes. */
export async function runRemember(req: RememberRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const head = await getDefaultBranchHead(deps.octokit, owner, repo);
  const repoState = await openRepository(deps.octokit, req.target, head.sha);
  if (!isStepEnabled(repoState.config, "learning")) return;
  // The modules first (named, or those the PR changes), so the context holds their pitfalls.
  let modules = req.module ? [req.module] : [];
  if (modules.length === 0) {
    const files = await listPullRequestFiles(deps.octokit, owner, repo, req.number).catch(() => []);
    const paths = (await repoState.snapshot.listFiles()).map((f) => f.path);
    modules = modulesForPaths(buildModuleMap(repoState.config, paths), files.map((f) => f.filename));
  }
  if (modules.length === 0) modules = ["general"];
  const context = await resolveContext({ step: repoState.steps.learning, snapshot: repoState.snapshot, config: repoState.config, configIdentity: repoState.configIdentity, trigger: { modules }, store: repoState.store });
  const outcome = await runLearningStep({
    context,
    snapshot: repoState.snapshot,
    repo: { owner, repo, defaultBranch: head.branch },
    lesson: req.lesson,
    modules,
    source: { url: req.commentUrl, pr: req.number },
    today: deps.now().toISOString().slice(0, 10),
    replyTo: req.number,
    pitfallsFolder: repoState.config.folders.pitfalls,
  });
  await writeOutcome(req.target, repoState.steps.learning, outcome, deps);
}
