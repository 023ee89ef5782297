/**
 * Markdown from repositories, issues and comments is parsed here, and only
 * here: under a size cap, then in the worker pool under a time limit, never
 * on the main thread. The remark parser is quadratic on some inputs (32 KB
 * of `*a_` takes seconds, 1 MB of nested `> - ` minutes), and anyone who
 * can commit or comment can write them. An input over a limit comes back as
 * a reason that names it and the limit; the caller goes on without it.
 */
import type { AdrRecord } from "../context-store/adr/adr-record.js";
import type { AdrDraft } from "../context-store/adr/write-adr.js";
import type { AppendResult } from "../context-store/pitfalls/write-pitfalls.js";
import type { NewPitfall, PitfallFile } from "../context-store/pitfalls/pitfall-entry.js";
import type { MarkdownTask, MarkdownTaskName } from "./markdown-tasks.js";
import type { planLearnedPitfalls } from "../steps/learning/learned-pitfalls.js";
import type { CarriedPitfalls, PitfallFileSides } from "../context-store/pitfalls/carry-pitfall-entries.js";
import { TimeLimitError, WorkerPool } from "./worker-pool.js";

export interface MarkdownLimit {
  /** What the input is, plural, in messages ("ADRs", "pitfall files", "lessons"). */
  what: string;
  /** Largest input read, in characters. */
  maxChars: number;
  /** Longest a parse may take, once it has started, in milliseconds. */
  timeLimitMs: number;
}

/**
 * The limits. Real ADRs are 1 to 25 KB and pitfall files grow by a few KB a
 * lesson; a lesson is a comment of a few sentences. A real parse of the
 * largest input allowed takes well under a second on a loaded machine.
 */
export const MARKDOWN_LIMITS = {
  adr: { what: "ADRs", maxChars: 128 * 1024, timeLimitMs: 3000 },
  pitfalls: { what: "pitfall files", maxChars: 1024 * 1024, timeLimitMs: 3000 },
  lesson: { what: "lessons", maxChars: 8 * 1024, timeLimitMs: 3000 },
} as const satisfies Record<string, MarkdownLimit>;

export type Bounded<T> = { ok: true; value: T } | { ok: false; reason: string };

let pool: WorkerPool | null = null;
function markdownPool(): WorkerPool {
  const entry = new URL(import.meta.url.endsWith(".ts") ? "./markdown-worker.ts" : "./markdown-worker.js", import.meta.url);
  return (pool ??= new WorkerPool(entry));
}

/** Ends the worker threads (tests, shutdown). A later call starts new ones. */
export async function closeMarkdownPool(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.close();
}

/** Sizes in KB (of characters), to a tenth: a text just over a limit never reads as equal to it. */
function kilobytes(chars: number): string {
  const kb = chars / 1024;
  return `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB`;
}

/** The size check alone, for callers that must refuse an input before any work (the fast ADR tier runs on the main thread). */
export function overSizeLimit(name: string, text: string, limit: MarkdownLimit): string | null {
  return text.length > limit.maxChars
    ? `${name}: ${kilobytes(text.length)} is over the ${kilobytes(limit.maxChars)} limit for ${limit.what}; left out`
    : null;
}

async function runBounded<N extends MarkdownTaskName>(name: string, size: string, limit: MarkdownLimit, task: N, args: Parameters<MarkdownTask<N>>): Promise<Bounded<ReturnType<MarkdownTask<N>>>> {
  const over = overSizeLimit(name, size, limit);
  if (over) return { ok: false, reason: over };
  try {
    return { ok: true, value: await markdownPool().run<ReturnType<MarkdownTask<N>>>(task, args, limit.timeLimitMs) };
  } catch (error) {
    if (error instanceof TimeLimitError) return { ok: false, reason: `${name}: reading it took longer than ${limit.timeLimitMs} ms, the limit for ${limit.what}; left out` };
    return { ok: false, reason: `${name}: could not be read (${error instanceof Error ? error.message : String(error)}); left out` };
  }
}

/** The full reading of one ADR (sections, guidance, problems). `name` is how it is reported (its path). */
export function parseAdrBounded(name: string, file: string, text: string): Promise<Bounded<AdrRecord>> {
  return runBounded(name, text, MARKDOWN_LIMITS.adr, "parseAdr", [file, text]);
}

export function parsePitfallsBounded(path: string, text: string): Promise<Bounded<PitfallFile>> {
  return runBounded(path, text, MARKDOWN_LIMITS.pitfalls, "parsePitfalls", [path, text]);
}

/** A lesson appended to a pitfall file: the lesson is held to the lesson limit, the file to the pitfall-file limit. */
export async function appendPitfallBounded(path: string, existing: string | null, module: string, entry: NewPitfall): Promise<Bounded<AppendResult>> {
  const lessonOver = overSizeLimit("the lesson", `${entry.lesson}\n${entry.why ?? ""}`, MARKDOWN_LIMITS.lesson);
  if (lessonOver) return { ok: false, reason: lessonOver };
  return runBounded(path, existing ?? "", MARKDOWN_LIMITS.pitfalls, "appendPitfall", [existing, module, entry]);
}

/**
 * An ADR rendered from a draft whose text came from the model (the writer
 * parses it to keep the file's structure): held to the ADR limits like any
 * ADR read from a repository.
 */
export function renderAdrBounded(name: string, draft: AdrDraft): Promise<Bounded<string>> {
  return runBounded(name, JSON.stringify(draft), MARKDOWN_LIMITS.adr, "renderAdr", [draft]);
}

/**
 * What a closed pull request teaches, planned against the pitfall files
 * (steps/learning/learned-pitfalls.ts): each lesson held to the lesson limit
 * (one over it is left out, with the reason), each file to the pitfall-file
 * limit, the whole plan to its time limit.
 */
export async function planLearnedPitfallsBounded(input: Parameters<typeof planLearnedPitfalls>[0]): Promise<Bounded<{ plans: ReturnType<typeof planLearnedPitfalls>; leftOut: string[] }>> {
  const leftOut: string[] = [];
  const lessons = input.lessons.filter((l) => {
    const over = overSizeLimit(`the lesson from #${l.source.pr}`, `${l.lesson}\n${l.why ?? ""}`, MARKDOWN_LIMITS.lesson);
    if (over) leftOut.push(over);
    return over === null;
  });
  const largest = [...input.files.entries()].reduce<[string, string]>((a, [m, t]) => ((t ?? "").length > a[1].length ? [m, t ?? ""] : a), ["", ""]);
  const planned = await runBounded(`the pitfalls of ${largest[0] || "the modules"}`, largest[1], MARKDOWN_LIMITS.pitfalls, "planLearnedPitfalls", [{ ...input, lessons }]);
  return planned.ok ? { ok: true, value: { plans: planned.value, leftOut } } : planned;
}

/**
 * A learning pull request's entries carried onto the default branch's
 * pitfall files (context-store/pitfalls/carry-pitfall-entries.ts): every
 * side of every file held to the pitfall-file limit, the whole to its time
 * limit.
 */
export function carryPitfallEntriesBounded(files: PitfallFileSides[]): Promise<Bounded<CarriedPitfalls[]>> {
  const sides = files.flatMap((f) => [f.base, f.head, f.main].map((text) => [f.path, text ?? ""] as const));
  const [name, largest] = sides.reduce<readonly [string, string]>((a, b) => (b[1].length > a[1].length ? b : a), ["the pitfall files", ""]);
  return runBounded(name, largest, MARKDOWN_LIMITS.pitfalls, "carryPitfallEntries", [files]);
}
