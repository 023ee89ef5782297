import path from "node:path";
import YAML from "yaml";
import { foldLine } from "./write-adr.js";

/**
 * Marking an existing ADR as superseded by a new one. ADRs are the team's
 * documents, in whatever style they were written, so the edit is as small as
 * possible and made where the reader (parse-adr.ts) looks for the status,
 * in the reader's order of precedence:
 *   1. front matter with a `status:` key: `status: superseded`, and the new
 *      number merged into `superseded-by:` (added right after `status:`);
 *   2. a metadata line, bullet or table row before the first `##`
 *      (`Status: x`, `* Status: x`, `| Status | x |`): the value becomes
 *      `superseded by [ADR 12](0012-x.md)` (MADR/log4brains wording), and a
 *      `Superseded by` table row is filled in too;
 *   3. a `## Status` section (Nygard/adr-tools): `Superseded by [12. Title](0012-x.md)`
 *      becomes its first line; the old bare status word is dropped and any
 *      other history lines (Amends, earlier Superseded by) are kept, as adr-tools does;
 *   4. otherwise front matter is added (or extended) with `status` and `superseded-by`.
 * Line endings, a BOM and every other byte are left as they were. Calling it
 * twice with the same numbers changes nothing the second time.
 */

export interface SupersedeOptions {
  /** Title of the new ADR, for the link text (`12. Title`); without it the link reads `ADR 12`. */
  newTitle?: string;
}

export interface FileChange {
  path: string;
  content: string;
}

export function supersedeAdr(
  oldFile: { path: string; text: string },
  oldNumber: number | null,
  newNumber: number,
  newFileName: string,
  options: SupersedeOptions = {},
): FileChange {
  const unchanged = { path: oldFile.path, content: oldFile.text };
  if (!Number.isSafeInteger(newNumber) || newNumber < 0 || newNumber === oldNumber) return unchanged;
  const link = {
    number: newNumber,
    target: relativeTarget(oldFile.path, newFileName),
    text: options.newTitle ? `${newNumber}. ${foldLine(options.newTitle)}` : `ADR ${newNumber}`,
  };
  return { path: oldFile.path, content: editKeepingLineEndings(oldFile.text, (text) => updateStatus(text, link)) };
}

/**
 * Runs an edit on `\n`-terminated text and gives the result back with the
 * file's BOM and, for a file whose every line ends in CRLF, its CRLFs; a
 * mixed file is edited as it is.
 */
export function editKeepingLineEndings(original: string, edit: (text: string) => string): string {
  const bom = original.startsWith("\uFEFF") ? "\uFEFF" : "";
  const crlf = /\r\n/.test(original) && !/(^|[^\r])\n/.test(original);
  const raw = original.slice(bom.length);
  const updated = edit(crlf ? raw.replace(/\r\n/g, "\n") : raw);
  return bom + (crlf ? updated.replace(/\n/g, "\r\n") : updated);
}

interface NewLink {
  number: number;
  target: string;
  text: string;
}

/** Both ADRs normally share a folder; a path from the repository root is made relative to the old file. */
function relativeTarget(oldPath: string, newFileName: string): string {
  const dir = path.posix.dirname(oldPath);
  return newFileName.startsWith(`${dir}/`) ? path.posix.relative(dir, newFileName) : newFileName;
}

function markdownLink(link: NewLink): string {
  const text = link.text.replace(/([[\]\\])/g, "\\$1");
  const target = /[\s()<>]/.test(link.target) ? `<${link.target.replace(/[<>]/g, "")}>` : link.target;
  return `[${text}](${target})`;
}

/** Opening line, YAML, closing line (kept as written, `...` included). */
export const FRONT_MATTER = /^(---[ \t]*\n)(?:([\s\S]*?)\n)?((?:---|\.\.\.)[ \t]*(?:\n|$))/;

