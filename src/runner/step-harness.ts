import type { Manifest } from "../graph/manifest.js";
import { manifestToMarkdown } from "../graph/render-manifest.js";
import { contextMarker } from "../graph/context-identities.js";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { estimateCostUsd } from "../model/model-pricing.js";
import { isTransientError } from "../model/model-errors.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";
import type { StepOutcome } from "../steps/step-types.js";
import { createCheckRunReporter } from "../writer/github-check-runs.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import type { WriteResult } from "../writer/write-result.js";
import type { GitHubClient } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";
import { ConfigProblem, openRepository, type OpenRepository } from "./open-repository.js";
import { commentOnlyStep } from "../graph/default-steps.js";
import type { StepId } from "../config/config-schema.js";
import { hiddenMarker } from "../writer/intents.js";
import type { CheckRunJournal } from "./check-run-journal.js";
import type { Usage } from "../model/model-client.js";
import { overDailyCap, usageTokens, type UsageLedger } from "./token-allowance.js";
import type { BotIdentity } from "../writer/bot-identity.js";
import type { ForkAccess } from "../writer/fork-push.js";
import { headerMarkers } from "../writer/outgoing-text.js";
import { codeBlock, inlineCode } from "../util/posted-text.js";

export interface HarnessDeps {
  octokit: GitHubClient;
  bot: BotIdentity;
  forks?: ForkAccess;
  log: { info(obj: Record<string, unknown>, msg: string): void; warn(obj: Record<string, unknown>, msg: string): void };
  /** Where open check runs are written down, so a restart finds those a crash left open. */
  journal?: CheckRunJournal;
  /** Token use per repository and step per day, for the daily caps. */
  usage?: UsageLedger;
  /** Where token use and budget refusals are counted (the metrics endpoint). */
  meter?: StepMeter;
}

/** What the harness reports for the metrics endpoint. */
export interface StepMeter {
  tokensUsed(target: RepoTarget, stepId: StepId, usage: Usage): void;
  overBudget(target: RepoTarget, stepId: StepId): void;
}

export interface StepRunPlan {
  step: StepDeclaration;
  /** The commit the check run is attached to. */
  headSha: string;
  externalId: string;
  /** What asked for this run (`label-<delivery>`, `comment-<id>`…): a run already finished for the same cause is not run again. */
  cause: string;
  /** The issue the step works for, if any: a failure is also said there, where people look. */
  issueNumber?: number;
  /** Builds the outcome (model work happens here); nothing is written yet. */
  build(): Promise<{ outcome: StepOutcome; manifest: Manifest }>;
}

/** Check runs still open per job, so a final failure reported by the queue can close them. */
const openCheckRuns = new Map<string, { id: number; target: RepoTarget; stepId: StepId; issueNumber?: number; log: HarnessDeps["log"]; bot: BotIdentity; journal?: CheckRunJournal }>();

/**
 * The stages every step run goes through, in order: open the check run,
 * build (context + model → intents), check and write the intents, write
 * the follow-ups, close the check run with the manifest, usage and cost.
 */
