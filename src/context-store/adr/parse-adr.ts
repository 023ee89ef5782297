/**
 * The ADR reader: one markdown file, in whatever style a team writes ADRs
 * (Nygard/adr-tools, MADR with or without front matter, log4brains bullets,
 * metadata tables, Baton's own output), read into an `AdrRecord`.
 *
 * Reading conventions (see adr-corpus/README.md): the number comes from the
 * file name; the title from the first H1; status from front matter, then a
 * header line/bullet/table row before the first `##`, then the first line of
 * a `## Status` section; supersession from status lines, metadata and
 * explicit sentences; the date from front matter or the header. Odd input
 * never throws: what could not be read is said in `warnings`.
 */
import type { AdrRecord, AdrStatus } from "./adr-record.js";
import { dateFromValue, parseAdrDate } from "./adr-dates.js";
import { isAdrFileName, numberFromAdrId } from "./adr-file-names.js";
import { listValue, readFrontMatter, textValue, type FrontMatter } from "./adr-front-matter.js";
import { collectDefinitions, flattenString, parseMarkdown, plainText } from "./adr-markdown.js";
import { collectLines, type AdrLine } from "./adr-metadata.js";
import { mergeRelations, referencesInValue, relationOfKey, relationsInText, type Relations } from "./adr-references.js";
import { adrSections, headingSections, moduleGuidance, sectionFirstLine, type HeadingSection } from "./adr-sections.js";
import { isPlaceholder, normaliseStatus } from "./adr-status.js";
import { cleanTitle, firstH1, titleFromFileName, titleOfHeading } from "./adr-title.js";

export { isAdrFileName } from "./adr-file-names.js";
export { discoverAdrFolder } from "./adr-folder.js";

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

