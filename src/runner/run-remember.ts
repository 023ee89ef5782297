import { buildModuleMap, modulesForPaths } from "../config/module-map.js";
import { isStepEnabled } from "../graph/default-steps.js";
import { resolveContext } from "../graph/resolve-context.js";
import { runLearningStep } from "../steps/learning/learning-step.js";
import { getDefaultBranchHead, getPullRequest, listPullRequestFiles } from "./github-port.js";
import { commentOnlyStep } from "../graph/default-steps.js";
import { unknownModulesMessage } from "../steps/learning/lesson-modules.js";
import { ZERO_USAGE } from "../steps/step-types.js";
import { hiddenMarker } from "../writer/intents.js";
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
  const map = buildModuleMap(repoState.config, (await repoState.snapshot.listFiles()).map((f) => f.path));
  const say = (key: string, body: string) => writeOutcome(req.target, commentOnlyStep("learning"), { intents: [{ kind: "comment", issueNumber: req.number, marker: hiddenMarker("remember", key), mode: "once", body }], title: "", summary: "", conclusion: "neutral", usage: ZERO_USAGE, model: "none" }, deps);
  const refusal = req.module ? unknownModulesMessage([req.module], map.modules.map((m) => m.name)) : null;
  if (refusal) return void (await say(req.cause, `${refusal} Nothing was recorded: comment \`/baton remember --module <name> <lesson>\` again with one of them.`));
  // On an open pull request the lesson joins what the pull request teaches, proposed together when it merges.
  if (req.isPullRequest && (await getPullRequest(deps.octokit, owner, repo, req.number)).open) {
    return void (await say(req.cause, `Noted. This lesson is proposed with the other lessons of this pull request (the findings it fixes) in one pull request, "Pitfalls learned from #${req.number}", when it is merged or closed.`));
  }
  // The modules first (named, or those the PR changes), so the context holds their pitfalls.
  let modules = req.module ? [req.module] : [];
  if (modules.length === 0) {
    const files = await listPullRequestFiles(deps.octokit, owner, repo, req.number).catch(() => []);
    modules = modulesForPaths(map, files.map((f) => f.filename));
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
