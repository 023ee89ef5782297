import YAML from "yaml";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import type { Heading, Root } from "mdast";
import type { AdrStatus } from "./adr-record.js";
import { parseAdr } from "./parse-adr.js";

/**
 * Writing ADRs the way Baton proposes them: MADR sections under YAML front
 * matter. The format is a contract with the reader (parse-adr.ts): what Baton
 * writes must read back to the same title, status, date, modules, spec,
 * supersession and module guidance. Free text is embedded so that it can never
 * break the section structure around it (see `embedMarkdown`).
 */

export type AdrDraftStatus = Exclude<AdrStatus, "other" | "unknown">;

export interface AdrOption {
  name: string;
  description?: string;
}

export interface AdrDraft {
  number: number;
  title: string;
  status: AdrDraftStatus;
  /** `YYYY-MM-DD`. */
  date: string;
  modules: string[];
  /** A spec path (`docs/specs/x.md`) or issue reference (`#12`); null when the ADR answers no spec. */
  spec: string | null;
  supersedes: number[];
  supersededBy: number[];
  context: string;
  options: AdrOption[];
  decision: string;
  /** One bullet each; start them with "Good, because" / "Bad, because" for MADR's convention. */
  consequences: string[];
  /** Module name → guidance markdown. */
  guidance: Record<string, string>;
}

/** Headings inside embedded text start at this depth: `##` and `###` belong to the ADR's own structure. */
export const EMBEDDED_MIN_HEADING_DEPTH = 4;

const markdown = unified().use(remarkParse).use(remarkGfm);

function parseMarkdown(text: string): Root {
  return markdown.parse(text) as Root;
}

/**
 * Makes a piece of user or model markdown safe to place under a heading of
 * Baton's own. The result is what the reader gives back, so it is also the
 * canonical form of that text (and `embedMarkdown` is idempotent):
 * - line endings become `\n`, NUL becomes U+FFFD, outer whitespace is trimmed
 *   (the reader trims section bodies);
 * - top-level headings are shifted down together (keeping their relative
 *   levels, capped at 6) so the shallowest is `minDepth`; setext headings
 *   become ATX so the shift is visible in the text;
 * - text that would swallow what follows it (an unclosed code fence, an
 *   unterminated `<!--` or `<pre>` block) is wrapped verbatim in a tilde
 *   fence longer than any tilde run inside it.
 */
export function embedMarkdown(text: string, minDepth: number = EMBEDDED_MIN_HEADING_DEPTH): string {
  let s = text.replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD").trim();
  if (s === "") return "";
  s = demoteHeadings(s, minDepth).trim();
  if (!isSelfContained(s)) s = fenceVerbatim(s);
  return s;
}

function demoteHeadings(text: string, minDepth: number): string {
  const headings = parseMarkdown(text).children.filter((n): n is Heading => n.type === "heading");
  if (headings.length === 0) return text;
  const shallowest = Math.min(...headings.map((h) => h.depth));
  const shift = Math.max(0, minDepth - shallowest);
  const needsRewrite = (h: Heading): boolean => shift > 0 || !isAtx(text, h);
  let out = text;
  // Right to left, so earlier offsets stay valid.
  for (const h of [...headings].reverse()) {
    if (!needsRewrite(h)) continue;
    const start = h.position?.start.offset;
    const end = h.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const depth = Math.min(6, h.depth + shift);
    out = out.slice(0, start) + atxHeading(depth, headingContent(text, h)) + out.slice(end);
  }
  return out;
}

function isAtx(text: string, h: Heading): boolean {
  const start = h.position?.start.offset ?? 0;
  return text.slice(start).trimStart().startsWith("#");
}

/** The heading's inline source, on one line. */
function headingContent(text: string, h: Heading): string {
  const first = h.children[0]?.position?.start.offset;
  const last = h.children[h.children.length - 1]?.position?.end.offset;
  if (first === undefined || last === undefined) return "";
  return text.slice(first, last).replace(/[ \t]*\n[ \t]*/g, " ").trim();
}

