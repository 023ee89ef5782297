import { addLearnedIn, matchLesson } from "../../context-store/pitfalls/merge-pitfalls.js";
import { parsePitfalls } from "../../context-store/pitfalls/parse-pitfalls.js";
import { normaliseLesson, pitfallId, pitfallPath, type PitfallSource } from "../../context-store/pitfalls/pitfall-entry.js";
import { appendPitfall, canonicalPitfallText, pitfallTitle } from "../../context-store/pitfalls/write-pitfalls.js";

/**
 * What a merged pull request teaches, as changes to the pitfall files: the
 * lessons of the review findings it fixed, and the `/baton remember`
 * lessons given on it. For each lesson and module:
 * - the same lesson (same stable id, or the same normalised text) already
 *   in the file, or already planned: nothing added;
 * - nearly the same lesson (most of its words): the existing entry gets
 *   this pull request as one more place it was learned in;
 * - otherwise a new entry, citing the pull request and the finding.
 * Past `cap` entries in a module, the plan proposes merging its oldest.
 * Pure: texts in, texts out.
 */

export interface Lesson {
  lesson: string;
  why?: string | null;
  modules: string[];
  source: PitfallSource & { pr: number };
  origin: "finding" | "remember";
  /** What it is about, for the pull request body (a finding's title). */
  about?: string;
}

export interface ModulePlan {
  module: string;
  path: string;
  /** The file after the plan; equal to `before` when nothing changes. */
  content: string;
  before: string | null;
  added: { id: string; title: string; lesson: Lesson }[];
  merged: { id: string; title: string; lesson: Lesson }[];
  known: { id: string; title: string; lesson: Lesson }[];
  /** Set when the module has more entries than the cap: its oldest, to merge. */
  overCap?: { count: number; cap: number; oldest: { id: string; title: string; date: string | null }[] };
}

export function planLearnedPitfalls(input: { folder: string; files: ReadonlyMap<string, string | null>; lessons: readonly Lesson[]; date: string; cap: number }): ModulePlan[] {
  const plans = new Map<string, ModulePlan>();
  for (const lesson of input.lessons) {
    const text = canonicalPitfallText(lesson.lesson);
    if (normaliseLesson(text) === "") continue;
    for (const module of lesson.modules) {
      const path = pitfallPath(input.folder, module);
      const before = input.files.get(module) ?? null;
      const plan = plans.get(module) ?? { module, path, content: before ?? "", before, added: [], merged: [], known: [] };
      plans.set(module, plan);
      const entries = plan.content.trim() === "" ? [] : parsePitfalls(path, plan.content).entries;
      const id = pitfallId(text);
      const match = matchLesson(entries, id, text);
      if (match && "same" in match) {
        plan.known.push({ id: match.same.id, title: match.same.title, lesson });
        continue;
      }
      if (match) {
        plan.content = addLearnedIn(plan.content, match.near, lesson.source);
        plan.merged.push({ id: match.near.id, title: match.near.title, lesson });
        continue;
      }
      const appended = appendPitfall(plan.content, module, { lesson: text, why: lesson.why ?? null, source: lesson.source, date: input.date });
      plan.content = appended.content;
      plan.added.push({ id: appended.id, title: pitfallTitle(text), lesson });
    }
  }
  for (const plan of plans.values()) {
    const entries = plan.content.trim() === "" ? [] : parsePitfalls(plan.path, plan.content).entries;
    if (entries.length > input.cap) {
      // The file is a log, oldest first: merging starts at the top.
      const excess = entries.length - input.cap + 1;
      plan.overCap = { count: entries.length, cap: input.cap, oldest: entries.slice(0, Math.max(2, excess)).map((e) => ({ id: e.id, title: e.title, date: e.date })) };
    }
  }
  return [...plans.values()].sort((a, b) => (a.module < b.module ? -1 : 1));
}
