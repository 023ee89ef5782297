import { resolveContext } from "../graph/resolve-context.js";
import { manifestToMarkdown } from "../graph/render-manifest.js";
import type { SpecRef } from "../graph/step-trigger.js";
import { adrBranchName, runArchitectureReviewStep } from "../steps/architecture-review/architecture-review-step.js";
import { checkRunExternalId } from "./check-run-id.js";
import { adrNumbersInOpenPullRequests, getDefaultBranchHead, getIssue } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import type { RunnerDeps } from "./run-job.js";
import { openRepositoryForStep, runStepWithCheckRun } from "./step-harness.js";
import { liveIssueSpec } from "./pin-spec.js";

type ArchitectureRequest = Extract<JobRequest, { kind: "architecture-review" }>;

/** Architecture review: spec (issue as of now, or the pushed file), ADRs and module map from the default branch. */
export async function runArchitecture(req: ArchitectureRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const head = await getDefaultBranchHead(deps.octokit, owner, repo);
  const commit = req.spec.kind === "file" ? req.spec.commit : head.sha;
  const repoState = await openRepositoryForStep(
    req.target,
    { stepId: "architecture-review", headSha: commit, externalId: checkRunExternalId(req), ...(req.spec.kind === "issue" ? { issueNumber: req.spec.number } : {}) },
    commit,
    deps,
  );
  const step = repoState.steps["architecture-review"];
  if (repoState.config.steps["architecture-review"]?.enabled === false) {
    deps.log.info({ repo: `${owner}/${repo}` }, "architecture review disabled by configuration");
    return;
  }
  await runStepWithCheckRun(
    req.target,
    {
      step,
      headSha: commit,
      externalId: checkRunExternalId(req),
      cause: req.cause,
      ...(req.spec.kind === "issue" ? { issueNumber: req.spec.number } : {}),
      build: async () => {
        let spec: SpecRef;
        if (req.spec.kind === "issue") {
          const issue = await getIssue(deps.octokit, owner, repo, req.spec.number);
          spec = liveIssueSpec(issue);
        } else {
          spec = { kind: "file", path: req.spec.path };
        }
        const context = await resolveContext({ step, snapshot: repoState.snapshot, config: repoState.config, configIdentity: repoState.configIdentity, trigger: { spec }, store: repoState.store });
        context.manifest.notes.push(...repoState.configNotes);
        const outcome = await runArchitectureReviewStep(
          {
            context,
            snapshot: repoState.snapshot,
            repo: { owner, repo, defaultBranch: head.branch },
            spec,
            config: repoState.config,
            today: deps.now().toISOString().slice(0, 10),
            manifestMarkdown: manifestToMarkdown(context.manifest),
            reservedNumbers: await adrNumbersInOpenPullRequests(deps.octokit, owner, repo, adrBranchName(spec)),
          },
          deps.model,
        );
        return { outcome, manifest: context.manifest };
      },
    },
    deps,
  );
}