export async function runStepWithCheckRun(target: RepoTarget, plan: StepRunPlan, deps: HarnessDeps): Promise<WriteResult[]> {
  const checks = createCheckRunReporter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot });
  const name = `Baton: ${plan.step.id}`;
  const existing = await checks.findRun(plan.headSha, name, plan.externalId);
  // The check run remembers which event it finished for, so a webhook redelivered after a restart
  // (when the queue's memory is gone) does not pay for the model a second time.
  if (existing?.status === "completed" && headerMarkers(existing.summary).includes(jobMarker(plan.cause))) {
    deps.log.info({ step: plan.step.id, cause: plan.cause }, "already done for this event: skipped");
    return [];
  }
  const checkRunId = existing?.id ?? (await checks.queued({ name, headSha: plan.headSha, externalId: plan.externalId }));
  openCheckRuns.set(plan.externalId, { id: checkRunId, target, stepId: plan.step.id, issueNumber: plan.issueNumber, log: deps.log, bot: deps.bot, journal: deps.journal });
  await deps.journal?.opened({ target, checkRunId, stepId: plan.step.id, externalId: plan.externalId, cause: plan.cause, issueNumber: plan.issueNumber, openedAt: new Date().toISOString() });
  await checks.inProgress(checkRunId);
  const overCap = plan.step.dailyTokens && deps.usage ? overDailyCap(plan.step, await deps.usage.used(target, plan.step.id)) : null;
  if (overCap) {
    // Before any model call: the run ends here, neutral, saying why and what to do.
    deps.log.info({ step: plan.step.id, repository: `${target.owner}/${target.repo}` }, "daily token cap reached: step not run");
    deps.meter?.overBudget(target, plan.step.id);
    openCheckRuns.delete(plan.externalId);
    await checks.complete(checkRunId, { conclusion: "neutral", title: "Daily token budget reached", summary: `${jobMarkers(existing?.summary ?? "", plan.cause)}\n${overCap}\n\nThe model was not called. The step can run again tomorrow (UTC), or after a maintainer raises the cap in \`.github/baton.yml\` on the default branch and presses **Re-run**.` });
    await deps.journal?.closed(target, checkRunId);
    return [];
  }
  try {
    const { outcome, manifest } = await plan.build();
    await deps.usage?.add(target, plan.step.id, usageTokens(outcome.usage));
    deps.meter?.tokensUsed(target, plan.step.id, outcome.usage);
    const results = await writeOutcome(target, plan.step, outcome, deps);
    const markers = jobMarkers(existing?.summary ?? "", plan.cause);
    // The knowledge files the context was read from, in the header too: what staleness checks read (the table shows 40 rows).
    await checks.complete(checkRunId, { conclusion: outcome.conclusion, title: outcome.title, summary: `${markers}\n${contextMarker(manifest)}\n${checkRunSummary(outcome, manifest, results, target)}` });
    openCheckRuns.delete(plan.externalId);
    await deps.journal?.closed(target, checkRunId);
    return results;
  } catch (err) {
    // Transient errors go back to the queue, which retries; the check run stays in progress.
    if (isTransientError(err) || defaultIsTransient(err)) throw err;
    openCheckRuns.delete(plan.externalId);
    await checks.complete(checkRunId, { conclusion: "failure", title: `${plan.step.id} failed`, summary: failureSummary(err) });
    await deps.journal?.closed(target, checkRunId);
    await sayFailureOnIssue(target, plan.step.id, plan.issueNumber, err, deps);
    throw err;
  }
}

/**
 * Opens the repository at `commit` for a step. A broken `.github/baton.yml`
 * stops the step before it starts, so no check run would otherwise say why:
 * it is reported on the step's check run and, for a step started from an
 * issue, on the issue, with the lines to fix. The error is rethrown.
 */
export async function openRepositoryForStep(
  target: RepoTarget,
  plan: { stepId: StepId; headSha: string; externalId: string; issueNumber?: number },
  commit: string,
  deps: HarnessDeps,
): Promise<OpenRepository> {
  try {
    return await openRepository(deps.octokit, target, commit);
  } catch (err) {
    if (!(err instanceof ConfigProblem)) throw err;
    const checks = createCheckRunReporter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot });
    const name = `Baton: ${plan.stepId}`;
    const id = (await checks.findExisting(plan.headSha, name, plan.externalId)) ?? (await checks.queued({ name, headSha: plan.headSha, externalId: plan.externalId }));
    await checks.complete(id, { conclusion: "failure", title: ".github/baton.yml is not valid", summary: err.message });
    if (plan.issueNumber !== undefined) {
      // The config is broken, so the step's own declaration is unknown: the default one, allowed to comment only.
      const step = commentOnlyStep(plan.stepId);
      const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, log: deps.log });
      await writer.apply(step, [{ kind: "comment", issueNumber: plan.issueNumber, marker: hiddenMarker("config-problem", `issue-${plan.issueNumber}`), mode: "upsert", body: err.message }]);
    }
    throw err;
  }
}

/** Called by the queue after the last retry: closes the check run the job left open. */
export async function closeCheckRunAfterFailure(externalId: string, err: unknown, octokit: GitHubClient, bot: BotIdentity): Promise<void> {
  const open = openCheckRuns.get(externalId);
  if (!open) return;
  openCheckRuns.delete(externalId);
  const checks = createCheckRunReporter({ octokit, owner: open.target.owner, repo: open.target.repo, bot });
  await checks.complete(open.id, { conclusion: "failure", title: "failed after retries", summary: failureSummary(err) });
  await open.journal?.closed(open.target, open.id);
  await sayFailureOnIssue(open.target, open.stepId, open.issueNumber, err, { octokit, log: open.log, bot });
}

