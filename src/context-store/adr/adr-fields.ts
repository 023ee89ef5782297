/**
 * The decisions of the ADR reader, shared by its two tiers: given what was
 * found in a file (front matter, metadata lines, section first lines, the
 * H1), which status, date, supersession, modules and spec it states. The
 * full tier (remark, in the bounded worker) and the fast tier (a linear
 * line scan, on any thread) only differ in how they find those pieces; the
 * rules live here once, so both tiers read every field the same way.
 */
import type { AdrMetadata, AdrProblem, AdrStatus } from "./adr-record.js";
import { dateFromValue, parseAdrDate } from "./adr-dates.js";
import { numberFromAdrId } from "./adr-file-names.js";
import { listValue, textValue, type FrontMatter } from "./adr-front-matter.js";
import { flattenString, plainText } from "./adr-flat-text.js";
import { mergeRelations, referencesInValue, relationOfKey, relationsInText, type Relations } from "./adr-references.js";
import { isPlaceholder, normaliseStatus, statusSuggestion } from "./adr-status.js";
import { cleanTitle, titleFromFileName } from "./adr-title-text.js";

/** One line of prose or metadata, wherever it stands (see adr-metadata.ts for the full tier, adr-fast-blocks.ts for the fast one). */
export interface AdrLine {
  /** Character offset of the line in the file: orders lines from different blocks. */
  offset: number;
  /** 1-based line and column in the file, for lint. */
  line: number;
  column: number;
  /** Before the first heading of depth 2 or more. */
  inHeader: boolean;
  /** Normalised key (`status`, `superseded by`) when the line is `key: value` or a key/value table row. */
  key: string | null;
  /** The value (or the whole line when there is no key), flattened: links are tokens. */
  value: string;
  /** The value as written in the source, for `rawStatus`. */
  rawValue: string;
}

/** The first non-empty line of a section such as `## Status`. */
export interface SectionLine {
  /** Flattened first line (links as tokens). */
  value: string;
  /** The line as written. */
  raw: string;
  offset: number;
  line: number;
  column: number;
}

/** What a tier found in one file. */
export interface AdrReading {
  frontMatter: FrontMatter;
  lines: readonly AdrLine[];
  /** The first line of the first section whose heading is one of `names` (lower case), or null. */
  sectionFirstLine(names: ReadonlySet<string>): SectionLine | null;
  /** The first H1's text as written (inline markup resolved the way titles keep it), or null when there is none. */
  h1: string | null;
  /** Module names of the `### <module>` subsections of `## Module guidance`, in order. */
  guidanceModules: readonly string[];
}

const STATUS_KEYS = new Set(["status", "adr status", "decision status", "current status"]);
const DATE_SECTIONS = new Set(["date", "decision date"]);
const FRONT_MATTER_DATE_KEYS = ["date", "decision-date", "date-decided", "created", "created-at"];
const DATE_KEYS = new Set([
  "date", "decision date", "date of decision", "decided on", "date decided", "created", "created on", "creation date",
]);

interface StatusReading {
  status: AdrStatus;
  rawStatus: string | null;
  /** The status text flattened (links as tokens), for supersession; null when it came from front matter. */
  line: { value: string; offset: number } | null;
}

type Where = { line: number; column: number };

function problem(level: AdrProblem["level"], message: string, where: Where): AdrProblem {
  return { level, message, line: where.line, column: where.column };
}

function readStatus(reading: AdrReading, problems: AdrProblem[]): StatusReading {
  const fm = reading.frontMatter;
  const fmStatus = textValue(fm.data.get("status"));
  if (fmStatus !== null) {
    const where = fm.lineOf("status");
    const status = normaliseStatus(plainText(flattenString(fmStatus)));
    if (status === "other") problems.push(...statusSuggestionProblem(fmStatus, where));
    if (status) return { status, rawStatus: fmStatus, line: null };
    problems.push(problem("warning", `front matter status not understood: ${JSON.stringify(fmStatus)}`, where));
  }

  for (const line of reading.lines) {
    if (!line.inHeader || line.key === null || !STATUS_KEYS.has(line.key)) continue;
    const status = normaliseStatus(plainText(line.value));
    if (status === "other") problems.push(...statusSuggestionProblem(plainText(line.value), line));
    if (status) return { status, rawStatus: line.rawValue, line: { value: line.value, offset: line.offset } };
    if (isPlaceholder(plainText(line.value))) problems.push(problem("warning", `status is a placeholder: ${JSON.stringify(line.rawValue)}`, line));
  }

  const section = reading.sectionFirstLine(STATUS_KEYS);
  if (section) {
    const status = normaliseStatus(plainText(section.value));
    if (status === "other") problems.push(...statusSuggestionProblem(plainText(section.value), section));
    if (status) return { status, rawStatus: section.raw, line: { value: section.value, offset: section.offset } };
    problems.push(problem("warning", `status not understood: ${JSON.stringify(section.raw)}`, section));
  }

  problems.push(problem("warning", "no status found", { line: 1, column: 1 }));
  return { status: "unknown", rawStatus: null, line: null };
}

/**
 * A status word one letter or two away from a known one is said, never
 * guessed: an error that names the word it probably meant. Other words
 * ("on hold", "reverted") are statuses in their own right.
 */
function statusSuggestionProblem(text: string, where: Where): AdrProblem[] {
  const suggestion = statusSuggestion(text);
  return suggestion ? [problem("error", `status ${JSON.stringify(text.trim())} is not a known status; did you mean "${suggestion}"?`, where)] : [];
}

