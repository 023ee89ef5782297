import type { StoredAdr } from "../context-store/load-context-store.js";
import { commentOnlyStep } from "../graph/default-steps.js";
import { createCheckRunReporter } from "../writer/github-check-runs.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker } from "../writer/intents.js";
import { BATON_WORKFLOW_PATH, BATON_WORKFLOW_YAML, DEV_DISPATCH_TYPE, findDevWorkflow } from "./baton-workflow.js";
import { checkRunExternalId } from "./check-run-id.js";
import type { JobRequest } from "./job-request.js";
import type { OpenRepository } from "./open-repository.js";
import type { HarnessDeps } from "./step-harness.js";

type DevRequest = Extract<JobRequest, { kind: "dev" }>;

/** What a dispatched job carries, pinned: the issue, the trusted commit and the ADR as they were when the app decided. */
export interface DevDispatchPayload {
  issue: number;
  commit: string;
  adr: string;
  cause: string;
}

/**
 * The hosted app never runs a repository's code: with `dev.runner:
 * claude-code` it hands the dev step to the repository's Baton workflow
 * (`repository_dispatch`, type `baton-dev`, with the pinned inputs), and
 * says so on the issue and on the check run. Without such a workflow it
 * says that too, with the workflow to copy. `repository_dispatch` needs
 * only the `contents: write` permission the app already has.
 */
export async function dispatchDevToWorkflow(req: DevRequest, deps: HarnessDeps, at: { commit: string; repoState: OpenRepository; adr: StoredAdr; htmlUrl: string; defaultBranch: string }): Promise<void> {
  const { owner, repo } = req.target;
  const workflowPaths = (await at.repoState.snapshot.listFiles()).map((f) => f.path).filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p));
  const blobs = await at.repoState.snapshot.readFiles(workflowPaths);
  const workflow = findDevWorkflow(workflowPaths.map((path) => ({ path, text: blobs.get(path)?.text ?? "" })));

  const checks = createCheckRunReporter({ octokit: deps.octokit, owner, repo, bot: deps.bot });
  const name = "Baton: dev";
  const externalId = checkRunExternalId(req);
  const checkRunId = (await checks.findExisting(at.commit, name, externalId)) ?? (await checks.queued({ name, headSha: at.commit, externalId }));
  const writer = createGitHubWriter({ octokit: deps.octokit, owner, repo, log: deps.log, bot: deps.bot });
  const say = (body: string) => writer.apply(commentOnlyStep("dev"), [{ kind: "comment", issueNumber: req.issueNumber, marker: hiddenMarker("dev-dispatch", `issue-${req.issueNumber}`), mode: "upsert", body }]);

  if (!workflow) {
    const body = noWorkflowMessage(at);
    await say(body);
    await checks.complete(checkRunId, { conclusion: "action_required", title: "No Baton workflow to run the dev session", summary: body, detailsUrl: `${at.htmlUrl}/new/${encodeURIComponent(at.defaultBranch)}?filename=${BATON_WORKFLOW_PATH}` });
    return;
  }
  const payload: DevDispatchPayload = { issue: req.issueNumber, commit: at.commit, adr: `${at.adr.path}@${at.adr.sha}`, cause: req.cause };
  await deps.octokit.rest.repos.createDispatchEvent({ owner, repo, event_type: DEV_DISPATCH_TYPE, client_payload: { ...payload } });
  const runs = `${at.htmlUrl}/actions/workflows/${workflow.split("/").pop()}`;
  const body = [
    `Baton handed the dev step for this issue to GitHub Actions: the workflow \`${workflow}\` runs a Claude Code session in a checkout of \`${at.commit.slice(0, 12)}\`, under \`${at.adr.path}\` (\`dev.runner: claude-code\`).`,
    "",
    `Follow it in [the workflow's runs](${runs}). The pull request will be linked here; its check run is on the workflow's run.`,
  ].join("\n");
  await say(body);
  await checks.complete(checkRunId, { conclusion: "neutral", title: "Dev runs on GitHub Actions", summary: `${body}\n\nDispatched \`repository_dispatch\` (type \`${DEV_DISPATCH_TYPE}\`) with the pinned inputs: issue #${payload.issue}, commit \`${payload.commit}\`, ADR \`${payload.adr}\`.`, detailsUrl: runs });
}

function noWorkflowMessage(at: { htmlUrl: string; defaultBranch: string }): string {
  return [
    "Baton cannot start the dev step here yet: the dev step runs as a Claude Code session (`dev.runner: claude-code`), which runs your repository's code and tests, so the hosted app never runs it on its own server. It hands it to a GitHub Actions workflow of this repository, and there is none that takes it (`on: repository_dispatch` with `types: [baton-dev]`).",
    "",
    `Add this workflow as \`${BATON_WORKFLOW_PATH}\` ([create it](${at.htmlUrl}/new/${encodeURIComponent(at.defaultBranch)}?filename=${BATON_WORKFLOW_PATH})), store your Anthropic API key as the \`ANTHROPIC_API_KEY\` secret, then label the issue again or comment \`/baton dev\`:`,
    "",
    "```yaml",
    BATON_WORKFLOW_YAML.trimEnd(),
    "```",
    "",
    "Or set `dev.runner: builtin` in `.github/baton.yml` to use Baton's built-in runner, which runs on the app but cannot run your tests.",
  ].join("\n");
}