function updateStatus(text: string, link: NewLink): string {
  const fm = FRONT_MATTER.exec(text);
  if (!fm) return updateBody(text, link) ?? `---\n${updateFrontMatter("", {}, link.number)}\n---\n\n${text}`;
  const fmBody = fm[2] ?? "";
  const data = safeParseYaml(fmBody);
  const body = text.slice(fm[0].length);
  const rewrap = (yaml: string): string => `${fm[1]}${yaml}\n${fm[3]}${body}`;
  if (data && findKey(data, STATUS_KEY) !== undefined) return rewrap(updateFrontMatter(fmBody, data, link.number));
  const viaBody = updateBody(body, link);
  return viaBody === null ? rewrap(updateFrontMatter(fmBody, data ?? {}, link.number)) : fm[0] + viaBody;
}

/** The status in the body: a metadata line, bullet or table row, else a `## Status` section; null when there is neither. */
function updateBody(body: string, link: NewLink): string | null {
  return updateMetadataLines(body, link) ?? updateStatusSection(body, link);
}

// ---------------------------------------------------------------- front matter

export const STATUS_KEY = /^status$/i;
const SUPERSEDED_BY_KEY = /^superseded[-_ ]?by$/i;

/** The keys of a YAML mapping; null for YAML that does not parse, or is no mapping (nothing, a list, a text). */
export function safeParseYaml(source: string): Record<string, unknown> | null {
  try {
    const doc = YAML.parseDocument(source);
    if (doc.errors.length > 0 || !YAML.isMap(doc.contents)) return null;
    return doc.toJS() as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function findKey(data: Record<string, unknown>, pattern: RegExp): string | undefined {
  return Object.keys(data).find((k) => pattern.test(k));
}

/** ADR numbers named by a front-matter value: `12`, `"0057"`, `ADR-0057`, `[x](0057-y.md)`, or a list of those. */
export function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (typeof value !== "string") return [];
  const targets = [...value.matchAll(/\]\((?:[^)]*\/)?[A-Za-z-_]*?(\d+)[^)]*\)/g)].map((m) => Number(m[1]));
  if (targets.length > 0) return targets;
  const first = /\d{1,9}/.exec(value);
  return first ? [Number(first[0])] : [];
}

/** Same keys and values, whatever the key order. */
export function sameData(a: Record<string, unknown> | null, b: Record<string, unknown>): boolean {
  const canonical = (data: Record<string, unknown>): string => JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return a !== null && canonical(a) === canonical(b);
}

/** `[ 5, 12 ]`, as the yaml package writes a flow sequence of plain integers. */
function flowNumbers(numbers: readonly number[]): string {
  return `[ ${numbers.join(", ")} ]`;
}

