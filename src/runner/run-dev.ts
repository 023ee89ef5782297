import { findLinkedAdrs, resolveContext } from "../graph/resolve-context.js";
import { manifestToMarkdown } from "../graph/render-manifest.js";
import { runDevStep } from "../steps/dev/dev-step.js";
import { devPushTarget } from "../steps/dev/dev-push-target.js";
import { forkTarget } from "../writer/fork-push.js";
import { runClaudeCodeDevStep } from "../steps/dev/claude-code/claude-code-dev-step.js";
import { dispatchDevToWorkflow } from "./dev-dispatch.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker } from "../writer/intents.js";
import { inlineCode } from "../util/posted-text.js";
import { checkRunExternalId } from "./check-run-id.js";
import { getDefaultBranchHead, getIssue } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import type { RunnerDeps } from "./run-job.js";
import { openRepositoryForStep, runStepWithCheckRun } from "./step-harness.js";
import { commentOnlyStep, declareSteps, isStepEnabled } from "../graph/default-steps.js";
import { devRunnerFor } from "../config/config-schema.js";
import { issueSpec } from "./pin-spec.js";
import { specDriftMarkdown, withSpecDrift } from "./spec-drift-report.js";

type DevRequest = Extract<JobRequest, { kind: "dev" }>;

/**
 * Dev: needs an accepted ADR that answers the issue (front matter `spec: "#N"`).
 * Without one it says what is missing instead of guessing.
 */
export async function runDev(req: DevRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const head = await getDefaultBranchHead(deps.octokit, owner, repo);
  // A job the hosted app handed over runs at the commit it pinned.
  const commit = req.commit ?? head.sha;
  const repoState = await openRepositoryForStep(req.target, { stepId: "dev", headSha: commit, externalId: checkRunExternalId(req), issueNumber: req.issueNumber }, commit, deps);
  if (!isStepEnabled(repoState.config, "dev")) {
    deps.log.info({ repo: `${owner}/${repo}` }, "dev step disabled by configuration");
    return;
  }
  const issue = await getIssue(deps.octokit, owner, repo, req.issueNumber);
  // The spec as accepted, when its ADR's acceptance pinned it; else the issue as it is now.
  const { spec, pin, note: specNote } = await issueSpec(repoState.snapshot, repoState.config, issue);
  const linked = findLinkedAdrs(repoState.store, { spec });
  const adr = linked.find((a) => a.record.status === "accepted");
  if (!adr) {
    const proposed = linked.find((a) => a.record.status === "proposed");
    const why = proposed
      ? `ADR ${inlineCode(proposed.path)} answers this issue but is still **proposed**: approve its pull request (or comment \`/baton accept\` on it) and merge it, then try again.`
      : `No ADR on ${inlineCode(head.branch)} answers this issue (front matter \`spec: "#${issue.number}"\`). Label the issue ${inlineCode(repoState.config.triggers.architectureLabel)} or comment \`/baton architect\` to propose one.`;
    const writer = createGitHubWriter({ octokit: deps.octokit, owner, repo, bot: deps.bot, log: deps.log });
    await writer.apply(commentOnlyStep("dev"), [
      { kind: "comment", issueNumber: issue.number, marker: hiddenMarker("dev-blocked", `issue-${issue.number}`), mode: "upsert", body: `Baton cannot start the dev step yet. ${why}` },
    ]);
    return;
  }
  const host = deps.devHost;
  const runner = devRunnerFor(repoState.config, Boolean(host));
  const step = runner === "claude-code" ? declareSteps(repoState.config, repoState.store.adrFolder || undefined, runner).dev : repoState.steps.dev;
  if (runner === "claude-code" && !host) {
    // A job this app already handed over, come back here (it needs a checkout): never hand it over twice.
    if (req.commit) {
      deps.log.warn({ issue: req.issueNumber }, "a dispatched dev job reached the app, which runs no Claude Code session: ignored");
      return;
    }
    await dispatchDevToWorkflow(req, deps, { commit, repoState, adr, htmlUrl: head.htmlUrl, defaultBranch: head.branch });
    return;
  }
  const pushTarget = devPushTarget(repoState.config.dev);
  await runStepWithCheckRun(
    req.target,
    {
      step,
      headSha: commit,
      externalId: checkRunExternalId(req),
      cause: req.cause,
      issueNumber: req.issueNumber,
      build: async () => {
        // A fork that cannot take the commit fails the run before the model is paid for.
        if (pushTarget.kind === "fork") await forkTarget(deps.forks, pushTarget.repository, { owner, repo }, deps.log);
        const context = await resolveContext({
          step,
          snapshot: repoState.snapshot,
          config: repoState.config,
          configIdentity: repoState.configIdentity,
          trigger: { spec, linkedAdrs: [adr.path], modules: adr.record.modules, notes: [specNote] },
          store: repoState.store,
        });
        context.manifest.notes.push(...repoState.configNotes);
        const input = {
          context,
          snapshot: repoState.snapshot,
          repo: { owner, repo, defaultBranch: head.branch },
          work: { kind: "issue" as const, number: issue.number, title: issue.title },
          adr,
          config: repoState.config,
          manifestMarkdown: manifestToMarkdown(context.manifest),
          pushTarget,
        };
        let outcome;
        if (runner === "claude-code" && host) {
          await host.ensureCommit(commit);
          outcome = await runClaudeCodeDevStep({ ...input, root: host.root, env: host.env, say: (line) => deps.log.info({ issue: issue.number }, line) });
        } else {
          outcome = await runDevStep(input, deps.model);
        }
        return { outcome: pin?.drift ? withSpecDrift(outcome, specDriftMarkdown(issue.number, pin.path, pin.drift)) : outcome, manifest: context.manifest };
      },
    },
    deps,
  );
}
