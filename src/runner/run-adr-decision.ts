import { decideAdrs, type DecisionPlan } from "../context-store/adr/decide-adrs.js";
import { loadContextStore, type ContextStore } from "../context-store/load-context-store.js";
import { adrLifecycleStep, commentOnlyStep } from "../graph/default-steps.js";
import { createGitHubSnapshot, type GitHubSnapshot } from "../snapshot/github-snapshot.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker, type Intent } from "../writer/intents.js";
import { getDefaultBranchHead, getPullRequest, listPullRequestFiles, type PullRequestState } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import { openRepository, type OpenRepository } from "./open-repository.js";
import type { RunnerDeps } from "./run-job.js";
import { pinIssueSpecs } from "./pin-spec.js";

type DecisionRequest = Extract<JobRequest, { kind: "adr-decision" }>;

/**
 * The decision on an ADR pull request, committed on its branch: approving
 * it (or `/baton accept`) accepts the proposed ADRs it adds, `/baton reject`
 * rejects them. Nothing reaches the default branch until a person merges;
 * a pull request closed unmerged takes nothing into force.
 */
export async function runAdrDecision(req: DecisionRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const pr = await getPullRequest(deps.octokit, owner, repo, req.pullNumber);
  const say = (body: string) => reply(deps, req, body);
  if (!pr.open) return req.via === "command" ? say(`This pull request is ${pr.merged ? "merged" : "closed"}: there is nothing to decide on it any more.`) : undefined;
  if (pr.fromFork) return req.via === "command" ? say("This pull request comes from a fork, and Baton never writes to forks: copy its ADR to a branch of this repository to decide on it here.") : undefined;

  const main = await getDefaultBranchHead(deps.octokit, owner, repo);
  // Rules (config, folders) from the default branch; the ADRs as the pull request proposes them.
  const trusted = await openRepository(deps.octokit, req.target, main.sha);
  const atHead = await openHead(deps, req, pr, trusted);
  const { store, snapshot, folder } = atHead;
  const changed = new Set((await listPullRequestFiles(deps.octokit, owner, repo, pr.number)).filter((f) => f.status !== "removed").map((f) => f.filename));
  const targets = store.adrs.filter((a) => changed.has(a.path) && (a.record.status === "proposed" || a.record.status === req.decision)).map((a) => a.path);
  if (targets.length === 0) {
    deps.log.info({ pr: pr.number, via: req.via }, "no proposed ADR in this pull request: nothing to decide");
    return req.via === "command" ? say(`This pull request adds no proposed ADR under ${inlineCode(folder)}: there is nothing to ${req.decision === "accepted" ? "accept" : "reject"}.`) : undefined;
  }

  const indexPath = `${folder}/README.md`;
  const texts = await snapshot.readFiles([...store.adrs.map((a) => a.path), indexPath]);
  const plan = decideAdrs({
    folder,
    adrs: store.adrs.map((a) => ({ path: a.path, text: texts.get(a.path)?.text ?? "", record: a.record })),
    index: texts.get(indexPath)?.text ?? null,
    targets,
    decision: req.decision,
    date: deps.now().toISOString().slice(0, 10),
  });
  const today = deps.now().toISOString().slice(0, 10);
  const pinned = req.decision === "accepted" ? await pinIssueSpecs(deps, req.target, trusted.config, snapshot, plan, today) : { files: [], lines: [] };
  const files = [...plan.files, ...pinned.files];
  const intents: Intent[] = [];
  if (files.length > 0) {
    const decided = plan.decided.map((d) => (d.number === null ? d.path : `ADR ${d.number}`)).join(", ");
    const verb = req.decision === "accepted" ? "accept" : "reject";
    intents.push({ kind: "commit", branch: pr.headRef, baseSha: pr.headSha, message: `docs(adr): ${verb} ${decided}\n\nBaton-Decision: ${req.decision} by ${req.by} (${req.via === "approval" ? "approval" : `/baton ${verb}`})`, files });
  }
  intents.push(decisionComment(req, pr, plan, pinned.lines));
  await createGitHubWriter({ octokit: deps.octokit, owner, repo, bot: deps.bot, log: deps.log }).apply(adrLifecycleStep(trusted.steps, trusted.config), intents);
}

/** The ADRs as the pull request's head has them, read with the default branch's rules. */
async function openHead(deps: RunnerDeps, req: DecisionRequest, pr: PullRequestState, trusted: OpenRepository): Promise<{ snapshot: GitHubSnapshot; store: ContextStore; folder: string }> {
  const snapshot = createGitHubSnapshot({ octokit: deps.octokit, owner: req.target.owner, repo: req.target.repo, commit: pr.headSha });
  const store = await loadContextStore(snapshot, trusted.config);
  return { snapshot, store, folder: store.adrFolder ?? trusted.store.adrFolder ?? trusted.config.folders.adr ?? "docs/adr" };
}

function decisionComment(req: DecisionRequest, pr: PullRequestState, plan: DecisionPlan, pinnedLines: string[]): Intent {
  const how = req.via === "approval" ? "approving this pull request" : `\`/baton ${req.decision === "accepted" ? "accept" : "reject"}\``;
  const lines = [`**${req.decision === "accepted" ? "Accepted" : "Rejected"}** by ${inlineCode(req.by)} (${how}):`, ""];
  for (const d of plan.decided) {
    const name = d.number === null ? "" : `ADR ${d.number}: `;
    lines.push(`- ${inlineCode(d.path)} (${name}${escapeMarkdownInline(d.title)}) now reads \`status: ${d.status}\`.`);
  }
  for (const s of plan.superseded) lines.push(`- ADR ${s.number} (${inlineCode(s.path)}) is marked superseded by ADR ${s.by}.`);
  lines.push(...pinnedLines.map((l) => `- ${l}`));
  for (const n of plan.notes) lines.push(`- ${escapeMarkdownInline(n)}`);
  lines.push(
    "",
    req.decision === "accepted"
      ? "Merging this pull request puts the decision in force on the default branch; closing it without merging leaves everything as it was."
      : "Merge this pull request to keep the rejected decision on record, or close it: a closed ADR pull request changes nothing.",
  );
  return { kind: "comment", issueNumber: pr.number, marker: hiddenMarker("adr-decision", `pr-${pr.number}`), mode: "upsert", body: lines.join("\n") };
}

async function reply(deps: RunnerDeps, req: DecisionRequest, body: string): Promise<void> {
  const writer = createGitHubWriter({ octokit: deps.octokit, owner: req.target.owner, repo: req.target.repo, bot: deps.bot, log: deps.log });
  await writer.apply(commentOnlyStep("architecture-review"), [{ kind: "comment", issueNumber: req.pullNumber, marker: hiddenMarker("reply", req.cause), mode: "once", body }]);
}