/** Top-level key lines and the lines their value continues on (indented lines, block sequence items). */
export function keyExtent(lines: readonly string[], pattern: RegExp): { start: number; end: number; key: string } | null {
  for (const [i, line] of lines.entries()) {
    const m = /^([^\s#:][^:]*?)\s*:(?:\s|$)/.exec(line);
    if (!m?.[1] || !pattern.test(m[1].replace(/^["']|["']$/g, ""))) continue;
    let end = i + 1;
    while (end < lines.length && /^(?:[ \t]+\S|-(?:\s|$))/.test(lines[end] ?? "")) end++;
    return { start: i, end, key: m[1] };
  }
  return null;
}

/**
 * Line edits keep every other key byte for byte. If the edit does not parse
 * back to the intended data (exotic YAML), the yaml Document API does it
 * instead, which keeps keys, order and comments but may reformat.
 */
function updateFrontMatter(source: string, data: Record<string, unknown>, newNumber: number): string {
  const statusKey = findKey(data, STATUS_KEY);
  const byKey = findKey(data, SUPERSEDED_BY_KEY);
  const oldStatus = statusKey && data[statusKey];
  const fromStatus = typeof oldStatus === "string" && /supersed|supercede|replaced/i.test(oldStatus) ? numbersIn(oldStatus.replace(/^[^]*?\bby\b/i, "")) : [];
  const merged = [...new Set([...numbersIn(byKey && data[byKey]), ...fromStatus, newNumber])];
  const expected: Record<string, unknown> = { ...data, [statusKey ?? "status"]: "superseded", [byKey ?? "superseded-by"]: merged };

  const lines = source === "" ? [] : source.split("\n");
  const status = keyExtent(lines, STATUS_KEY);
  const statusLine = `${status?.key ?? "status"}: superseded`;
  const statusAt = status ? status.start : lines.length;
  if (status) lines.splice(status.start, status.end - status.start, statusLine);
  else lines.push(statusLine);
  const by = keyExtent(lines, SUPERSEDED_BY_KEY);
  const byLine = `${by?.key ?? "superseded-by"}: ${flowNumbers(merged)}`;
  if (by) lines.splice(by.start, by.end - by.start, byLine);
  else lines.splice(statusAt + 1, 0, byLine);
  const edited = lines.join("\n");
  if (sameData(safeParseYaml(edited), expected)) return edited;

  const doc = YAML.parseDocument(source);
  // YAML that does not parse cannot be re-serialised (the yaml package throws), and a list or a text
  // has no place for a status: both keep the line edit, so nothing the file said is lost.
  if (!YAML.isMap(doc.contents) || doc.errors.length > 0) return edited;
  doc.set(statusKey ?? "status", "superseded");
  const seq = doc.createNode(merged);
  seq.flow = true;
  doc.set(byKey ?? "superseded-by", seq);
  return doc.toString({ lineWidth: 0 }).trimEnd();
}

// ---------------------------------------------------------------- body

/** Lines outside fenced code, with their index. */
export function unfencedLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m?.[1]) fence = m[1];
    else if (fence !== null && m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
    else if (fence === null) out.push(i);
  });
  return out;
}

export const STATUS_LINE = /^(\s*(?:[-*+]\s+)?(?:\*\*|__)?Status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(.*?)(\s*)$/i;
export const TABLE_ROW = /^(\s*\|\s*(?:\*\*|__)?)([^|]*?)((?:\*\*|__)?\s*:?\s*\|)([^|]*)(\|.*)$/;

function supersededWording(previous: string, link: NewLink): string {
  const word = /^[A-Z]/.test(previous.replace(/^[^A-Za-z]*/, "")) ? "Superseded by" : "superseded by";
  const already = /^\W*supersed\w*\s+by\b/i.test(previous);
  if (already) return previous.includes(`](${link.target})`) ? previous : `${previous}, ${markdownLink(link)}`;
  return `${word} ${markdownLink(link)}`;
}

/** `Status: x` lines, bullets and `| Status | x |` rows before the first `##` heading. */
function updateMetadataLines(body: string, link: NewLink): string | null {
  const lines = body.split("\n");
  let statusIndex = -1;
  let byRowIndex = -1;
  let byRow: RegExpExecArray | null = null;
  for (const i of unfencedLines(lines)) {
    const line = lines[i] ?? "";
    if (/^#{2,6}\s/.test(line)) break;
    const row = TABLE_ROW.exec(line);
    const label = row?.[2]?.replace(/[*_:]/g, "").trim().toLowerCase();
    if (label === "status" && statusIndex < 0) statusIndex = i;
    else if (/^superseded[-_ ]?by$/.test(String(label))) [byRowIndex, byRow] = [i, row];
    else if (!row && STATUS_LINE.test(line) && statusIndex < 0) statusIndex = i;
  }
  if (statusIndex < 0) return null;
  const line = lines[statusIndex] ?? "";
  const row = TABLE_ROW.exec(line);
  if (row) {
    const cell = row[4] ?? "";
    const value = cell.trim();
    // With a "Superseded by" row the status cell says just that; without one it carries the link.
    const newValue = byRow ? (/^\W*superseded\b/i.test(value) ? value : "Superseded") : supersededWording(value, link);
    lines[statusIndex] = `${row[1]}${row[2]}${row[3]}${padCell(cell, newValue)}${row[5]}`;
    if (byRow) {
      const old = (byRow[4] ?? "").trim();
      const empty = old === "" || /^(n\/?a|none|-+|—|tbd)$/i.test(old);
      const merged = empty ? markdownLink(link) : old.includes(`](${link.target})`) ? old : `${old}, ${markdownLink(link)}`;
      lines[byRowIndex] = `${byRow[1]}${byRow[2]}${byRow[3]}${padCell(byRow[4] ?? "", merged)}${byRow[5]}`;
    }
    return lines.join("\n");
  }
  // Not a row, so the status line pattern found it.
  lines[statusIndex] = line.replace(STATUS_LINE, (_line, lead: string, value: string, trail: string) => {
    // A value in bold stays in bold: the pattern leaves the opening marker in the lead, the closing one in the value.
    const marker = /(?:\*\*|__)$/.exec(lead)?.[0];
    if (marker && value.endsWith(marker)) return `${lead}${supersededWording(value.slice(0, -marker.length), link)}${marker}${trail}`;
    // `Status:` with nothing after it gets a space, or `**Status:**superseded` would lose its bold.
    return `${/\s$/.test(lead) ? lead : `${lead} `}${supersededWording(value, link)}${trail}`;
  });
  return lines.join("\n");
}

/** Keeps the cell's leading space and, when the value fits, its width (aligned tables stay aligned). */
export function padCell(cell: string, value: string): string {
  const width = cell.trimStart().length;
  const lead = cell.slice(0, cell.length - width);
  return `${lead || " "}${value.padEnd(width - 1)} `;
}

/** The `## Status` section of Nygard/adr-tools files. */
function updateStatusSection(body: string, link: NewLink): string | null {
  const lines = body.split("\n");
  const unfenced = unfencedLines(lines);
  const headingAt = unfenced.find((i) => /^#{2,3}\s+status\s*#*\s*$/i.test(lines[i] ?? ""));
  if (headingAt === undefined) return null;
  const next = unfenced.find((i) => i > headingAt && /^#{1,6}\s/.test(lines[i] ?? ""));
  const end = next ?? lines.length;
  const section = lines.slice(headingAt + 1, end);
  const isBlank = (l: string): boolean => l.trim() === "";
  const firstText = section.findIndex((l) => !isBlank(l));
  const lastText = section.findLastIndex((l) => !isBlank(l));
  // Keep the section's own spacing; an empty section gets the usual blank lines.
  const leading = firstText < 0 ? [""] : section.slice(0, firstText);
  // Blank lines after the text stay; none at the end of the file stays none (the file had no final newline).
  const trailing = firstText < 0 ? [""] : lastText + 1 < section.length ? section.slice(lastText + 1) : next === undefined ? [] : [""];
  const content = firstText < 0 ? [] : section.slice(firstText, lastText + 1);

  const first = content[0] ?? "";
  // In a file with mixed line endings the lines keep their own "\r"; new lines copy the replaced one's.
  const cr = (first || (lines[headingAt] ?? "")).endsWith("\r") ? "\r" : "";
  const newLine = `Superseded by ${markdownLink(link)}${cr}`;
  if (/^\W*supersed\w*\s+by\b/i.test(first) && first.includes(`](${link.target})`)) return body;
  // A bare status word ("Accepted", "Partly superseded") is replaced; lines with links are history and stay.
  const kept = first.includes("](") ? content : content.slice(1);
  const from = kept.findIndex((l) => !isBlank(l));
  const history = from < 0 ? [] : kept.slice(from);
  const rebuilt = [...leading, newLine, ...(history.length > 0 ? [cr, ...history] : []), ...trailing];
  return [...lines.slice(0, headingAt + 1), ...rebuilt, ...lines.slice(end)].join("\n");
}