/** An ATX heading whose text is exactly `content`: a trailing `#` run is protected from being read as a closing sequence. */
export function atxHeading(depth: number, content: string): string {
  const marks = "#".repeat(Math.min(6, Math.max(1, depth)));
  if (content === "") return marks;
  const protectedContent = /(^|[ \t])#+$/.test(content) ? `${content} ${marks}` : content;
  return `${marks} ${protectedContent}`;
}

/** True when a heading written right after the text is still read as a top-level heading. */
function isSelfContained(text: string): boolean {
  const sentinel = "baton-embed-sentinel";
  const tree = parseMarkdown(`${text}\n\n# ${sentinel}\n`);
  const last = tree.children[tree.children.length - 1];
  if (last?.type !== "heading" || last.depth !== 1) return false;
  const child = last.children[0];
  return last.children.length === 1 && child?.type === "text" && child.value === sentinel;
}

function fenceVerbatim(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/~+/g) ?? []).map((r) => r.length));
  const fence = "~".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Titles and module names live on one heading line. */
export function foldLine(text: string): string {
  return text.replace(/\0/g, "\uFFFD").replace(/\s+/g, " ").trim();
}

function indentContinuation(text: string, indent: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : indent + line))
    .join("\n");
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function adrNumbers(values: readonly number[]): number[] {
  return unique(values.filter((n) => Number.isSafeInteger(n) && n >= 0));
}

/**
 * Backslash-escapes the characters that start inline markdown (code, emphasis,
 * links, HTML, entities, strikethrough); with `all`, every ASCII punctuation
 * character, after which any text parses as exactly itself.
 */