/**
 * A step started from an issue reports on a check run of the default branch's
 * head, which nobody watching the issue sees: say it on the issue too, once
 * per step and issue (updated in place).
 */
async function sayFailureOnIssue(target: RepoTarget, stepId: StepId, issueNumber: number | undefined, err: unknown, deps: HarnessDeps): Promise<void> {
  if (issueNumber === undefined) return;
  const { log } = deps;
  const step = commentOnlyStep(stepId);
  const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, log });
  await writer
    .apply(step, [{ kind: "comment", issueNumber, marker: hiddenMarker("step-failed", `${stepId}-issue-${issueNumber}`), mode: "upsert", body: `The **${stepId}** step failed.\n\n${failureSummary(err)}` }])
    .catch((e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, "could not report the failure on the issue"));
}

/** Writes a step's intents, then the follow-ups that need what was written (the comment linking the PR). */
export async function writeOutcome(target: RepoTarget, step: StepDeclaration, outcome: StepOutcome, deps: HarnessDeps): Promise<WriteResult[]> {
  const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, forks: deps.forks, log: deps.log });
  const results = await writer.apply(step, outcome.intents);
  const followUps = outcome.followUp?.(results) ?? [];
  if (followUps.length) results.push(...(await writer.apply(step, followUps)));
  return results;
}

/** Hidden at the top of a finished check run's summary, where truncation cannot cut it. */
export function jobMarker(cause: string): string {
  return `<!-- baton:job ${cause.replace(/--/g, "")} -->`;
}

/**
 * Events a check run has finished for: the earlier ones (the newest 20) and
 * this one. Read from the summary's header only: a job marker quoted in the
 * summary's text (a file name in the manifest) is not one.
 */
export function jobMarkers(previousSummary: string, cause: string): string {
  const earlier = headerMarkers(previousSummary).filter((m) => m.startsWith("<!-- baton:job "));
  return [...new Set([...earlier, jobMarker(cause)])].slice(-20).join("\n");
}

export function failureSummary(err: unknown): string {
  // Already Markdown, naming the lines to fix: a code fence around it would break its own.
  if (err instanceof ConfigProblem) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return [
    `Baton could not finish this step.`,
    "",
    codeBlock(message.slice(0, 4000)),
    "",
    "What to do: fix what the message names (configuration, permissions, API key), then press **Re-run** on this check, or comment the `/baton` command again.",
  ].join("\n");
}

export function checkRunSummary(outcome: StepOutcome, manifest: Manifest, results: WriteResult[], target: { owner: string; repo: string }): string {
  const u = outcome.usage;
  const cost = estimateCostUsd(outcome.model, u);
  const done = results.map((r) => {
    switch (r.kind) {
      case "commit":
        return `- commit on ${inlineCode(r.branch)}${r.repository && r.repository.toLowerCase() !== `${target.owner}/${target.repo}`.toLowerCase() ? ` of the fork ${inlineCode(r.repository)}` : ""}: ${r.action}${r.created ? ` (${r.url})` : ""}`;
      case "pull-request":
        return `- pull request #${r.number}: ${r.action} (${r.url})`;
      case "comment":
        return `- comment on #${r.issueNumber}: ${r.action} (${r.url})`;
      case "review":
        return `- review on #${r.pullNumber}: ${r.action}, ${r.inlineComments} inline comments`;
    }
  });
  return [
    outcome.summary,
    "",
    done.length ? `**Written**\n${done.join("\n")}` : "_Nothing written._",
    "",
    `**Usage:** model ${inlineCode(outcome.model)}, ${u.inputTokens.toLocaleString("en-US")} input tokens (${u.cacheReadTokens.toLocaleString("en-US")} from cache, ${u.cacheWriteTokens.toLocaleString("en-US")} written to cache), ${u.outputTokens.toLocaleString("en-US")} output tokens, about $${cost.toFixed(4)}.`,
    "",
    manifestToMarkdown(manifest),
  ].join("\n");
}
