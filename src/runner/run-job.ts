import { HELP_TEXT } from "../app/baton-command.js";
import { commentOnlyStep } from "../graph/default-steps.js";
import { resolveContext } from "../graph/resolve-context.js";
import { manifestToMarkdown } from "../graph/render-manifest.js";
import type { StepTrigger } from "../graph/step-trigger.js";
import type { ModelClient } from "../model/model-client.js";
import { fromGitHubFiles } from "../steps/review/diff-files.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker } from "../writer/intents.js";
import type { BotIdentity } from "../writer/bot-identity.js";
import type { ForkAccess } from "../writer/fork-push.js";
import { currentBaseCommit, getDefaultBranchHead, getIssue, getPullRequest, listPullRequestFiles, type GitHubClient } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import { openRepository, type OpenRepository } from "./open-repository.js";
import { runAdrDecision } from "./run-adr-decision.js";
import { runArchitecture } from "./run-architecture.js";
import { runDefaultBranchChanged } from "./run-default-branch-changed.js";
import { runDev } from "./run-dev.js";
import { runDismiss } from "./run-dismiss.js";
import { runLearnFromPull } from "./run-learn-from-pull.js";
import { runRemember } from "./run-remember.js";
import { runTrace } from "./run-trace.js";
import { issueSpec, liveIssueSpec } from "./pin-spec.js";
import { reviewTrigger, runReview } from "./run-review.js";
import { closeCheckRunAfterFailure, failureSummary } from "./step-harness.js";
import { checkRunExternalId } from "./check-run-id.js";
import type { CheckRunJournal } from "./check-run-journal.js";
import type { UsageLedger } from "./token-allowance.js";
import type { StepMeter } from "./step-harness.js";
import type { DevHost } from "./dev-host.js";

export interface RunnerDeps {
  octokit: GitHubClient;
  /** Where a Claude Code dev session may run (the Action's workspace); the hosted app has none and dispatches it. */
  devHost?: DevHost;
  /** Baton's own account on GitHub: hidden state is read only from what it wrote. */
  bot: BotIdentity;
  /** Access to the fork the dev step pushes to (`dev.pushTo: fork`). */
  forks?: ForkAccess;
  model: ModelClient;
  log: { info(obj: Record<string, unknown>, msg: string): void; warn(obj: Record<string, unknown>, msg: string): void; error(obj: Record<string, unknown>, msg: string): void };
  now: () => Date;
  /** Open check runs, written down for the next start after a crash (see check-run-journal.ts). */
  journal?: CheckRunJournal;
  /** Token use per repository and step per day (budgets.dailyTokens). */
  usage?: UsageLedger;
  meter?: StepMeter;
}

/** Answers on issues and PRs that are not a step of the graph: may only comment. */
const REPLY_STEP = commentOnlyStep("review", "Baton's own replies (help, refusals, manifests)");

/** Runs one job request: a list of stages per kind, each in its own file. */
export async function runJob(req: JobRequest, deps: RunnerDeps): Promise<void> {
  switch (req.kind) {
    case "architecture-review":
      return runArchitecture(req, deps);
    case "dev":
      return runDev(req, deps);
    case "review":
      return runReview(req, deps);
    case "remember":
      return runRemember(req, deps);
    case "context":
      return postContext(req, deps);
    case "dismiss":
      return runDismiss(req, deps);
    case "help":
      return reply(deps, req.target, req.number, hiddenMarker("reply", req.cause), HELP_TEXT);
    case "reply":
      return reply(deps, req.target, req.number, req.marker, req.body);
    case "adr-decision":
      return runAdrDecision(req, deps);
    case "default-branch-changed":
      return runDefaultBranchChanged(req, deps);
    case "trace":
      return runTrace(req, deps);
    case "learn-from-pull":
      return runLearnFromPull(req, deps);
  }
}

async function reply(deps: RunnerDeps, target: JobRequest["target"], number: number, marker: string, body: string): Promise<void> {
  const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, log: deps.log });
  await writer.apply(REPLY_STEP, [{ kind: "comment", issueNumber: number, marker, body, mode: "once" }]);
}

/** `/baton context`: the manifest the step would get, without calling the model. */
async function postContext(req: Extract<JobRequest, { kind: "context" }>, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  let repoState: OpenRepository;
  let trigger: StepTrigger;
  if (req.step === "review") {
    // The same trigger as the review itself: the PR's diff, its linked ADRs and its spec.
    const pr = await getPullRequest(deps.octokit, owner, repo, req.number);
    repoState = await openRepository(deps.octokit, req.target, await currentBaseCommit(deps.octokit, owner, repo, pr));
    const files = fromGitHubFiles((await listPullRequestFiles(deps.octokit, owner, repo, req.number)) as Parameters<typeof fromGitHubFiles>[0]);
    trigger = await reviewTrigger(deps, req.target, repoState, { body: pr.body, base: pr.baseSha, head: pr.headSha, files });
  } else {
    repoState = await openRepository(deps.octokit, req.target, (await getDefaultBranchHead(deps.octokit, owner, repo)).sha);
    const issue = await getIssue(deps.octokit, owner, repo, req.number);
    if (req.step === "dev") {
      // As the dev step reads it: the spec pinned at its ADR's acceptance, when there is one.
      const { spec, note } = await issueSpec(repoState.snapshot, repoState.config, issue);
      trigger = { spec, notes: [note] };
    } else {
      trigger = { spec: liveIssueSpec(issue) };
    }
  }
  const context = await resolveContext({ step: repoState.steps[req.step], snapshot: repoState.snapshot, config: repoState.config, configIdentity: repoState.configIdentity, trigger, store: repoState.store });
  const body = `Context the **${req.step}** step would receive now (no model was called):\n\n${manifestToMarkdown(context.manifest)}`;
  await reply(deps, req.target, req.number, hiddenMarker("reply", req.cause), body);
}

/** The queue gave up on a job (permanent error, or transient after the last retry): say so where people look. */
export async function reportJobFailure(req: JobRequest, err: unknown, deps: RunnerDeps): Promise<void> {
  deps.log.error({ kind: req.kind, err: err instanceof Error ? err.message : String(err) }, "baton job failed");
  if (req.kind === "architecture-review" || req.kind === "dev" || req.kind === "review") {
    await closeCheckRunAfterFailure(checkRunExternalId(req), err, deps.octokit, deps.bot);
    return;
  }
  if (req.kind === "remember" || req.kind === "context" || req.kind === "trace") {
    await reply(deps, req.target, req.number, hiddenMarker("failure", req.cause), failureSummary(err)).catch(() => undefined);
  }
  if (req.kind === "adr-decision") {
    await reply(deps, req.target, req.pullNumber, hiddenMarker("failure", req.cause), failureSummary(err)).catch(() => undefined);
  }
}
