import { ZERO_USAGE } from "../model/model-client.js";
import type { Manifest } from "../graph/manifest.js";
import { code, renderedFromState, renderFindingsSection, replaceFindingsSection } from "../steps/review/render-review.js";
import { openFindings, parseReviewState, SUMMARY_MARKER, type ReviewState, type ReviewStateFinding } from "../steps/review/review-state.js";
import { failingFindings } from "../steps/review/review-step.js";
import type { StepOutcome } from "../steps/step-types.js";
import { checkRunExternalId } from "./check-run-id.js";
import { findCommentByMarker, getPullRequest } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import type { RunnerDeps } from "./run-job.js";
import { openRepositoryForStep, runStepWithCheckRun } from "./step-harness.js";

type DismissRequest = Extract<JobRequest, { kind: "dismiss" }>;

/**
 * `/baton dismiss <id>` by someone with write access: the findings are
 * marked dismissed in the review state, the summary's findings section is
 * re-rendered in place, and the review check run on the head is completed
 * again with the open findings that remain. No model call.
 */
export async function runDismiss(req: DismissRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const pr = await getPullRequest(deps.octokit, owner, repo, req.pullNumber);
  const plan = { stepId: "review" as const, headSha: pr.headSha, externalId: checkRunExternalId({ kind: "review", target: req.target, pullNumber: pr.number, headSha: pr.headSha, cause: req.cause }) };
  const repoState = await openRepositoryForStep(req.target, plan, pr.baseSha, deps);
  const step = repoState.steps.review;
  await runStepWithCheckRun(
    req.target,
    {
      step,
      headSha: pr.headSha,
      externalId: plan.externalId,
      cause: req.cause,
      build: async () => {
        const body = await findCommentByMarker(deps.octokit, owner, repo, pr.number, SUMMARY_MARKER, deps.bot);
        const state = body ? parseReviewState(body) : null;
        const outcome = dismissOutcome(state, body, req.ids, req.author, pr.number, repoState.config.review.failOn);
        const manifest: Manifest = {
          step: { id: step.id, version: step.version },
          model: step.model,
          commit: pr.baseSha,
          budget: step.budget,
          usedTokens: 0,
          inputs: [],
          omitted: [],
          notes: [`no model call: ${req.ids.join(", ")} dismissed by @${req.author}`],
        };
        return { outcome: { ...outcome, model: step.model }, manifest };
      },
    },
    deps,
  );
}

/** The plain part: what dismissing `ids` does to the state, the summary and the gate. */
export function dismissOutcome(
  state: ReviewState | null,
  summaryBody: string | null,
  ids: string[],
  author: string,
  pullNumber: number,
  failOn: Parameters<typeof failingFindings>[1],
): Omit<StepOutcome, "model"> {
  const base = { usage: { ...ZERO_USAGE } };
  if (!state || !summaryBody) {
    return { ...base, intents: [], title: "Nothing to dismiss", summary: "This pull request has no Baton review yet.", conclusion: "neutral" };
  }
  const open = new Set(openFindings(state.findings).map((f) => f.id));
  const known = ids.filter((id) => open.has(id));
  const unknown = ids.filter((id) => !open.has(id));
  const findings = state.findings.map((f): ReviewStateFinding => (known.includes(f.id) ? { ...f, status: "dismissed", closedBy: author, closedSha: state.lastReviewedSha } : f));
  const next: ReviewState = { ...state, findings };
  const rendered = findings.map(renderedFromState);
  const body = replaceFindingsSection(summaryBody, next, rendered) ?? null;
  const failing = failingFindings(openFindings(findings), failOn);
  const lines = [
    known.length ? `Dismissed by \`@${author}\`: ${known.map((id) => code(id)).join(", ")}.` : "No open finding was dismissed.",
    ...(unknown.length ? [`Not an open finding of this pull request: ${unknown.map((id) => code(id)).join(", ")}.`] : []),
    "",
    ...renderFindingsSection(rendered).slice(2, 3),
  ];
  return {
    ...base,
    intents: body && known.length ? [{ kind: "comment", issueNumber: pullNumber, marker: SUMMARY_MARKER, mode: "upsert", body }] : [],
    title: `${known.length} finding${known.length === 1 ? "" : "s"} dismissed, ${openFindings(findings).length} open`,
    summary: lines.join("\n"),
    conclusion: failing.length > 0 ? "failure" : "success",
  };
}
