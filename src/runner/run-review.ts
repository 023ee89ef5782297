import { findLinkedAdrs, normaliseSpecKey, resolveContext } from "../graph/resolve-context.js";
import { manifestToMarkdown } from "../graph/render-manifest.js";
import type { StepTrigger } from "../graph/step-trigger.js";
import { fromGitHubFiles, type DiffFile } from "../steps/review/diff-files.js";
import { parseReviewState, SUMMARY_MARKER } from "../steps/review/review-state.js";
import { runReviewStep } from "../steps/review/review-step.js";
import { adrLinksFromText } from "../steps/pull-request-body.js";
import { checkRunExternalId } from "./check-run-id.js";
import { closingIssueNumbers, compareCommits, currentBaseCommit, findCommentByMarker, getIssue, getPullRequest, listPullRequestFiles } from "./github-port.js";
import type { JobRequest, RepoTarget } from "./job-request.js";
import type { OpenRepository } from "./open-repository.js";
import { issueSpec } from "./pin-spec.js";
import type { RunnerDeps } from "./run-job.js";
import { openRepositoryForStep, runStepWithCheckRun } from "./step-harness.js";
import { isStepEnabled } from "../graph/default-steps.js";
import { settleContextChanged } from "./flag-stale-reviews.js";
import { createGitHubSnapshot } from "../snapshot/github-snapshot.js";
import { readHeadFiles } from "../steps/review/extend-hunks.js";
import { dismissedByThreads } from "./review-threads.js";
import { isTransientError } from "../model/model-errors.js";
import { defaultIsTransient } from "../jobs/retry-policy.js";

type ReviewRequest = Extract<JobRequest, { kind: "review" }>;

/**
 * Review: trusted context from the PR's base, the diff since the last
 * reviewed commit (or the whole PR), previous findings from Baton's own
 * summary comment, then one review and one summary updated in place.
 */
export async function runReview(req: ReviewRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const pr = await getPullRequest(deps.octokit, owner, repo, req.pullNumber);
  if (pr.headSha !== req.headSha && !req.force) {
    deps.log.info({ pr: pr.number }, "review skipped: the PR has moved on; the newer push has its own review");
    return;
  }
  const trusted = await currentBaseCommit(deps.octokit, owner, repo, pr);
  const repoState = await openRepositoryForStep(req.target, { stepId: "review", headSha: pr.headSha, externalId: checkRunExternalId({ ...req, headSha: pr.headSha }) }, trusted, deps);
  if (!isStepEnabled(repoState.config, "review")) {
    deps.log.info({ pr: pr.number }, "review step disabled by configuration");
    return;
  }
  const step = repoState.steps.review;
  await runStepWithCheckRun(
    req.target,
    {
      step,
      headSha: pr.headSha,
      externalId: checkRunExternalId({ ...req, headSha: pr.headSha }),
      cause: req.cause,
      build: async () => {
        const previous = parseReviewState((await findCommentByMarker(deps.octokit, owner, repo, pr.number, SUMMARY_MARKER, deps.bot)) ?? "");
        let files = null;
        let base = pr.baseSha;
        if (previous?.lastReviewedSha && previous.lastReviewedSha !== pr.headSha && !req.force) {
          files = await compareCommits(deps.octokit, owner, repo, previous.lastReviewedSha, pr.headSha).catch(() => null);
          if (files) base = previous.lastReviewedSha;
        }
        const incremental = files !== null;
        const diffFiles = fromGitHubFiles((files ?? (await listPullRequestFiles(deps.octokit, owner, repo, pr.number))) as Parameters<typeof fromGitHubFiles>[0]);
        const trigger = await reviewTrigger(deps, req.target, repoState, { body: pr.body, base, head: pr.headSha, files: diffFiles });
        const context = await resolveContext({ step, snapshot: repoState.snapshot, config: repoState.config, configIdentity: repoState.configIdentity, trigger, store: repoState.store });
        context.manifest.notes.push(...repoState.configNotes);
        const manifestMarkdown = manifestToMarkdown(context.manifest);
        // Comments are placed against the whole PR's diff, which an incremental review did not read.
        const pullFiles = incremental ? fromGitHubFiles((await listPullRequestFiles(deps.octokit, owner, repo, pr.number)) as Parameters<typeof fromGitHubFiles>[0]) : diffFiles;
        const dismissed = previous?.findings.some((f) => f.status === "open") ? await threadDismissals(deps, owner, repo, pr.number) : new Map<string, string>();
        const outcome = await runReviewStep(
          {
            context,
            repo: { owner, repo, defaultBranch: pr.baseRef },
            pull: { number: pr.number, title: pr.title, headSha: pr.headSha, baseSha: pr.baseSha },
            diffFiles,
            pullFiles,
            ...(trigger.diff?.headFiles ? { headFiles: trigger.diff.headFiles } : {}),
            dismissed,
            incremental,
            previous,
            config: repoState.config,
            manifestMarkdown,
            reviewKey: req.force ? `${pr.headSha} ${req.cause}` : pr.headSha,
          },
          deps.model,
        );
        return { outcome, manifest: context.manifest };
      },
    },
    deps,
  );
  // This review read the context as it is now: a "context changed" flag on this commit is settled.
  await settleContextChanged(deps, req.target, pr.number, pr.headSha);
}

