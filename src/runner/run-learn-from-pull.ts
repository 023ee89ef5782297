import { parseBatonCommand } from "../app/baton-command.js";
import { hasWriteAccess } from "../app/write-access.js";
import { buildModuleMap, modulesForPaths, type ModuleMap } from "../config/module-map.js";
import { isStepEnabled } from "../graph/default-steps.js";
import type { Lesson, ModulePlan } from "../steps/learning/learned-pitfalls.js";
import { learnedBody } from "./learned-pull-body.js";
import { planLearnedPitfallsBounded } from "../markdown/bounded-markdown.js";
import { splitWhy } from "../steps/learning/learning-step.js";
import { parseReviewState, SUMMARY_MARKER } from "../steps/review/review-state.js";
import { escapeMarkdownInline, inlineCode } from "../util/posted-text.js";
import { sanitizeUntrusted } from "../util/untrusted-text.js";
import { hiddenMarker, type Intent } from "../writer/intents.js";
import { neutraliseModelText } from "../writer/neutralise-model-text.js";
import type { WriteResult } from "../writer/write-result.js";
import { findCommentByMarker, getDefaultBranchHead, getPullRequest, listPullRequestFiles, type PullRequestState } from "./github-port.js";
import type { JobRequest } from "./job-request.js";
import { openRepository } from "./open-repository.js";
import type { RunnerDeps } from "./run-job.js";
import { writeOutcome } from "./step-harness.js";
import { ZERO_USAGE } from "../steps/step-types.js";

type LearnRequest = Extract<JobRequest, { kind: "learn-from-pull" }>;

/**
 * Learning from a closed pull request, in ONE pull request "Pitfalls
 * learned from #N": on merge, the `lesson` of every review finding the pull
 * request fixed before merging (resolved, not dismissed); and, merged or
 * not, every `/baton remember` a person with write access gave on it. Each
 * entry cites the pull request and, for a finding, the finding's id. No
 * model is called.
 */
export async function runLearnFromPull(req: LearnRequest, deps: RunnerDeps): Promise<void> {
  const { owner, repo } = req.target;
  const pr = await getPullRequest(deps.octokit, owner, repo, req.pullNumber);
  const main = await getDefaultBranchHead(deps.octokit, owner, repo);
  const state = await openRepository(deps.octokit, req.target, main.sha);
  if (!isStepEnabled(state.config, "learning")) return;
  const map = buildModuleMap(state.config, (await state.snapshot.listFiles()).map((f) => f.path));
  const changedModules = async () => modulesForPaths(map, (await listPullRequestFiles(deps.octokit, owner, repo, pr.number)).map((f) => f.filename));

  const lessons: Lesson[] = [];
  if (req.merged && state.config.learning.fromFindings) lessons.push(...(await fixedFindingLessons(deps, req, pr, map)));
  lessons.push(...(await rememberedLessons(deps, req, pr, map, changedModules)));
  if (lessons.length === 0) {
    deps.log.info({ pr: pr.number }, "nothing learned from this pull request");
    return;
  }

  const modules = [...new Set(lessons.flatMap((l) => l.modules))];
  const paths = new Map(modules.map((m) => [m, state.store.pitfallPaths.get(m)?.path]));
  const texts = await state.snapshot.readFiles([...paths.values()].filter((p): p is string => Boolean(p)));
  const files = new Map(modules.map((m) => [m, paths.get(m) ? (texts.get(paths.get(m)!)?.text ?? null) : null]));
  // The pitfall files are markdown anyone who can commit writes: planned in the bounded worker.
  const planned = await planLearnedPitfallsBounded({ folder: state.config.folders.pitfalls, files, lessons, date: deps.now().toISOString().slice(0, 10), cap: state.config.learning.maxEntriesPerModule });
  const step = state.steps.learning;
  const marker = hiddenMarker("learned", `pr-${pr.number}`);
  const say = (body: string) => writeOutcome(req.target, step, { intents: [{ kind: "comment", issueNumber: pr.number, marker, mode: "upsert", body }], title: "", summary: "", conclusion: "neutral", usage: ZERO_USAGE, model: "none" }, deps);
  if (!planned.ok) return void (await say(`Baton could not propose what this pull request taught: ${escapeMarkdownInline(planned.reason)}`));
  const plans = planned.value.plans;
  const leftOut = planned.value.leftOut;
  const changed = plans.filter((p) => p.content !== (p.before ?? ""));
  if (changed.length === 0) {
    await say([`The lessons of this pull request are already recorded:`, "", ...knownLines(plans), ...leftOut.map((r) => `- ${escapeMarkdownInline(r)}`)].join("\n"));
    return;
  }
  const branch = `baton/pitfalls/learned-${pr.number}`;
  const title = `Pitfalls learned from #${pr.number}`;
  const trailer = `Baton-Step: learning@${step.version}\nBaton-Context: ${main.sha}\nBaton-Learned-From: #${pr.number}`;
  const intents: Intent[] = [
    { kind: "commit", branch, baseSha: main.sha, message: `docs(pitfalls): ${title.toLowerCase()}\n\n${trailer}`, files: changed.map((p) => ({ path: p.path, content: p.content })) },
    { kind: "pull-request", head: branch, base: main.branch, title, body: learnedBody(pr, plans, leftOut, trailer) },
  ];
  const followUp = (results: WriteResult[]): Intent[] => {
    const opened = results.find((r) => r.kind === "pull-request");
    const link = opened && "url" in opened ? opened.url : `branch ${inlineCode(branch)}`;
    const added = changed.reduce((n, p) => n + p.added.length + p.merged.length, 0);
    return [{ kind: "comment", issueNumber: pr.number, marker, mode: "upsert", body: `Baton proposed what this pull request taught (${added} ${added === 1 ? "lesson" : "lessons"}) as pitfalls: ${link}` }];
  };
  await writeOutcome(req.target, step, { intents, followUp, title, summary: "", conclusion: "success", usage: ZERO_USAGE, model: "none" }, deps);
}

