import YAML from "yaml";
import {
  editKeepingLineEndings,
  findKey,
  FRONT_MATTER,
  keyExtent,
  padCell,
  safeParseYaml,
  sameData,
  STATUS_KEY,
  STATUS_LINE,
  TABLE_ROW,
  unfencedLines,
  type FileChange,
} from "./supersede-adr.js";

/**
 * Deciding a proposed ADR: its status becomes `accepted` (or `rejected`) and
 * its date the day of the decision. Like supersession (supersede-adr.ts), the
 * edit is as small as possible and made where the reader looks, in its order
 * of precedence:
 *   1. front matter with a `status:` key: the `status:` line, and `date:`
 *      (replaced, or added right after `status:`);
 *   2. a metadata line, bullet or table row before the first `##`
 *      (`Status: Proposed`, `| Status | Proposed |`), and a `Date:` line or
 *      row there when there is one;
 *   3. a `## Status` section (Nygard/adr-tools): its bare status word;
 *   4. otherwise front matter is added (or extended) with `status` and `date`;
 *      front matter that is not a readable mapping is kept as written, and
 *      `Status:` / `Date:` lines go under the title, where they are read.
 * The word keeps the case style of the one it replaces (`Proposed` →
 * `Accepted`). Line endings, a BOM and every other byte are kept.
 */

export type AdrDecision = "accepted" | "rejected";

export function setAdrStatus(file: { path: string; text: string }, status: AdrDecision, date: string): FileChange {
  return { path: file.path, content: editKeepingLineEndings(file.text, (text) => decide(text, status, date)) };
}

function decide(text: string, status: AdrDecision, date: string): string {
  const fm = FRONT_MATTER.exec(text);
  const fmBody = fm ? (fm[2] ?? "") : null;
  const rewrap = (yaml: string): string => `${fm?.[1] ?? "---\n"}${yaml}\n${fm?.[3] ?? "---\n"}`;
  if (fm && fmBody !== null) {
    const data = safeParseYaml(fmBody);
    if (data && findKey(data, STATUS_KEY) !== undefined) return rewrap(frontMatterWith(fmBody, data, status, date)) + text.slice(fm[0].length);
  }
  const bodyStart = fm ? fm[0].length : 0;
  const head = text.slice(0, bodyStart);
  const body = text.slice(bodyStart);
  const viaMetadata = metadataWith(body, status, date);
  if (viaMetadata !== null) return head + viaMetadata;
  const viaSection = statusSectionWith(body, status);
  if (viaSection !== null) return head + (metadataWith(viaSection, null, date) ?? viaSection);
  if (fm && fmBody !== null) {
    const data = safeParseYaml(fmBody);
    // Front matter that is not a readable mapping is not read (the reader says so): the decision goes
    // where it will be read, as metadata lines under the title, and the front matter stays as written.
    if (data === null && fmBody.trim() !== "") return head + withMetadataLines(body, status, date);
    return rewrap(frontMatterWith(fmBody, data ?? {}, status, date)) + body;
  }
  return `---\n${frontMatterWith("", {}, status, date)}\n---\n\n${text}`;
}

const DATE_KEY = /^date$/i;

/** `Status:` and `Date:` lines after the body's `# title` (or at its start), set apart by blank lines. */
function withMetadataLines(body: string, status: AdrDecision, date: string): string {
  const lines = body.split("\n");
  const title = lines.findIndex((l) => /^#\s/.test(l));
  const at = title >= 0 && !lines.slice(0, title).some((l) => /^#{2,6}\s/.test(l)) ? title + 1 : 0;
  const block = [...(at > 0 ? [""] : []), `Status: ${inCaseOf("A", status)}`, `Date: ${date}`, ...((lines[at] ?? "").trim() === "" ? [] : [""])];
  lines.splice(at, 0, ...block);
  return lines.join("\n");
}

/** `status:` and `date:` lines, every other key byte for byte; the yaml Document API when a line edit would not read back. */
function frontMatterWith(source: string, data: Record<string, unknown>, status: AdrDecision, date: string): string {
  const statusKey = findKey(data, STATUS_KEY) ?? "status";
  const dateKey = findKey(data, DATE_KEY) ?? "date";
  const expected: Record<string, unknown> = { ...data, [statusKey]: status, [dateKey]: date };
  const lines = source === "" ? [] : source.split("\n");
  const at = keyExtent(lines, STATUS_KEY);
  if (at) lines.splice(at.start, at.end - at.start, `${at.key}: ${status}`);
  else lines.push(`status: ${status}`);
  const dated = keyExtent(lines, DATE_KEY);
  const dateLine = `${dated?.key ?? "date"}: ${date}`;
  if (dated) lines.splice(dated.start, dated.end - dated.start, dateLine);
  else lines.splice((keyExtent(lines, STATUS_KEY)?.start ?? lines.length - 1) + 1, 0, dateLine);
  const edited = lines.join("\n");
  // YAML reads an unquoted 2026-11-25 as a date: compare as the reader does, by its text.
  const asText = (d: Record<string, unknown> | null) => (d ? Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 10) : v])) : null);
  if (sameData(asText(safeParseYaml(edited)), expected)) return edited;
  const doc = YAML.parseDocument(source);
  // YAML that does not parse cannot be re-serialised (the yaml package throws), and a list or a text
  // has no place for a status: both keep the line edit, so nothing the file said is lost (as supersession does).
  if (!YAML.isMap(doc.contents) || doc.errors.length > 0) return edited;
  doc.set(statusKey, status);
  doc.set(dateKey, date);
  return doc.toString({ lineWidth: 0 }).trimEnd();
}