export function escapeMarkdownText(text: string, all = false): string {
  return text.replace(all ? /[!-/:-@[-`{-~]/g : /[\\`*_[\]<>&!~]/g, "\\$&");
}

/** Drops what the reader removes from every H1 and so cannot be written: a `{#id}` suffix and a `**…**` wrapper. */
function canonicalTitle(title: string): string {
  let t = foldLine(title);
  for (let previous = ""; previous !== t; ) {
    previous = t;
    t = t.replace(/\s*\{#[^}]*\}\s*$/, "").trim();
    const bold = /^(\*\*|__)(.+)\1$/s.exec(t);
    if (bold) t = (bold[2] ?? "").trim();
  }
  return t || "Untitled decision";
}

function readBackTitle(line: string): string {
  return parseAdr("0000-title.md", `${line}\n`).title;
}

/**
 * The H1 line, and the title the reader will read from it. The reader
 * removes one leading number/ID prefix from an H1 (adr-tools writes
 * `# 12. Title`) and reads inline markdown as text, so the encoding is, in
 * order, the first that reads back unchanged:
 *   1. the title as it is (`# Use Postgres for jobs`; MADR keeps numbers out of headings);
 *   2. behind Baton's own ID prefix, as adr-tools does, when the title itself
 *      starts like an ID (`# 13. 2024 roadmap` reads "2024 roadmap");
 *   3. with inline markdown characters backslash-escaped, when markdown would
 *      change the text (`# Keep \*one\* writer` reads "Keep *one* writer");
 *   4. both; 5. and 6. the same with every ASCII punctuation character escaped.
 */
export function encodeAdrTitle(title: string, number: number): { line: string; title: string } {
  const wanted = canonicalTitle(title);
  const prefix = `${Number.isSafeInteger(number) && number >= 0 ? number : 0}. `;
  const escaped = escapeMarkdownText(wanted);
  const allEscaped = escapeMarkdownText(wanted, true);
  const candidates = [wanted, prefix + wanted, escaped, prefix + escaped, allEscaped, prefix + allEscaped].map((c) => atxHeading(1, c));
  for (const line of candidates) if (readBackTitle(line) === wanted) return { line, title: wanted };
  const line = candidates[candidates.length - 1] ?? `# ${allEscaped}`;
  return { line, title: readBackTitle(line) };
}

function readBackModule(line: string): string | undefined {
  return Object.keys(parseAdr("0000-module.md", `## Module guidance\n\n${line}\n\nx\n`).guidance)[0];
}

/** A `### <module>` heading that reads back as the module name: as written when possible, else escaped. */
export function encodeModuleHeading(module: string): { line: string; module: string } {
  const wanted = foldLine(module);
  const candidates = [wanted, escapeMarkdownText(wanted), escapeMarkdownText(wanted, true)].map((c) => atxHeading(3, c));
  for (const line of candidates) if (readBackModule(line) === wanted) return { line, module: wanted };
  const line = candidates[2] ?? `### ${wanted}`;
  return { line, module: readBackModule(line) ?? wanted };
}

function setOwn(record: Record<string, string>, key: string, value: string): void {
  // Plain assignment of "__proto__" would change the prototype instead of adding a key.
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The draft as the reader will give it back: folded title and module names
 * (the reader also splits `modules` on commas, and lists the guidance
 * modules when `modules` is empty), embedded guidance, empty guidance and
 * duplicate numbers dropped. Rendering a canonical draft and reading it
 * returns these values exactly; for ordinary input it is the draft itself.
 */
export function canonicalAdrDraft(draft: AdrDraft): AdrDraft {
  const guidance: Record<string, string> = {};
  for (const [module, text] of Object.entries(draft.guidance)) {
    if (foldLine(module) === "") continue;
    const name = encodeModuleHeading(module).module;
    const body = embedMarkdown(text);
    if (name !== "" && body !== "" && !Object.hasOwn(guidance, name)) setOwn(guidance, name, body);
  }
  const listed = unique(draft.modules.flatMap((m) => m.split(",")).map(foldLine).filter((m) => m !== ""));
  const spec = draft.spec === null ? null : foldLine(draft.spec);
  return {
    ...draft,
    title: encodeAdrTitle(draft.title, draft.number).title,
    modules: listed.length > 0 ? listed : Object.keys(guidance),
    spec: spec === "" ? null : spec,
    supersedes: adrNumbers(draft.supersedes),
    supersededBy: adrNumbers(draft.supersededBy),
    guidance,
  };
}

function frontMatter(d: AdrDraft): string {
  const doc = new YAML.Document({
    status: d.status,
    date: d.date,
    modules: d.modules,
    ...(d.spec === null ? {} : { spec: d.spec }),
    supersedes: d.supersedes,
    "superseded-by": d.supersededBy,
  });
  for (const key of ["modules", "supersedes", "superseded-by"]) {
    const node = doc.get(key, true);
    if (YAML.isSeq(node)) node.flow = true;
  }
  return `---\n${doc.toString({ lineWidth: 0 })}---`;
}

function renderOption(option: AdrOption): string {
  const name = foldLine(option.name);
  const description = embedMarkdown(option.description ?? "");
  if (description === "") return `* ${name}`;
  if (!description.includes("\n")) return `* ${name}: ${description}`;
  return `* ${name}\n\n  ${indentContinuation(description, "  ")}`;
}

/** Renders a new ADR. Pure; never throws. */
export function renderAdr(draft: AdrDraft): string {
  const d = canonicalAdrDraft(draft);
  const parts: string[] = [frontMatter(d), encodeAdrTitle(draft.title, draft.number).line];
  const section = (heading: string, body: string): void => {
    if (body !== "") parts.push(`## ${heading}`, body);
  };
  section("Context and Problem Statement", embedMarkdown(d.context));
  section("Considered Options", d.options.filter((o) => foldLine(o.name) !== "").map(renderOption).join("\n"));
  section("Decision Outcome", embedMarkdown(d.decision));
  section(
    "Consequences",
    d.consequences
      .map((c) => embedMarkdown(c))
      .filter((c) => c !== "")
      .map((c) => `* ${indentContinuation(c, "  ")}`)
      .join("\n"),
  );
  // Guidance in the order of `modules`, then any module only the guidance names.
  const guidanceModules = unique([...d.modules.filter((m) => Object.hasOwn(d.guidance, m)), ...Object.keys(d.guidance)]);
  if (guidanceModules.length > 0) {
    parts.push("## Module guidance");
    for (const module of guidanceModules) parts.push(encodeModuleHeading(module).line, d.guidance[module] ?? "");
  }
  return `${parts.join("\n\n")}\n`;
}
