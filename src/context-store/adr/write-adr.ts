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
  /** MADR's pros and cons: each point without its "Good, because" / "Bad, because". */
  good?: string[];
  bad?: string[];
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
  /** MADR's decision drivers, one bullet each. */
  drivers?: string[];
  options: AdrOption[];
  decision: string;
  /** One bullet each; start them with "Good, because" / "Bad, because" for MADR's convention. */
  consequences: string[];
  /** MADR 4's Confirmation: how compliance with the decision is checked. */
  confirmation?: string;
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

/** H1 lines for a title, in order of preference (see `layoutAdr`). */
function titleCandidates(title: string, number: number): string[] {
  const prefix = `${Number.isSafeInteger(number) && number >= 0 ? number : 0}. `;
  const escaped = escapeMarkdownText(title);
  const allEscaped = escapeMarkdownText(title, true);
  return [title, prefix + title, escaped, prefix + escaped, allEscaped, prefix + allEscaped].map((c) => atxHeading(1, c));
}

function moduleCandidates(module: string): string[] {
  return [module, escapeMarkdownText(module), escapeMarkdownText(module, true)].map((c) => atxHeading(3, c));
}

function setOwn(record: Record<string, string>, key: string, value: string): void {
  // Plain assignment of "__proto__" would change the prototype instead of adding a key.
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

interface AdrLayout {
  text: string;
  /** The draft as it reads back. */
  canonical: AdrDraft;
}

/**
 * Lays the ADR out and checks it with the reader. Headings are the one place
 * where Baton's text meets the reader's conventions: it removes one leading
 * number/ID prefix from an H1 (adr-tools writes `# 12. Title`) and reads
 * inline markdown as text, and how a line reads can depend on the rest of the
 * file (a link reference defined in the guidance, GFM autolinks). So each
 * heading is written in the first of these encodings that reads back
 * unchanged in the whole file:
 *   title: 1. as it is (`# Use Postgres`; MADR keeps numbers out of headings);
 *          2. behind Baton's own ID prefix, as adr-tools does, when the title
 *             itself starts like an ID (`# 13. 2024 roadmap` reads "2024 roadmap");
 *          3. with inline markdown characters backslash-escaped
 *             (`# Drop \<br\> tags` reads "Drop <br> tags"); 4. both;
 *          5./6. as 3./4. with every ASCII punctuation character escaped;
 *   module: as it is, then escaped as 3., then as 5.
 * What cannot be written (a title's `{#id}` suffix or `**…**` wrapper, which
 * the reader always drops) is left out of the canonical draft.
 */
function layoutAdr(draft: AdrDraft): AdrLayout {
  const title = canonicalTitle(draft.title);
  const entries: { name: string; body: string }[] = [];
  for (const [module, text] of Object.entries(draft.guidance)) {
    const name = foldLine(module);
    const body = embedMarkdown(text);
    if (name !== "" && body !== "" && !entries.some((e) => e.name === name)) entries.push({ name, body });
  }
  const listed = unique(draft.modules.flatMap((m) => m.split(",")).map(foldLine).filter((m) => m !== ""));
  const modules = listed.length > 0 ? listed : entries.map((e) => e.name);
  // Guidance in the order of `modules`, then any module only the guidance names.
  const rank = (name: string): number => (modules.includes(name) ? modules.indexOf(name) : modules.length);
  const ordered = entries.map((e, i) => ({ ...e, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i);
  const spec = draft.spec === null ? null : foldLine(draft.spec);
  const fields: AdrDraft = {
    ...draft,
    title,
    modules,
    spec: spec === "" ? null : spec,
    supersedes: adrNumbers(draft.supersedes),
    supersededBy: adrNumbers(draft.supersededBy),
  };

  const titles = titleCandidates(title, draft.number);
  const headings = ordered.map((e) => moduleCandidates(e.name));
  let t = 0;
  const m = ordered.map(() => 0);
  for (;;) {
    const text = composeAdr(fields, titles[t] ?? "", ordered.map((e, i) => ({ line: headings[i]?.[m[i] ?? 0] ?? "", body: e.body })));
    const read = parseAdr("0000-adr.md", text);
    const readsBack = (e: { name: string; body: string }): boolean => Object.hasOwn(read.guidance, e.name) && read.guidance[e.name] === e.body;
    let changed = false;
    if (read.title !== title && t < titles.length - 1) {
      t++;
      changed = true;
    }
    ordered.forEach((e, i) => {
      if (!readsBack(e) && (m[i] ?? 0) < (headings[i]?.length ?? 0) - 1) {
        m[i] = (m[i] ?? 0) + 1;
        changed = true;
      }
    });
    if (changed) continue;
    // A name no encoding preserves is known by what the reader made of it (found by its body).
    const unclaimed = Object.keys(read.guidance).filter((k) => !ordered.some((e) => e.name === k && readsBack(e)));
    const guidance: Record<string, string> = {};
    for (const e of ordered) {
      let name = e.name;
      if (!readsBack(e)) {
        const found = unclaimed.findIndex((k) => read.guidance[k] === e.body);
        if (found >= 0) name = unclaimed.splice(found, 1)[0] ?? name;
      }
      if (!Object.hasOwn(guidance, name)) setOwn(guidance, name, e.body);
    }
    return { text, canonical: { ...fields, title: read.title, guidance } };
  }
}

/**
 * The draft as the reader will give it back: folded title and module names
 * (the reader also splits `modules` on commas, and lists the guidance
 * modules when `modules` is empty), embedded guidance, empty guidance and
 * duplicate numbers dropped. Rendering a canonical draft and reading it
 * returns these values exactly; for ordinary input it is the draft itself.
 */
export function canonicalAdrDraft(draft: AdrDraft): AdrDraft {
  return layoutAdr(draft).canonical;
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

function bullets(items: readonly string[]): string {
  return items
    .map((c) => embedMarkdown(c))
    .filter((c) => c !== "")
    .map((c) => `* ${indentContinuation(c, "  ")}`)
    .join("\n");
}

function composeAdr(d: AdrDraft, titleLine: string, guidance: readonly { line: string; body: string }[]): string {
  const parts: string[] = [frontMatter(d), titleLine];
  const section = (heading: string, body: string): void => {
    if (body !== "") parts.push(`## ${heading}`, body);
  };
  section("Context and Problem Statement", embedMarkdown(d.context));
  section("Decision Drivers", bullets(d.drivers ?? []));
  const options = d.options.filter((o) => foldLine(o.name) !== "");
  section("Considered Options", options.map(renderOption).join("\n"));
  const outcome = embedMarkdown(d.decision);
  const confirmation = embedMarkdown(d.confirmation ?? "");
  section("Decision Outcome", confirmation === "" || outcome === "" ? outcome : `${outcome}\n\n### Confirmation\n\n${confirmation}`);
  section(
    "Consequences",
    d.consequences
      .map((c) => embedMarkdown(c))
      .filter((c) => c !== "")
      .map((c) => `* ${indentContinuation(c, "  ")}`)
      .join("\n"),
  );
  // MADR 4's order: the outcome and its consequences, then the pros and cons of each option.
  const weighed = options.filter((o) => (o.good?.length ?? 0) + (o.bad?.length ?? 0) > 0);
  if (weighed.length > 0) {
    parts.push("## Pros and Cons of the Options");
    for (const o of weighed) {
      parts.push(atxHeading(3, escapeMarkdownText(foldLine(o.name), true)), bullets([...(o.good ?? []).map((g) => `Good, because ${g}`), ...(o.bad ?? []).map((b) => `Bad, because ${b}`)]));
    }
  }
  if (guidance.length > 0) {
    parts.push("## Module guidance");
    for (const g of guidance) parts.push(g.line, g.body);
  }
  return `${parts.join("\n\n")}\n`;
}

/** Renders a new ADR. Pure; never throws. */
export function renderAdr(draft: AdrDraft): string {
  return layoutAdr(draft).text;
}
