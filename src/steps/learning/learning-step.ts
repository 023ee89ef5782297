import { appendPitfallBounded } from "../../markdown/bounded-markdown.js";
import { pitfallPath } from "../../context-store/pitfalls/pitfall-entry.js";
import type { ResolvedContext } from "../../graph/resolve-context.js";
import type { RepoSnapshot } from "../../snapshot/repo-snapshot.js";
import { sanitizeUntrusted } from "../../util/untrusted-text.js";
import { inlineCode } from "../../util/posted-text.js";
import { hiddenMarker, type FileChange, type Intent } from "../../writer/intents.js";
import { neutraliseModelText } from "../../writer/neutralise-model-text.js";
import type { WriteResult } from "../../writer/write-result.js";
import { stepTrailers } from "../pull-request-body.js";
import { ZERO_USAGE, type RepoRef, type StepOutcome } from "../step-types.js";

export interface LearningInput {
  context: ResolvedContext;
  snapshot: RepoSnapshot;
  repo: RepoRef;
  lesson: string;
  /** Modules the lesson belongs to (named with --module, else the PR's changed modules). */
  modules: string[];
  source: { url?: string; pr?: number };
  today: string;
  /** Where to answer (the PR or issue the command was given on); null in local mode. */
  replyTo: number | null;
  pitfallsFolder: string;
}

/**
 * Learning: a lesson a maintainer states becomes a pitfall entry in each
 * module's file. No model call: the maintainer's words are the lesson, so
 * the cost is zero and nothing is paraphrased away. The same lesson twice
 * is one entry (ids derive from the normalised text).
 */
export async function runLearningStep(input: LearningInput): Promise<StepOutcome> {
  const lesson = neutraliseModelText(sanitizeUntrusted(input.lesson));
  const [why, body] = splitWhy(lesson);
  const paths = input.modules.map((m) => pitfallPath(input.pitfallsFolder, m));
  const current = await input.snapshot.readFiles(paths);
  const files: FileChange[] = [];
  const ids: string[] = [];
  for (const [i, module] of input.modules.entries()) {
    const path = paths[i]!;
    // The lesson and the file are markdown from people: parsed in the bounded worker, never here.
    const appended = await appendPitfallBounded(path, current.get(path)?.text ?? null, module, { lesson: body, why, source: input.source, date: input.today });
    if (!appended.ok) return refused(input, appended.reason);
    const result = appended.value;
    ids.push(result.id);
    if (result.added) files.push({ path, content: result.content });
  }
  const key = `${input.source.pr ?? "local"}-${ids[0] ?? "none"}`;
  if (files.length === 0) {
    const intents: Intent[] = input.replyTo
      ? [{ kind: "comment", issueNumber: input.replyTo, marker: hiddenMarker("remember", key), mode: "once", body: `This lesson is already recorded in ${paths.map((p) => inlineCode(p)).join(", ")}.` }]
      : [];
    return { intents, title: "Already recorded", summary: `The lesson is already in ${paths.join(", ")}.`, conclusion: "neutral", usage: ZERO_USAGE, model: "none" };
  }
  const branch = `baton/pitfalls/${key}`;
  const title = `Pitfall: ${body.split(/\n/)[0]!.slice(0, 80)}`;
  const trailers = stepTrailers("learning", input.context, {});
  const intents: Intent[] = [
    { kind: "commit", branch, baseSha: input.context.manifest.commit, message: `docs(pitfalls): ${body.split(/\n/)[0]!.slice(0, 60)}\n\n${trailers}`, files },
    {
      kind: "pull-request",
      head: branch,
      base: input.repo.defaultBranch,
      title,
      body: `Records a lesson as a pitfall in ${files.map((f) => inlineCode(f.path)).join(", ")}${input.source.url ? `, learned in ${input.source.url}` : ""}.\n\nOnce merged, the dev and review steps read it for these modules.\n\n${trailers}`,
    },
  ];
  const followUp = input.replyTo
    ? (results: WriteResult[]): Intent[] => {
        const pr = results.find((r) => r.kind === "pull-request");
        return [{ kind: "comment", issueNumber: input.replyTo!, marker: hiddenMarker("remember", key), mode: "upsert", body: `Baton proposed this lesson as a pitfall: ${pr && "url" in pr ? pr.url : `branch ${inlineCode(branch)}`}` }];
      }
    : undefined;
  return { intents, followUp, title, summary: `Pitfall proposed on ${inlineCode(branch)} for ${input.modules.map((m) => inlineCode(m)).join(", ")}.`, conclusion: "success", usage: ZERO_USAGE, model: "none" };
}

/** A lesson that could not be read within the markdown limits: nothing is written, and the reply says why. */
function refused(input: LearningInput, reason: string): StepOutcome {
  const intents: Intent[] = input.replyTo
    ? [{ kind: "comment", issueNumber: input.replyTo, marker: hiddenMarker("remember", `${input.source.pr ?? "local"}-refused`), mode: "upsert", body: `Baton did not record this lesson: ${reason}. Shorten it and ask again.` }]
    : [];
  return { intents, title: "Lesson not recorded", summary: reason, conclusion: "neutral", usage: ZERO_USAGE, model: "none" };
}

/** "lesson … because why" → the why-it-matters part, when the maintainer gave one. */
export function splitWhy(lesson: string): [string | null, string] {
  const m = /^([\s\S]+?)\s+(?:because|since|—|--)\s+([\s\S]+)$/i.exec(lesson);
  return m ? [m[2]!.trim(), m[1]!.trim()] : [null, lesson.trim()];
}