/**
 * What a review of the PR is triggered with: the diff, the ADRs its body
 * links, and its spec. Shared with `/baton context`, so the manifest it
 * posts is the one the review would get.
 */
export async function reviewTrigger(
  deps: RunnerDeps,
  target: RepoTarget,
  repoState: Pick<OpenRepository, "store" | "snapshot" | "config">,
  pr: { body: string; base: string; head: string; files: DiffFile[] },
): Promise<StepTrigger> {
  const { store } = repoState;
  const linkedAdrs = adrLinksFromText(pr.body);
  // The spec: the issue the PR closes, else the spec its linked ADR answers.
  const adrSpec = findLinkedAdrs(store, { linkedAdrs }).map((a) => a.record.spec).find((s): s is string => Boolean(s));
  // The new side of the changed files, so hunks show their enclosing function; a failure costs only that context.
  const headSnapshot = createGitHubSnapshot({ octokit: deps.octokit, owner: target.owner, repo: target.repo, commit: pr.head });
  const headFiles = await readHeadFiles(headSnapshot, pr.files).catch((err: unknown) => {
    if (isTransientError(err) || defaultIsTransient(err)) throw err;
    deps.log.warn({ head: pr.head, err: String(err) }, "head files not readable: hunks not extended");
    return undefined;
  });
  return {
    diff: { base: pr.base, head: pr.head, files: pr.files, ...(headFiles ? { headFiles } : {}) },
    changedPaths: pr.files.map((f) => f.path),
    linkedAdrs,
    ...(await specOfPullRequest(deps, target, repoState, pr.body, adrSpec)),
  };
}

async function specOfPullRequest(
  deps: RunnerDeps,
  target: RepoTarget,
  repoState: Pick<OpenRepository, "snapshot" | "config">,
  body: string,
  adrSpec: string | undefined,
): Promise<Pick<StepTrigger, "spec" | "notes">> {
  const adrIssue = adrSpec ? /^#(\d+)$/.exec(normaliseSpecKey(adrSpec)) : null;
  if (adrSpec && !adrIssue && closingIssueNumbers(body).length === 0) return { spec: { kind: "file", path: normaliseSpecKey(adrSpec) } };
  const issueNumber = closingIssueNumbers(body)[0] ?? (adrIssue ? Number(adrIssue[1]) : undefined);
  if (issueNumber === undefined) return {};
  const issue = await getIssue(deps.octokit, target.owner, target.repo, issueNumber);
  // Judged against what dev was asked to build: the text pinned at acceptance, when there is one.
  const { spec, note } = await issueSpec(repoState.snapshot, repoState.config, issue);
  return { spec, notes: [note] };
}

/** Findings dismissed by resolving their thread; a GitHub that cannot say costs only the dismissals. */
async function threadDismissals(deps: RunnerDeps, owner: string, repo: string, number: number): Promise<Map<string, string>> {
  try {
    return await dismissedByThreads(deps.octokit, owner, repo, number, deps.bot);
  } catch (err) {
    if (isTransientError(err) || defaultIsTransient(err)) throw err;
    deps.log.warn({ pr: number, err: String(err) }, "review threads not readable: no dismissals by resolved thread");
    return new Map();
  }
}