function readStatus(
  fm: FrontMatter,
  lines: readonly AdrLine[],
  sections: readonly HeadingSection[],
  text: string,
  defs: ReadonlyMap<string, string>,
  warnings: string[],
): StatusReading {
  const fmStatus = textValue(fm.data.get("status"));
  if (fmStatus !== null) {
    const status = normaliseStatus(plainText(flattenString(fmStatus)));
    if (status) return { status, rawStatus: fmStatus, line: null };
    warnings.push(`front matter status not understood: ${JSON.stringify(fmStatus)}`);
  }

  for (const line of lines) {
    if (!line.inHeader || line.key === null || !STATUS_KEYS.has(line.key)) continue;
    const status = normaliseStatus(plainText(line.value));
    if (status) return { status, rawStatus: line.rawValue, line: { value: line.value, offset: line.offset } };
    if (isPlaceholder(plainText(line.value))) warnings.push(`status is a placeholder: ${JSON.stringify(line.rawValue)}`);
  }

  const section = sectionFirstLine(sections, STATUS_KEYS, text, defs);
  if (section) {
    const status = normaliseStatus(plainText(section.value));
    if (status) return { status, rawStatus: section.raw, line: { value: section.value, offset: section.offset } };
    warnings.push(`status not understood: ${JSON.stringify(section.raw)}`);
  }

  warnings.push("no status found");
  return { status: "unknown", rawStatus: null, line: null };
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

function readDate(
  fm: FrontMatter,
  status: StatusReading,
  lines: readonly AdrLine[],
  sections: readonly HeadingSection[],
  text: string,
  defs: ReadonlyMap<string, string>,
  warnings: string[],
): string | null {
  for (const key of FRONT_MATTER_DATE_KEYS) {
    const fmDate = fm.data.get(key);
    if (fmDate === undefined || fmDate === null || fmDate === "") continue;
    const date = dateFromValue(fmDate);
    if (date) return date;
    warnings.push(`date not understood: ${JSON.stringify(String(fmDate))}`);
  }
  for (const line of lines) {
    if (!line.inHeader || line.key === null || !DATE_KEYS.has(line.key)) continue;
    const date = parseAdrDate(plainText(line.value));
    if (date) return date;
    if (line.rawValue.trim() !== "") warnings.push(`date not understood: ${JSON.stringify(line.rawValue)}`);
  }
  const section = sectionFirstLine(sections, DATE_SECTIONS, text, defs);
  const sectionDate = section ? parseAdrDate(plainText(section.value)) : null;
  if (sectionDate) return sectionDate;
  // "Accepted on 2017-11-28": the status line dates the decision when nothing else does.
  return status.line ? dateOfStatus(plainText(status.line.value)) : status.rawStatus !== null ? dateOfStatus(status.rawStatus) : null;
}

/** The date a status word is given with: "Accepted on 2017-11-28", "Accepted (2019-03-04)", "Approved: 4 March 2019". */
function dateOfStatus(statusText: string): string | null {
  const m = /^[\s*_]*\p{L}+(?:\s+\p{L}+)?[\s*_]*(?:\s(?:on|at|since|in)\s+|\s*[(:,–—-]\s*)(.*)$/su.exec(statusText);
  const rest = m?.[1]?.trim() ?? "";
  if (!/^(?:\d|\p{L}{3})/u.test(rest)) return null;
  return parseAdrDate(rest.slice(0, 40));
}

function readModules(fm: FrontMatter, guidance: Record<string, string>): string[] {
  const modules: string[] = [];
  for (const item of listValue(fm.data.get("modules"))) {
    const t = textValue(item);
    if (t === null) continue;
    for (const name of t.split(",")) {
      const m = name.trim();
      if (m !== "" && !modules.includes(m)) modules.push(m);
    }
  }
  return modules.length > 0 ? modules : Object.keys(guidance);
}

function readSpec(fm: FrontMatter): string | null {
  const spec = fm.data.get("spec");
  if (typeof spec === "number" && Number.isSafeInteger(spec)) return `#${spec}`;
  return textValue(spec);
}

/** Read one ADR. `file` is the path relative to the ADR folder (e.g. `0001-record-decisions.md`). */
export function parseAdr(file: string, text: string): AdrRecord {
  const warnings: string[] = [];
  // The private-use characters that mark links in flattened text must not come from the file itself.
  const source = typeof text === "string" ? text.replace(/^\uFEFF/, "").replace(/[\uE000-\uE002]/g, "\uFFFD") : "";
  if (source.trim() === "") warnings.push("empty file");

  const root = parseMarkdown(source);
  const defs = collectDefinitions(root);
  const fm = readFrontMatter(root);
  warnings.push(...fm.warnings);
  const sections = headingSections(root, source);
  const lines = collectLines(root, source, defs);

  const h1 = firstH1(root);
  const h1Title = h1 ? titleOfHeading(h1, source) : "";
  let title = h1Title;
  if (title === "") {
    warnings.push("no H1 title");
    const fmTitle = textValue(fm.data.get("title"));
    title = fmTitle !== null ? cleanTitle(fmTitle) : titleFromFileName(file);
  }

  const status = readStatus(fm, lines, sections, source, defs, warnings);
  const relations = readRelations(fm, lines, status.line);
  const date = readDate(fm, status, lines, sections, source, defs, warnings);
  const guidance = moduleGuidance(sections);

  return {
    file,
    number: numberFromAdrId(file),
    title,
    status: status.status,
    rawStatus: status.rawStatus,
    supersededBy: relations.supersededBy,
    supersedes: relations.supersedes,
    date,
    modules: readModules(fm, guidance),
    spec: readSpec(fm),
    sections: adrSections(sections),
    guidance,
    warnings,
  };
}

/**
 * Read the ADRs among `files` (README, index and templates are left out, see
 * `isAdrFileName`), sorted by number (unnumbered last), then file name.
 */
export function readAdrFiles(files: readonly { file: string; text: string }[]): AdrRecord[] {
  return files
    .filter((f) => isAdrFileName(f.file))
    .map((f) => parseAdr(f.file, f.text))
    .sort((a, b) => {
      if (a.number !== b.number) {
        if (a.number === null) return 1;
        if (b.number === null) return -1;
        return a.number - b.number;
      }
      return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
    });
}
