import type { CarriedPitfalls } from "../context-store/pitfalls/carry-pitfall-entries.js";
import { learningUpkeepStep } from "../graph/default-steps.js";
import { carryPitfallEntriesBounded } from "../markdown/bounded-markdown.js";
import { createGitHubSnapshot } from "../snapshot/github-snapshot.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";
import { createGitHubWriter } from "../writer/github-writer.js";
import { hiddenMarker, type FileChange, type Intent } from "../writer/intents.js";
import { listOpenPullRequests, listPullRequestFiles } from "./github-port.js";
import type { RepoTarget } from "./job-request.js";
import type { OpenRepository } from "./open-repository.js";
import { reviseLearnedBody } from "./learned-pull-body.js";
import type { RunnerDeps } from "./run-job.js";
import { branchUpdateCommit, changedOnBothSides, MAX_PULLS_PER_PUSH, onlyBatonCommits, outsideWritable, standingAgainstDefault, type OpenPull } from "./update-baton-branch.js";

/** Where Baton's learning pull requests live: "Pitfalls learned from #N" and `/baton remember`. */
export const LEARNING_BRANCH_PREFIX = "baton/pitfalls/";

/**
 * After the default branch moved to `main` (its pitfalls folder changed),
 * every open learning pull request of Baton's whose pitfall files the
 * default branch changed since it branched would conflict: both appended at
 * the end of the same file. Each gets one commit on its branch that merges
 * the default branch, its entries carried after the default branch's (those
 * the default branch already holds left out, and said); one with nothing
 * left to add is closed, saying why; the body of one brought up to date
 * strikes the entries left out (ADR 0020). A pull request with files outside the
 * pitfalls folder, or with commits Baton did not make (a person edited it),
 * is only told.
 */
export async function keepLearningPullRequestsCurrent(deps: RunnerDeps, target: RepoTarget, repo: OpenRepository, main: { sha: string; branch: string }): Promise<void> {
  const step = learningUpkeepStep(repo.steps);
  const pulls = (await listOpenPullRequests(deps.octokit, target.owner, target.repo, main.branch))
    .filter((p) => p.headRef.startsWith(LEARNING_BRANCH_PREFIX) && p.author.toLowerCase() === deps.bot.login.toLowerCase())
    .slice(0, MAX_PULLS_PER_PUSH);
  const writer = createGitHubWriter({ octokit: deps.octokit, owner: target.owner, repo: target.repo, bot: deps.bot, log: deps.log });
  for (const pull of pulls) {
    const intents = await upkeep(deps, target, repo, main, pull, step);
    if (intents.length) await writer.apply(step, intents);
  }
}

async function upkeep(deps: RunnerDeps, target: RepoTarget, repo: OpenRepository, main: { sha: string; branch: string }, pull: OpenPull, step: ReturnType<typeof learningUpkeepStep>): Promise<Intent[]> {
  const standing = await standingAgainstDefault(deps.octokit, target, pull, main.sha);
  if (!standing.behind) return [];
  const files = await listPullRequestFiles(deps.octokit, target.owner, target.repo, pull.number);
  const paths = files.map((f) => f.filename);
  // GitHub merges what the default branch did not touch; past its listing limit, every file is looked at.
  const touched = changedOnBothSides(paths, standing) ?? paths;
  if (touched.length === 0) return [];

  const tell = (why: string): Intent[] => [comment(pull, `Baton did not bring this branch up to date with ${inlineCode(main.branch)}, which changed the same pitfall files since it was opened: ${why}. Merge ${inlineCode(main.branch)} into it by hand, keeping ${inlineCode(main.branch)}'s entries and adding this pull request's after them.`)];
  const outside = [...outsideWritable(paths, step), ...files.filter((f) => f.status === "removed" || f.status === "renamed").map((f) => f.filename)];
  if (outside.length) return tell(`it changes more than entries of the pitfalls folder (${outside.slice(0, 10).map(inlineCode).join(", ")})`);
  if (!(await onlyBatonCommits(deps.octokit, target, pull, main.sha, deps.bot))) return tell("someone other than Baton pushed to it, and Baton never rewrites a person's work");

  const at = (commit: string) => createGitHubSnapshot({ octokit: deps.octokit, owner: target.owner, repo: target.repo, commit });
  const [base, head, onMain] = await Promise.all([at(standing.mergeBase).readFiles(touched), at(pull.headSha).readFiles(paths), repo.snapshot.readFiles(touched)]);
  const text = (m: Map<string, { text: string | null }>, p: string) => m.get(p)?.text ?? null;
  const carried = await carryPitfallEntriesBounded(touched.map((p) => ({ path: p, base: text(base, p), head: text(head, p), main: text(onMain, p) })));
  if (!carried.ok) return tell(escapeMarkdownInline(carried.reason));

  const left = carried.value.filter((c) => c.content !== text(onMain, c.path));
  if (left.length === 0 && touched.length === paths.length) {
    deps.log.info({ pr: pull.number }, "learning pull request has nothing left to add: closed");
    return [comment(pull, [`Everything this pull request proposed is on ${inlineCode(main.branch)} now, so Baton closed it:`, "", ...droppedLines(carried.value)].join("\n")), { kind: "close-pull-request", pullNumber: pull.number }];
  }
  const byPath = new Map(carried.value.map((c) => [c.path, c.content]));
  const kept: FileChange[] = paths.map((p) => ({ path: p, content: byPath.has(p) ? byPath.get(p)! : text(head, p) }));
  const message = `docs(pitfalls): merge ${main.branch}, carrying the entries of #${pull.number} after its own\n\nBaton-Step: learning@${step.version}\nBaton-Context: ${main.sha}`;
  const intents: Intent[] = [branchUpdateCommit(pull, message, kept, main.sha)];
  // The body is what a reviewer reads before merging: an entry left out must not still be listed as new there.
  const body = reviseLearnedBody(pull.body, carried.value, main.branch);
  if (body !== pull.body) intents.push({ kind: "pull-request", head: pull.headRef, base: main.branch, title: pull.title, body });
  const said = droppedLines(carried.value);
  if (said.length) {
    intents.push(comment(pull, [`**Brought up to date** with ${inlineCode(main.branch)}, which learned some of the same lessons since this pull request was opened. One commit on this branch merges ${inlineCode(main.branch)} and adds this pull request's entries after its own, except:`, "", ...said].join("\n")));
  }
  deps.log.info({ pr: pull.number, files: touched, dropped: said.length }, "learning pull request brought up to date");
  return intents;
}

function comment(pull: OpenPull, body: string): Intent {
  return { kind: "comment", issueNumber: pull.number, marker: hiddenMarker("learned-update", `pr-${pull.number}`), mode: "upsert", body };
}

/** What the default branch already holds, entry by entry. */
function droppedLines(carried: CarriedPitfalls[]): string[] {
  const name = (e: { id: string; title: string }) => `${escapeMarkdownInline(e.title)} (${inlineCode(e.id)})`;
  return carried.flatMap((c) => [
    ...c.dropped.map((d) => `- ${inlineCode(c.path)}: ${name(d)}: ${d.gone ? "the entry is no longer on the default branch" : `already learned${d.learnedIn !== null ? ` in #${d.learnedIn}` : ""}, on the default branch`}; left out.`),
    ...c.merged.map((m) => `- ${inlineCode(c.path)}: ${name(m)} says nearly what ${name(m.into)} on the default branch says: this pull request is added where that entry was learned instead.`),
  ]);
}
