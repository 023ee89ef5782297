import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import type { Heading, Nodes, Root } from "mdast";
import {
  FIELD_LINE,
  PITFALL_MARKER,
  fieldName,
  moduleFromPitfallPath,
  pitfallId,
  prFromUrl,
  type PitfallEntry,
  type PitfallFile,
  type PitfallSource,
} from "./pitfall-entry.js";

export { pitfallPath } from "./pitfall-entry.js";
export type { PitfallEntry, PitfallFile, PitfallSource } from "./pitfall-entry.js";

/**
 * Reads `docs/pitfalls/<module>.md`. Every top-level `##` heading starts an
 * entry, whoever wrote it; Baton's fields (`**Why it matters:**`,
 * `**Learned in:**`, `**When:**`) are picked out where present and the text
 * before them is the lesson. Never throws: odd content yields warnings.
 */

const markdown = unified().use(remarkParse).use(remarkGfm);

export function parsePitfallMarkdown(text: string): Root {
  return markdown.parse(text) as Root;
}

/** 1-based lines that hold code or raw HTML, at any depth: labels and markers there are text, not structure. */
export interface VerbatimLines {
  code: Set<number>;
  html: Set<number>;
}

export function verbatimLines(tree: Root): VerbatimLines {
  const out: VerbatimLines = { code: new Set(), html: new Set() };
  // Only block HTML hides a line; inline HTML (`**Why it matters:** </pre>`) sits inside a paragraph.
  const blockParents = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);
  const visit = (node: Nodes, parentType: string): void => {
    if (node.type === "code" || (node.type === "html" && blockParents.has(parentType))) {
      const target = node.type === "code" ? out.code : out.html;
      for (let l = node.position?.start.line ?? 0; l <= (node.position?.end.line ?? -1); l++) target.add(l);
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child as Nodes, node.type);
  };
  visit(tree, "");
  return out;
}

export function parsePitfalls(path: string, text: string): PitfallFile {
  const module = moduleFromPitfallPath(path);
  const warnings: string[] = [];
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let tree: Root;
  try {
    tree = parsePitfallMarkdown(source);
  } catch (error) {
    return { path, module, entries: [], warnings: [`could not parse the file: ${String(error)}`] };
  }
  const headings = tree.children.filter((n): n is Heading => n.type === "heading" && n.depth <= 2);

  const h1 = headings.find((h) => h.depth === 1);
  const h1Text = h1 ? inlineSource(source, h1) : null;
  const h1Module = h1Text ? /^pitfalls\s*:\s*(.+)$/i.exec(h1Text)?.[1]?.trim() : undefined;
  if (h1Module !== undefined && h1Module !== module) warnings.push(`the title names module "${h1Module}", but the file is for "${module}"`);

  const verbatim = verbatimLines(tree);
  const entries: PitfallEntry[] = [];
  headings.forEach((h, i) => {
    if (h.depth !== 2) return;
    const start = h.position?.end.offset ?? 0;
    const end = headings[i + 1]?.position?.start.offset ?? source.length;
    // The body starts at the end of the heading's last line: its first "line" is that line's remainder.
    const firstLine = h.position?.end.line ?? 0;
    entries.push(readEntry(inlineSource(source, h), source.slice(start, end), h.position?.start.line ?? 0, firstLine, verbatim, warnings));
  });

  const seen = new Map<string, PitfallEntry>();
  for (const e of entries) {
    const first = seen.get(e.id);
    if (first) warnings.push(`line ${e.line}: "${e.title}" repeats the lesson of line ${first.line} (${e.id})`);
    else seen.set(e.id, e);
  }
  return { path, module, entries, warnings };
}

/** Heading text as written (inline markdown kept, closing `#`s dropped). */
function inlineSource(source: string, h: Heading): string {
  const first = h.children[0]?.position?.start.offset;
  const last = h.children[h.children.length - 1]?.position?.end.offset;
  if (first === undefined || last === undefined) return "";
  return source.slice(first, last).replace(/\s*\n\s*/g, " ").trim();
}

function readEntry(title: string, body: string, line: number, firstLine: number, verbatim: VerbatimLines, warnings: string[]): PitfallEntry {
  let markerId: string | null = null;
  const lessonLines: string[] = [];
  const fields: { name: ReturnType<typeof fieldName>; lines: string[] }[] = [];

  body.split("\n").forEach((l, i) => {
    const docLine = firstLine + i;
    const marker = verbatim.code.has(docLine) ? null : PITFALL_MARKER.exec(l);
    if (marker?.[1] && markerId === null && l.trim() === marker[0]) {
      markerId = marker[1];
      return;
    }
    const field = verbatim.code.has(docLine) || verbatim.html.has(docLine) ? null : FIELD_LINE.exec(l);
    if (field?.[2]) {
      fields.push({ name: fieldName(field[2]), lines: [field[3] ?? ""] });
      return;
    }
    const current = fields[fields.length - 1];
    if (current) current.lines.push(l);
    else lessonLines.push(l);
  });

  const value = (name: string): string | null => {
    const f = fields.find((x) => x.name === name);
    return f ? f.lines.join("\n").trim() : null;
  };
  const lesson = lessonLines.join("\n").trim();
  const why = value("why");
  const date = value("date");
  const sourceText = value("source");
  const id = markerId ?? pitfallId(lesson || title);
  if (markerId === null && lesson === "" && fields.length === 0 && title === "") warnings.push(`line ${line}: an empty entry`);
  return {
    id,
    title,
    lesson: lesson || title,
    why: why === "" ? null : why,
    source: sourceText ? parseSource(sourceText) : {},
    date: date === "" || date === null ? null : (date.split("\n")[0] ?? "").trim(),
    marked: markerId !== null,
    line,
  };
}

/** `[PR #12](url)`, `PR #12`, `<url>` or a bare URL. */
export function parseSource(text: string): PitfallSource {
  const url =
    /\]\(<([^>\n]+)>\)/.exec(text)?.[1] ??
    /\]\(([^)\s]+)\)/.exec(text)?.[1] ??
    /<(https?:\/\/[^>\s]+)>/.exec(text)?.[1] ??
    /\bhttps?:\/\/[^\s<>)\]]+/.exec(text)?.[0];
  const prText = /\b(?:PR|pull request)\s*#?(\d+)/i.exec(text)?.[1] ?? /(?:^|\s)#(\d+)\b/.exec(text)?.[1];
  const prNumber = prText !== undefined ? Number(prText) : url ? prFromUrl(url) : undefined;
  const out: PitfallSource = {};
  if (url) out.url = url;
  if (prNumber !== undefined && Number.isSafeInteger(prNumber)) out.pr = prNumber;
  const finding = /\bfinding\s+`([0-9a-f]{4,16})`/.exec(text)?.[1];
  if (finding) out.finding = finding;
  return out;
}