/** The lessons of the findings the pull request fixed (resolved by a push or a later review, not dismissed). */
async function fixedFindingLessons(deps: RunnerDeps, req: LearnRequest, pr: PullRequestState, map: ModuleMap): Promise<Lesson[]> {
  const summary = await findCommentByMarker(deps.octokit, req.target.owner, req.target.repo, pr.number, SUMMARY_MARKER, deps.bot);
  const out: Lesson[] = [];
  for (const f of parseReviewState(summary ?? "")?.findings ?? []) {
    if (f.status !== "resolved" || !f.lesson) continue;
    const modules = modulesForPaths(map, [f.path]);
    // The lesson is the model's words: no markup of its own, no pings.
    out.push({ lesson: neutraliseModelText(sanitizeUntrusted(f.lesson)), modules: modules.length ? modules : ["general"], source: { pr: pr.number, url: pr.htmlUrl, finding: f.id }, origin: "finding", about: f.title });
  }
  return out;
}

/** `/baton remember` comments on the pull request by people who may write (checked again now: access can change). */
async function rememberedLessons(deps: RunnerDeps, req: LearnRequest, pr: PullRequestState, map: ModuleMap, changedModules: () => Promise<string[]>): Promise<Lesson[]> {
  const { owner, repo } = req.target;
  const comments = await deps.octokit.paginate(deps.octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 });
  const writers = new Map<string, boolean>();
  const known = new Set(map.modules.map((m) => m.name));
  const out: Lesson[] = [];
  for (const c of comments) {
    const login = c.user?.login ?? "";
    const command = c.user?.type === "Bot" ? null : parseBatonCommand(c.body ?? "");
    if (command?.name !== "remember" || !command.lesson) continue;
    if (!writers.has(login)) writers.set(login, await hasWriteAccess(deps.octokit, owner, repo, login));
    if (!writers.get(login)) continue;
    // An unknown module was refused when the command was given: nothing to learn from it.
    if (command.module && !known.has(command.module) && command.module !== "general") continue;
    const modules = command.module ? [command.module] : await changedModules();
    const [why, lesson] = splitWhy(neutraliseModelText(sanitizeUntrusted(command.lesson)));
    out.push({ lesson, why, modules: modules.length ? modules : ["general"], source: { pr: pr.number, url: c.html_url }, origin: "remember" });
  }
  return out;
}

function knownLines(plans: ModulePlan[]): string[] {
  return plans.flatMap((p) => p.known.map((k) => `- ${inlineCode(p.path)}: ${escapeMarkdownInline(k.title)} (${inlineCode(k.id)})`));
}

