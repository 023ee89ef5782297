import { indexChange } from "../context-store/adr/decide-adrs.js";
import { numberFromFileName } from "../context-store/adr/adr-numbering.js";
import type { AdrMetadata } from "../context-store/adr/adr-record.js";
import { isAdrFileName } from "../context-store/adr/adr-file-names.js";
import { readAdrMetadata } from "../context-store/adr/read-adr-metadata.js";
import { renumberPullRequestAdrs, type RenumberPlan } from "../context-store/adr/renumber-adrs.js";
import { adrLifecycleStep } from "../graph/default-steps.js";
import { createGitHubSnapshot } from "../snapshot/github-snapshot.js";
import { inlineCode } from "../util/posted-text.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker, type FileChange, type Intent } from "../writer/intents.js";
import { listOpenPullRequests, listPullRequestFiles } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";
import type { OpenRepository } from "./open-repository.js";
import type { RunnerDeps } from "./run-job.js";
import { branchUpdateCommit, changedOnBothSides, MAX_PULLS_PER_PUSH, outsideWritable, standingAgainstDefault, type OpenPull } from "./update-baton-branch.js";

/**
 * After the default branch moved to `main` (its ADR folder changed), every
 * open ADR pull request whose ADR number is now taken gets the next free
 * one, in one commit on its branch that also merges the default branch (so
 * it stays mergeable: the index both sides regenerated would conflict), and a
 * comment saying so. A pull request whose index alone is stale gets the merge
 * and a fresh index, without a comment. A pull request that conflicts with
 * the default branch elsewhere, or changes files outside the ADR folder and
 * the pinned specs, is only told: Baton never resolves a person's conflict.
 */
export async function keepAdrPullRequestsNumbered(deps: RunnerDeps, target: RepoTarget, repo: OpenRepository, main: { sha: string; branch: string }): Promise<void> {
  const folder = repo.store.adrFolder;
  if (!folder) return;
  const step = adrLifecycleStep(repo.steps, repo.config);
  const pulls = (await listOpenPullRequests(deps.octokit, target.owner, target.repo, main.branch)).slice(0, MAX_PULLS_PER_PUSH);

  // Each ADR pull request's files and the numbers it adds, before anything is renumbered.
  const adrPulls: { pull: OpenPull; files: Awaited<ReturnType<typeof listPullRequestFiles>> }[] = [];
  const held = new Map<number, number[]>();
  for (const pull of pulls) {
    const files = await listPullRequestFiles(deps.octokit, target.owner, target.repo, pull.number);
    const added = files.filter((f) => f.status === "added" && isInFolder(folder, f.filename) && numberFromFileName(f.filename) !== null);
    if (added.length === 0) continue;
    adrPulls.push({ pull, files });
    held.set(pull.number, added.map((f) => numberFromFileName(f.filename)!));
  }

  const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, log: deps.log });
  const indexPath = `${folder}/README.md`;
  for (const { pull, files } of adrPulls) {
    const reserved = [...held].filter(([n]) => n !== pull.number).flatMap(([, numbers]) => numbers);
    const head = createGitHubSnapshot({ octokit: deps.octokit, owner: target.owner, repo: target.repo, commit: pull.headSha });
    const texts = await head.readFiles(files.map((f) => f.filename));
    const plan = renumberPullRequestAdrs({
      folder,
      onMain: repo.store.adrs.map((a) => a.record),
      reserved,
      files: files.map((f) => ({ path: f.filename, added: f.status === "added", text: f.status === "removed" ? null : (texts.get(f.filename)?.text ?? "") })),
    });
    const standing = await standingAgainstDefault(deps.octokit, target, pull, main.sha);
    const both = changedOnBothSides(files.map((f) => f.filename), standing);
    const staleIndex = standing.behind && files.some((f) => f.filename === indexPath) && (both === null || both.includes(indexPath));
    if (plan.renames.length === 0 && !staleIndex) {
      held.set(pull.number, plan.numbers);
      continue;
    }
    const conflicts = both === null ? ["(more than 300 files changed on the default branch)"] : both.filter((p) => p !== indexPath);
    const outside = outsideWritable(files.map((f) => f.filename), step);
    if (conflicts.length > 0 || outside.length > 0) {
      await writer.apply(step, [blockedComment(pull, plan, conflicts, outside)]);
      continue;
    }
    held.set(pull.number, plan.numbers);
    const intents = renumberIntents({ pull, plan, folder, indexPath, onMain: repo.store.adrs.map((a) => a.record), prIndex: texts.get(indexPath)?.text ?? null, mergeWith: standing.behind ? main.sha : undefined, mainBranch: main.branch });
    await writer.apply(step, intents);
    deps.log.info({ pr: pull.number, renames: plan.renames.map((r) => `${r.fromNumber}→${r.toNumber}`), merged: standing.behind }, "ADR pull request renumbered");
  }
}