function frontMatterReferences(value: unknown): number[] {
  const out: number[] = [];
  for (const item of listValue(value)) {
    const found =
      typeof item === "number" && Number.isSafeInteger(item)
        ? [item]
        : typeof item === "string"
          ? /^\s*\d+\s*$/.test(item)
            ? [Number(item)]
            : referencesInValue(flattenString(item))
          : [];
    for (const n of found) if (!out.includes(n)) out.push(n);
  }
  return out;
}

function readRelations(fm: FrontMatter, lines: readonly AdrLine[], statusLine: StatusReading["line"]): Relations {
  const relations: Relations = { supersedes: [], supersededBy: [] };
  const fmStatus = textValue(fm.data.get("status"));
  // A template placeholder ("{proposed | … | superseded by [ADR-0005](0005-example.md)}") names no real ADR.
  if (fmStatus !== null && !isPlaceholder(fmStatus)) mergeRelations(relations, relationsInText(flattenString(fmStatus), true));
  for (const key of ["superseded-by", "supersededby", "replaced-by", "superceded-by"]) {
    mergeRelations(relations, { supersedes: [], supersededBy: frontMatterReferences(fm.data.get(key)) });
  }
  for (const key of ["supersedes", "replaces", "supercedes"]) {
    mergeRelations(relations, { supersedes: frontMatterReferences(fm.data.get(key)), supersededBy: [] });
  }

  // Document order, so that lists keep the order in which they were written.
  const found: { offset: number; relations: Relations }[] = [];
  if (statusLine) found.push({ offset: statusLine.offset, relations: relationsInText(statusLine.value, true) });
  for (const line of lines) {
    if (isPlaceholder(plainText(line.value))) continue;
    const relation = line.key === null ? null : relationOfKey(line.key);
    if (relation) {
      const refs = referencesInValue(line.value);
      found.push({ offset: line.offset, relations: relation === "supersedes" ? { supersedes: refs, supersededBy: [] } : { supersedes: [], supersededBy: refs } });
    } else {
      const whole = line.key === null ? line.value : `${line.key}: ${line.value}`;
      found.push({ offset: line.offset, relations: relationsInText(whole, false) });
    }
  }
  found.sort((a, b) => a.offset - b.offset);
  for (const f of found) mergeRelations(relations, f.relations);
  return relations;
}

function readDate(reading: AdrReading, status: StatusReading, problems: AdrProblem[]): string | null {
  const fm = reading.frontMatter;
  for (const key of FRONT_MATTER_DATE_KEYS) {
    const fmDate = fm.data.get(key);
    if (fmDate === undefined || fmDate === null || fmDate === "") continue;
    const date = dateFromValue(fmDate);
    if (date) return date;
    problems.push(problem("warning", `date not understood: ${JSON.stringify(String(fmDate))}`, fm.lineOf(key)));
  }
  for (const line of reading.lines) {
    if (!line.inHeader || line.key === null || !DATE_KEYS.has(line.key)) continue;
    const date = parseAdrDate(plainText(line.value));
    if (date) return date;
    if (line.rawValue.trim() !== "") problems.push(problem("warning", `date not understood: ${JSON.stringify(line.rawValue)}`, line));
  }
  const section = reading.sectionFirstLine(DATE_SECTIONS);
  const sectionDate = section ? parseAdrDate(plainText(section.value)) : null;
  if (sectionDate) return sectionDate;
  // "Accepted on 2017-11-28": the status line dates the decision when nothing else does.
  return status.line ? dateOfStatus(plainText(status.line.value)) : status.rawStatus !== null ? dateOfStatus(status.rawStatus) : null;
}

/** The date a status word is given with: "Accepted on 2017-11-28", "Accepted (2019-03-04)", "Approved: 4 March 2019". */
function dateOfStatus(statusText: string): string | null {
  const m = /^[\s*_]*\p{L}+(?:\s+\p{L}+)?[\s*_]*(?:\s(?:on|at|since|in)\s+|\s*[(:,–—-]\s*)(.*)$/su.exec(statusText.slice(0, 200));
  const rest = m?.[1]?.trim() ?? "";
  if (!/^(?:\d|\p{L}{3})/u.test(rest)) return null;
  return parseAdrDate(rest.slice(0, 40));
}

function readModules(fm: FrontMatter, guidanceModules: readonly string[]): string[] {
  const modules: string[] = [];
  for (const item of listValue(fm.data.get("modules"))) {
    const t = textValue(item);
    if (t === null) continue;
    for (const name of t.split(",")) {
      const m = name.trim();
      if (m !== "" && !modules.includes(m)) modules.push(m);
    }
  }
  return modules.length > 0 ? modules : [...guidanceModules];
}

function readSpec(fm: FrontMatter): string | null {
  const spec = fm.data.get("spec");
  if (typeof spec === "number" && Number.isSafeInteger(spec)) return `#${spec}`;
  return textValue(spec);
}

/** Every metadata field of one ADR from what a tier found; problems are appended to `problems`. */
export function readAdrFields(file: string, reading: AdrReading, problems: AdrProblem[]): AdrMetadata {
  let title = reading.h1 === null ? "" : cleanTitle(reading.h1);
  if (title === "") {
    problems.push(problem("warning", "no H1 title", { line: 1, column: 1 }));
    const fmTitle = textValue(reading.frontMatter.data.get("title"));
    title = fmTitle !== null ? cleanTitle(fmTitle) : titleFromFileName(file);
  }
  const status = readStatus(reading, problems);
  const relations = readRelations(reading.frontMatter, reading.lines, status.line);
  const date = readDate(reading, status, problems);
  return {
    file,
    number: numberFromAdrId(file),
    title,
    status: status.status,
    rawStatus: status.rawStatus,
    supersededBy: relations.supersededBy,
    supersedes: relations.supersedes,
    date,
    modules: readModules(reading.frontMatter, reading.guidanceModules),
    spec: readSpec(reading.frontMatter),
  };
}