/** `Accepted` after `Proposed`, `accepted` after `proposed`, `ACCEPTED` after `PROPOSED`. */
function inCaseOf(previous: string, word: string): string {
  const letters = previous.replace(/[^A-Za-z]/g, "");
  if (letters.length > 1 && letters === letters.toUpperCase()) return word.toUpperCase();
  return /^[A-Z]/.test(letters) ? word[0]!.toUpperCase() + word.slice(1) : word;
}

/** The bare status word of a value, with any emphasis or emoji around it kept. */
function replaceStatusWord(value: string, status: AdrDecision): string {
  const m = /[A-Za-z][A-Za-z -]*[A-Za-z]|[A-Za-z]/.exec(value);
  if (!m) return inCaseOf("A", status);
  return value.slice(0, m.index) + inCaseOf(m[0], status) + value.slice(m.index + m[0].length);
}

const DATE_LINE = /^(\s*(?:[-*+]\s+)?(?:\*\*|__)?Date(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)(.*?)(\s*)$/i;

/** `Status:` / `Date:` lines, bullets and table rows before the first `##` heading; null status: the date alone (null when there is no date line). */
function metadataWith(body: string, status: AdrDecision | null, date: string): string | null {
  const lines = body.split("\n");
  let statusAt = -1;
  let dateAt = -1;
  for (const i of unfencedLines(lines)) {
    const line = lines[i] ?? "";
    if (/^#{2,6}\s/.test(line)) break;
    const row = TABLE_ROW.exec(line);
    const label = row?.[2]?.replace(/[*_:]/g, "").trim().toLowerCase();
    if (statusAt < 0 && (row ? label === "status" : STATUS_LINE.test(line))) statusAt = i;
    else if (dateAt < 0 && (row ? label === "date" : DATE_LINE.test(line))) dateAt = i;
  }
  if (status === null ? dateAt < 0 : statusAt < 0) return null;
  const set = (i: number, value: (old: string) => string, pattern: RegExp): void => {
    const line = lines[i] ?? "";
    const row = TABLE_ROW.exec(line);
    if (row) {
      lines[i] = `${row[1]}${row[2]}${row[3]}${padCell(row[4] ?? "", value((row[4] ?? "").trim()))}${row[5]}`;
      return;
    }
    const m = pattern.exec(line);
    if (m) lines[i] = `${m[1]}${value(m[2] ?? "")}${m[3] ?? ""}`;
  };
  if (status !== null) set(statusAt, (old) => replaceStatusWord(old, status), STATUS_LINE);
  if (dateAt >= 0) set(dateAt, () => date, DATE_LINE);
  return lines.join("\n");
}

/** The `## Status` section of Nygard/adr-tools files: its first line, when it is a bare status word. */
function statusSectionWith(body: string, status: AdrDecision): string | null {
  const lines = body.split("\n");
  const unfenced = unfencedLines(lines);
  const headingAt = unfenced.find((i) => /^#{2,3}\s+status\s*#*\s*$/i.test(lines[i] ?? ""));
  if (headingAt === undefined) return null;
  const next = unfenced.find((i) => i > headingAt && /^#{1,6}\s/.test(lines[i] ?? "")) ?? lines.length;
  const first = unfenced.find((i) => i > headingAt && i < next && (lines[i] ?? "").trim() !== "");
  if (first === undefined) {
    lines.splice(headingAt + 1, 0, "", inCaseOf("A", status));
    return lines.join("\n");
  }
  const line = lines[first] ?? "";
  // A line with a link is history ("Amended by [3](…)"): the decision goes above it.
  if (line.includes("](")) lines.splice(first, 0, inCaseOf("A", status), "");
  else lines[first] = replaceStatusWord(line, status);
  return lines.join("\n");
}