function isInFolder(folder: string, path: string): boolean {
  const rest = path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : null;
  return rest !== null && !rest.includes("/") && isAdrFileName(rest);
}

function renumberIntents(args: {
  pull: OpenPull;
  plan: RenumberPlan;
  folder: string;
  indexPath: string;
  onMain: readonly AdrMetadata[];
  prIndex: string | null;
  mergeWith: string | undefined;
  mainBranch: string;
}): Intent[] {
  const { pull, plan, folder, indexPath } = args;
  const files: FileChange[] = plan.files.filter((f) => f.path !== indexPath);
  // Renamed files leave their old path (a no-op in a merge, where the base tree never had it).
  for (const r of plan.renames) files.push({ path: r.from, content: null });
  const prAdrs = files.filter((f) => f.content !== null && isInFolder(args.folder, f.path)).map((f) => readAdrMetadata(f.path.slice(folder.length + 1), f.content!).metadata);
  const records = [...args.onMain.filter((a) => !prAdrs.some((p) => p.file === a.file)), ...prAdrs];
  const index = indexChange(folder, records, args.prIndex);
  if (index.change) files.push(index.change);
  const what = plan.renames.length ? `renumber ${plan.renames.map((r) => `ADR ${r.fromNumber} to ${r.toNumber}`).join(", ")}` : "update the ADR index";
  const message = `docs(adr): ${what}${args.mergeWith ? `, merging ${args.mainBranch}` : ""}\n\nBaton-Renumbered: ${plan.renames.map((r) => `${r.from} -> ${r.to}`).join(", ") || "none"}`;
  const intents: Intent[] = [branchUpdateCommit(pull, message, files, args.mergeWith)];
  if (plan.renames.length === 0) return intents;

  let title = pull.title;
  let body = pull.body;
  for (const r of plan.renames) {
    title = title.replace(new RegExp(`^ADR 0*${r.fromNumber}:`), `ADR ${r.toNumber}:`);
    body = body.split(r.from).join(r.to);
  }
  intents.push({ kind: "pull-request", head: pull.headRef, base: args.mainBranch, title, body });
  const lines = plan.renames.map((r) => `- ADR ${r.fromNumber} is now taken on ${inlineCode(args.mainBranch)}: ${inlineCode(r.from)} is now **ADR ${r.toNumber}**, ${inlineCode(r.to)}.`);
  intents.push({
    kind: "comment",
    issueNumber: pull.number,
    marker: hiddenMarker("adr-renumbered", `pr-${pull.number}`),
    mode: "upsert",
    body: [
      "**Renumbered**, so that no two ADRs share a number:",
      "",
      ...lines,
      "",
      `One commit on this branch renames the file and updates its links and the index${args.mergeWith ? `, and merges ${inlineCode(args.mainBranch)} so the index does not conflict` : ""}.`,
    ].join("\n"),
  });
  return intents;
}

function blockedComment(pull: OpenPull, plan: RenumberPlan, conflicts: string[], outside: string[]): Intent {
  const why = [
    ...(conflicts.length ? [`it changes files the default branch changed too (${conflicts.map(inlineCode).join(", ")})`] : []),
    ...(outside.length ? [`it changes files outside the ADR folder (${outside.slice(0, 10).map(inlineCode).join(", ")})`] : []),
  ].join(", and ");
  const taken = plan.renames.map((r) => `ADR ${r.fromNumber} (${inlineCode(r.from)}) should become ADR ${r.toNumber}`);
  const what = taken.length ? `${taken.join("; ")}, but` : "The ADR index here is out of date, but";
  return {
    kind: "comment",
    issueNumber: pull.number,
    marker: hiddenMarker("adr-renumbered", `pr-${pull.number}`),
    mode: "upsert",
    body: `${what} Baton did not change this branch: ${why}. Merge the default branch and rename the file by hand (\`baton adr index\` regenerates the index).`,
  };
}
