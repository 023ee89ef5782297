import { createHash } from "node:crypto";

/**
 * A pitfall: one lesson about one module, with where and when it was learned.
 * `docs/pitfalls/<module>.md` holds one `## <title>` entry per lesson:
 *
 *     # Pitfalls: payments
 *
 *     ## Retries need an idempotency key
 *     <!-- baton:pitfall id=pf-3f2a9c0d1b7e -->
 *
 *     The HTTP client retries POSTs on timeout ...
 *
 *     **Why it matters:** a customer can be charged twice.
 *
 *     **Learned in:** [PR #123](https://github.com/o/r/pull/123#discussion_r9)
 *
 *     **When:** 2024-05-01
 *
 * The hidden marker carries an id derived from the lesson's normalised text,
 * so the same lesson is recorded once, and the id stays when the wording is
 * later edited by hand. Entries written by hand, without a marker or fields,
 * are read too.
 */

export interface PitfallSource {
  /** Review comment or pull request URL. */
  url?: string;
  /** Pull request number. */
  pr?: number;
  /** The review finding it was learned from (its short id), when it came from one. */
  finding?: string;
}

export interface PitfallEntry {
  /** `pf-<12 hex>`: from the marker, or derived from the lesson text for hand-written entries. */
  id: string;
  title: string;
  /** The lesson, as markdown. */
  lesson: string;
  why: string | null;
  source: PitfallSource;
  /** As written (Baton writes `YYYY-MM-DD`); null when absent. */
  date: string | null;
  /** True when the entry carries Baton's marker. */
  marked: boolean;
  /** 1-based line of the entry's heading. */
  line: number;
}

export interface PitfallFile {
  path: string;
  module: string;
  entries: PitfallEntry[];
  /** Problems met while reading; never thrown. */
  warnings: string[];
}

export interface NewPitfall {
  lesson: string;
  /** Short heading; derived from the lesson's first sentence when absent. */
  title?: string;
  why?: string | null;
  source?: PitfallSource;
  /** `YYYY-MM-DD`. */
  date: string;
}

export const PITFALL_MARKER = /<!--\s*baton:pitfall\s+id=(pf-[0-9a-z]+)\s*-->/;

export function pitfallMarker(id: string): string {
  return `<!-- baton:pitfall id=${id} -->`;
}

/** Field labels, bold as Baton writes them (`**When:**` or `**When**:`), optionally as a bullet. */
export const FIELD_LINE =
  /^\s{0,3}(?:[-*+]\s+)?(\*\*|__)(why it matters|why|learned in|learned from|source|when|date)(?::\s*\1|\1\s*:)[ \t]*(.*)$/i;

export type FieldName = "why" | "source" | "date";

export function fieldName(label: string): FieldName {
  const l = label.toLowerCase();
  if (l.startsWith("why")) return "why";
  if (l === "when" || l === "date") return "date";
  return "source";
}

/**
 * Lowercase, accents and width folded, punctuation and markdown symbols
 * removed, whitespace folded: two wordings that differ only in these are the
 * same lesson.
 */
export function normaliseLesson(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Stable id of a lesson: `pf-` and 12 hex digits of the SHA-256 of its normalised text. */
export function pitfallId(lesson: string): string {
  return `pf-${createHash("sha256").update(normaliseLesson(lesson)).digest("hex").slice(0, 12)}`;
}

/** A file name from the module name; characters a path cannot safely hold become `-`. */
export function pitfallPath(folder: string, module: string): string {
  const dir = folder.replace(/\/+$/, "") || ".";
  const name = module.trim().replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^\.+/, "") || "module";
  return `${dir}/${name}.md`;
}

/** The module a pitfall file belongs to: its file name without `.md`. */
export function moduleFromPitfallPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.(md|markdown)$/i, "");
}

/** PR number from a GitHub pull request URL (`.../pull/12`, `.../pull/12#discussion_r3`). */
export function prFromUrl(url: string): number | undefined {
  const m = /\/pulls?\/(\d+)(?:[/?#]|$)/.exec(url);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}
