import { atxHeading, embedMarkdown, foldLine } from "../adr/write-adr.js";
import { FIELD_LINE, normaliseLesson, pitfallId, pitfallMarker, prFromUrl, type NewPitfall, type PitfallSource } from "./pitfall-entry.js";
import { parsePitfallMarkdown, parsePitfalls, verbatimLines } from "./parse-pitfalls.js";

/**
 * Adding lessons to `docs/pitfalls/<module>.md`. The file belongs to the team:
 * existing text is kept byte for byte and new entries are appended at the end
 * (oldest first, like a log). A lesson already in the file, by marker id or by
 * normalised text, is not added twice.
 */

/** Entries are `##`, so headings inside a lesson start at `###`. */
const ENTRY_BODY_MIN_DEPTH = 3;
const MAX_TITLE_LENGTH = 80;

export interface AppendResult {
  content: string;
  added: boolean;
  /** The id of the new entry, or of the existing entry that already holds the lesson. */
  id: string;
}

/**
 * Lesson and why text as they are written and read back: embedded like ADR
 * text, and a line that the reader would take for one of the field labels
 * (outside code and HTML) gets its first `*`/`_` escaped so it stays text.
 */
export function canonicalPitfallText(text: string): string {
  const embedded = embedMarkdown(text, ENTRY_BODY_MIN_DEPTH);
  const verbatim = verbatimLines(parsePitfallMarkdown(embedded));
  return embedded
    .split("\n")
    .map((line, i) =>
      !verbatim.code.has(i + 1) && !verbatim.html.has(i + 1) && FIELD_LINE.test(line) ? line.replace(/(\*\*|__)/, (m) => `\\${m}`) : line,
    )
    .join("\n");
}

/** A heading from the lesson's first sentence, without markdown punctuation, cut at a word. */
export function pitfallTitle(lesson: string): string {
  const firstLine = lesson.split("\n").find((l) => l.trim() !== "") ?? "";
  const plain = foldLine(
    firstLine
      .replace(/\]\([^)]*\)/g, "]")
      .replace(/^[\s#>*+\-\d.)]+/, "")
      .replace(/[*_`~[\]\\]/g, ""),
  );
  const sentence = /^(.+?[.!?])(?:\s|$)/.exec(plain)?.[1] ?? plain;
  const clean = sentence.replace(/[.!?]+$/, "").trim();
  if (clean.length <= MAX_TITLE_LENGTH) return clean || "Pitfall";
  const cut = clean.slice(0, MAX_TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${space > MAX_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}

/** URL without characters that cannot live inside `<...>` in a link. */
function cleanUrl(url: string): string {
  return url.trim().replace(/\s+/g, "").replace(/[<>]/g, (c) => encodeURIComponent(c));
}

/** The source as it reads back: a pull request URL implies its PR number. */
export function canonicalSource(source: PitfallSource | undefined): PitfallSource {
  const out: PitfallSource = {};
  const url = source?.url ? cleanUrl(source.url) : "";
  if (url) out.url = url;
  const pr = source?.pr ?? (url ? prFromUrl(url) : undefined);
  if (pr !== undefined && Number.isSafeInteger(pr) && pr >= 0) out.pr = pr;
  if (source?.finding && /^[0-9a-f]{4,16}$/.test(source.finding)) out.finding = source.finding;
  return out;
}

/** `[PR #21](url)`, and `, finding \`3f2a9c01\`` when it was learned from a review finding. */
export function renderSource(source: PitfallSource): string | null {
  const label = source.pr !== undefined ? `PR #${source.pr}` : null;
  const finding = source.finding ? `, finding \`${source.finding}\`` : "";
  if (source.url) {
    const target = /[\s()]/.test(source.url) ? `<${source.url}>` : source.url;
    return `[${label ?? source.url.replace(/([[\]\\])/g, "\\$1")}](${target})${finding}`;
  }
  return label ? `${label}${finding}` : null;
}

/** The markdown of one entry, as `appendPitfall` writes it (no trailing newline). */
export function renderPitfallEntry(entry: NewPitfall): { id: string; text: string } {
  const lesson = canonicalPitfallText(entry.lesson);
  const id = pitfallId(lesson);
  const title = foldLine(entry.title ?? "") || pitfallTitle(lesson);
  const why = canonicalPitfallText(entry.why ?? "");
  const source = renderSource(canonicalSource(entry.source));
  const date = foldLine(entry.date);
  const parts = [`${atxHeading(2, title)}\n${pitfallMarker(id)}`, lesson];
  if (why !== "") parts.push(why.includes("\n") ? `**Why it matters:**\n\n${why}` : `**Why it matters:** ${why}`);
  if (source) parts.push(`**Learned in:** ${source}`);
  if (date !== "") parts.push(`**When:** ${date}`);
  return { id, text: parts.join("\n\n") };
}

function newFile(module: string): string {
  const name = foldLine(module) || "module";
  return `${atxHeading(1, `Pitfalls: ${name}`)}\n\nKnown pitfalls of the ${name} module, one entry per lesson. Baton adds entries (\`/baton remember\` on a pull request); hand-written entries are read too.\n`;
}

/**
 * Text that would swallow an appended heading (an unclosed fence or comment
 * left by a hand edit) is closed first, so the new entry is always read.
 */
function closeDangling(text: string): string {
  for (const closer of ["", "```", "~~~", "-->", "````", "~~~~"]) {
    const candidate = closer ? `${text}\n${closer}` : text;
    const probe = parsePitfalls("probe.md", `${candidate}\n\n## baton probe\n`);
    if (probe.entries.some((e) => e.title === "baton probe")) return candidate;
  }
  return text;
}

/**
 * Appends a lesson to a module's pitfall file (created when `existingText` is
 * null or empty). A lesson whose id or normalised text matches an existing
 * entry's (a title-only entry's lesson is its title) is not added:
 * `added: false` and the file comes back unchanged.
 */
export function appendPitfall(existingText: string | null, module: string, entry: NewPitfall): AppendResult {
  const original = existingText ?? "";
  const rendered = renderPitfallEntry(entry);
  const lessonKey = normaliseLesson(canonicalPitfallText(entry.lesson));
  if (lessonKey === "") return { content: original, added: false, id: rendered.id };

  const existing = original.trim() === "" ? null : parsePitfalls(`${module}.md`, original);
  // A title-only entry reads with its title as the lesson, so comparing lessons covers it.
  const duplicate = existing?.entries.find((e) => e.id === rendered.id || normaliseLesson(e.lesson) === lessonKey);
  if (duplicate) return { content: original, added: false, id: duplicate.id };
  return { content: appendPitfallText(original, module, rendered.text), added: true, id: rendered.id };
}

/**
 * An entry's markdown (as `renderPitfallEntry` writes it, or as a learning
 * pull request holds it) appended at the end of a module's file, created
 * when empty. The file's text is kept byte for byte; a file whose every
 * line ends in CRLF gets a CRLF entry, any other file is appended to with LF.
 */
export function appendPitfallText(existingText: string | null, module: string, entryText: string): string {
  const original = existingText ?? "";
  const crlf = original.includes("\r\n") && !/(^|[^\r])\n/.test(original);
  const base = original.trim() !== "" ? closeDangling((crlf ? original.replace(/\r\n/g, "\n") : original).replace(/\s+$/, "")) : newFile(module).trimEnd();
  const content = `${base}\n\n${entryText.replace(/\r\n/g, "\n").trim()}\n`;
  return crlf ? content.replace(/\n/g, "\r\n") : content;
}
