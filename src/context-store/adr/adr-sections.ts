/**
 * Sections of an ADR by heading: their bodies sliced from the source (so the
 * markdown stays as written), the `## Module guidance` subsections, and the
 * first line of a section such as `## Status`.
 */
import type { Heading, Nodes, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import type { AdrSection } from "./adr-record.js";
import type { SectionLine } from "./adr-fields.js";
import { guidanceModuleName, isGuidanceHeading, sectionName } from "./adr-section-names.js";
import { flatten, plainText, sourceOf } from "./adr-markdown.js";

export interface HeadingSection {
  heading: Heading;
  /** Heading text without markup. */
  title: string;
  depth: number;
  /** Top-level nodes up to the next heading of any depth (the section's own lead). */
  lead: RootContent[];
  /** Markdown up to the next heading of the same or a higher level, trimmed. */
  body: string;
}

export function headingSections(root: Root, text: string): HeadingSection[] {
  const children = root.children;
  const sections: HeadingSection[] = [];
  // The title heading is not a section.
  const firstHeading = children.find((n) => n.type === "heading" && n.depth === 1);
  children.forEach((node, i) => {
    // H1s count too: some teams write every section as `# Status`, `# Context`.
    if (node.type !== "heading" || node === firstHeading) return;
    const lead: RootContent[] = [];
    let j = i + 1;
    for (; j < children.length; j++) {
      const next = children[j];
      if (!next || next.type === "heading") break;
      lead.push(next);
    }
    let end = text.length;
    for (let k = i + 1; k < children.length; k++) {
      const next = children[k];
      if (next && next.type === "heading" && next.depth <= node.depth) {
        end = next.position?.start.offset ?? end;
        break;
      }
    }
    const start = node.position?.end.offset ?? end;
    sections.push({
      heading: node,
      title: toString(node, { includeHtml: false }).replace(/\s+/g, " ").trim(),
      depth: node.depth,
      lead,
      body: text.slice(start, end).trim(),
    });
  });
  return sections;
}

export function adrSections(sections: readonly HeadingSection[]): AdrSection[] {
  return sections
    .filter((s) => s.depth === 2 || s.depth === 3)
    .map((s) => ({ heading: s.title, depth: s.depth, body: s.body }));
}


/** Module name → guidance markdown, from the `###` subsections of `## Module guidance`. */
export function moduleGuidance(sections: readonly HeadingSection[]): Record<string, string> {
  const guidance: Record<string, string> = {};
  const start = sections.findIndex((s) => s.depth === 2 && isGuidanceHeading(s.title));
  if (start < 0) return guidance;
  for (const section of sections.slice(start + 1)) {
    if (section.depth <= 2) break;
    if (section.depth !== 3) continue;
    const name = guidanceModuleName(section.title);
    // Own properties only, defined rather than assigned: a module named "constructor" or "__proto__" is just a name.
    if (name !== "" && !Object.hasOwn(guidance, name)) Object.defineProperty(guidance, name, { value: section.body, enumerable: true, writable: true, configurable: true });
  }
  return guidance;
}

function firstLineOf(node: Nodes, text: string, defs: ReadonlyMap<string, string>): SectionLine | null {
  const start = node.position?.start ?? { line: 1, column: 1, offset: 0 };
  switch (node.type) {
    case "paragraph": {
      const flatLines = flatten(node, defs).split("\n");
      const rawLines = sourceOf(node, text).split(/\r?\n/);
      const i = flatLines.findIndex((l) => l.trim() !== "");
      if (i < 0) return null;
      const value = (flatLines[i] ?? "").trim();
      const raw = rawLines.length === flatLines.length ? (rawLines[i] ?? "").trim() : plainText(value);
      return { value, raw, offset: start.offset ?? 0, line: start.line + i, column: i === 0 ? start.column : 1 };
    }
    case "list": {
      // A checklist of statuses marks the one that holds.
      const checked = node.children.find((item) => item.checked === true);
      for (const item of checked ? [checked] : node.children) {
        const line = firstLineOf(item, text, defs);
        if (line) return line;
      }
      return null;
    }
    case "listItem":
    case "blockquote":
      for (const child of node.children) {
        const line = firstLineOf(child, text, defs);
        if (line) return line;
      }
      return null;
    case "table": {
      const row = node.children[0];
      if (!row) return null;
      const value = row.children.map((c) => flatten(c, defs).trim()).filter((v) => v !== "").join(" ");
      return value === "" ? null : { value, raw: plainText(value), offset: start.offset ?? 0, line: start.line, column: start.column };
    }
    default:
      return null;
  }
}

/**
 * The first non-empty line of the first section whose heading is one of
 * `names` (`## Status`), wherever it stands. A heading that carries its value
 * (`## Status: Accepted`) is its own first line.
 */
export function sectionFirstLine(
  sections: readonly HeadingSection[],
  names: ReadonlySet<string>,
  text: string,
  defs: ReadonlyMap<string, string>,
): SectionLine | null {
  for (const section of sections) {
    const name = sectionName(section.title);
    if (!name || !names.has(name.name)) continue;
    if (name.inline !== "") {
      const start = section.heading.position?.start ?? { line: 1, column: 1, offset: 0 };
      const raw = sourceOf(section.heading, text).replace(/^#+\s*/, "").replace(/^[^:：]*[:：]\s*/, "").trim();
      return { value: flatten(section.heading, defs).replace(/^[^:：]*[:：]\s*/, "").trim(), raw, offset: start.offset ?? 0, line: start.line, column: start.column };
    }
    for (const node of section.lead) {
      const line = firstLineOf(node, text, defs);
      if (line) return line;
    }
    return null;
  }
  return null;
}
