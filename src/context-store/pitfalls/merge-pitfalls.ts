import { FIELD_LINE, fieldName, normaliseLesson, type PitfallEntry, type PitfallSource } from "./pitfall-entry.js";
import { canonicalSource, renderSource } from "./write-pitfalls.js";

/**
 * Keeping a pitfall file readable as it grows: a lesson that says nearly
 * what an entry already says is not added again; the entry gets one more
 * place it was learned in (`**Learned in:** [PR #7](…), [PR #21](…)`), and
 * its text stays as the team wrote it.
 */

/** Words that carry no lesson: left out when comparing two. */
const STOP = new Set("a an and are as at be before by can do does for from has have if in into is it its must never no not of on or should so than that the their them then there these this to use uses using when where which while will with without you your".split(" "));

function words(text: string): Set<string> {
  return new Set(normaliseLesson(text).split(" ").filter((w) => w.length > 1 && !STOP.has(w)));
}

/** How much two lessons share: the Jaccard index of their words (0 to 1). */
export function lessonSimilarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

/** At or above this, two lessons are one lesson told twice. */
export const NEAR_DUPLICATE = 0.7;

export function isNearDuplicate(a: string, b: string): boolean {
  return lessonSimilarity(a, b) >= NEAR_DUPLICATE;
}

/**
 * Where a lesson stands among a file's entries: the same lesson (same
 * stable id, or the same normalised text), nearly the same one (most of
 * its words), or new. The one rule for planning lessons and for carrying a
 * learning pull request's entries onto a newer default branch.
 */
export function matchLesson<E extends Pick<PitfallEntry, "id" | "lesson">>(entries: readonly E[], id: string, lesson: string): { same: E } | { near: E } | null {
  const key = normaliseLesson(lesson);
  const same = entries.find((e) => e.id === id || normaliseLesson(e.lesson) === key);
  if (same) return { same };
  const near = entries.find((e) => isNearDuplicate(e.lesson, lesson));
  return near ? { near } : null;
}

/**
 * The file with one more source on an entry: appended to its `Learned in`
 * line, or a `Learned in` line added at the end of the entry. A source the
 * line already names (same URL and finding) is not added twice.
 */
export function addLearnedIn(text: string, entry: Pick<PitfallEntry, "line">, source: PitfallSource): string {
  const rendered = renderSource(canonicalSource(source));
  if (!rendered) return text;
  const crlf = text.includes("\r\n");
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const start = entry.line; // 1-based heading line: the entry's body starts on the next
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    if (/^#{1,2}\s/.test(lines[i] ?? "")) {
      end = i;
      break;
    }
  }
  const out = (ls: string[]) => (crlf ? ls.join("\n").replace(/\n/g, "\r\n") : ls.join("\n"));
  for (let i = start; i < end; i++) {
    const m = FIELD_LINE.exec(lines[i] ?? "");
    if (!m?.[2] || fieldName(m[2]) !== "source") continue;
    if ((lines[i] ?? "").includes(rendered)) return text;
    lines[i] = `${(lines[i] ?? "").replace(/\s+$/, "")}, ${rendered}`;
    return out(lines);
  }
  // No source line yet: one before the entry's trailing blank lines.
  let at = end;
  while (at > start && (lines[at - 1] ?? "").trim() === "") at--;
  lines.splice(at, 0, "", `**Learned in:** ${rendered}`);
  return out(lines);
}
