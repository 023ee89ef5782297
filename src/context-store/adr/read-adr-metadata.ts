/**
 * The fast tier of the ADR reader: number, title, status, date,
 * supersession, modules and spec of an ADR from one linear pass over its
 * lines (adr-fast-blocks.ts, adr-fast-inline.ts), without a markdown parser.
 * It runs for every ADR of a repository, on any thread. The rules are the
 * full tier's own (adr-fields.ts), so both tiers read every field the same
 * way; a test holds them to it on the whole ADR corpus.
 */
import type { AdrMetadata, AdrProblem } from "./adr-record.js";
import { readAdrFields, type AdrLine, type AdrReading, type SectionLine } from "./adr-fields.js";
import { scanBlocks, type RawBlock, type SourceLine } from "./adr-fast-blocks.js";
import { flattenInline, type Definitions } from "./adr-fast-inline.js";
import { needsGfm, plainText } from "./adr-flat-text.js";
import { blankFrontMatter, readFrontMatter, splitFrontMatter } from "./adr-front-matter.js";
import { normaliseKey, rawAfterKey, splitKeyValue, tableLayout } from "./adr-line-keys.js";
import { adrSource, frontMatterProblems } from "./adr-source.js";
import { guidanceModuleName, isGuidanceHeading, sectionName } from "./adr-section-names.js";

export interface AdrMetadataReading {
  metadata: AdrMetadata;
  problems: AdrProblem[];
}

type Paragraph = Extract<RawBlock, { kind: "paragraph" }>;
type Table = Extract<RawBlock, { kind: "table" }>;
type Heading = Extract<RawBlock, { kind: "heading" }>;

interface Flattener {
  flat(text: string): string;
  title(text: string): string;
}

/** A paragraph's lines flattened together (inline markup may run across lines), then split again. */
function paragraphLines(p: Paragraph, f: Flattener): { flat: string; at: SourceLine }[] {
  const joined = p.lines.map((l) => l.text.trim().replace(/\\$/, "")).join("\n");
  const flat = f.flat(joined).split("\n");
  const aligned = flat.length === p.lines.length;
  return flat.map((value, i) => ({ flat: value, at: aligned ? p.lines[i]! : { ...p.lines[0]!, offset: p.lines[0]!.offset + i, line: p.lines[0]!.line + i } }));
}

function lineOf(at: SourceLine, inHeader: boolean): Pick<AdrLine, "offset" | "line" | "column" | "inHeader"> {
  return { offset: at.offset, line: at.line, column: at.column, inHeader };
}

/**
 * Past the header, a line counts only for supersession, and every word that
 * states one (relationsInText, relationOfKey) holds one of these stems: prose
 * without them is not flattened at all. This is most of the tier's speed.
 */
const RELATION_STEM = /supers|superc|replac|obsolet/i;

function pushParagraph(p: Paragraph, f: Flattener, inHeader: boolean, out: AdrLine[]): void {
  if (!inHeader && !p.lines.some((l) => RELATION_STEM.test(l.text))) return;
  for (const { flat, at } of paragraphLines(p, f)) {
    if (flat.trim() === "") continue;
    const kv = splitKeyValue(flat);
    if (kv) out.push({ ...lineOf(at, inHeader), key: kv.key, value: kv.value, rawValue: rawAfterKey(at.text.trim()) ?? plainText(kv.value) });
    else out.push({ ...lineOf(at, inHeader), key: null, value: flat.trim(), rawValue: at.text.trim() });
  }
}

function pushTable(t: Table, f: Flattener, inHeader: boolean, out: AdrLine[]): void {
  const header = t.rows[0];
  if (!header) return;
  if (!inHeader && !t.rows.some((r) => r.cells.some((c) => RELATION_STEM.test(c)))) return;
  const columns = header.cells.length;
  const cell = (row: Table["rows"][number], i: number) => (i < columns && row.cells[i] !== undefined ? f.flat(row.cells[i]!).trim() : "");
  const raw = (row: Table["rows"][number], i: number) => (i < columns ? (row.cells[i] ?? "") : "");
  const at = (row: Table["rows"][number], i: number) => ({
    offset: row.at.offset + i,
    line: row.at.line,
    column: row.at.column + (row.columns[i] ?? 0),
    inHeader,
  });
  const headerKeys = header.cells.map((_c, i) => normaliseKey(plainText(cell(header, i))));
  const layout = tableLayout(headerKeys, t.rows.length);
  if (layout === "changelog") return;
  if (layout === "horizontal") {
    const body = t.rows[1]!;
    headerKeys.forEach((key, i) => out.push({ ...at(body, i), key, value: cell(body, i), rawValue: raw(body, i) }));
    return;
  }
  for (const row of t.rows) {
    if (columns === 2) {
      const key = normaliseKey(plainText(cell(row, 0)));
      if (key !== "") {
        out.push({ ...at(row, 1), key, value: cell(row, 1), rawValue: raw(row, 1) });
        continue;
      }
    }
    row.cells.slice(0, columns).forEach((_c, i) => {
      const value = cell(row, i);
      if (value !== "") out.push({ ...at(row, i), key: null, value, rawValue: raw(row, i) });
    });
  }
}

/** The first line a section's lead yields: `firstLineOf` of the full tier, over blocks. */
function leadFirstLine(lead: readonly RawBlock[], f: Flattener): SectionLine | null {
  const fromParagraph = (p: Paragraph): SectionLine | null => {
    const lines = paragraphLines(p, f);
    const i = lines.findIndex((l) => l.flat.trim() !== "");
    if (i < 0) return null;
    const first = p.lines[0]!;
    return { value: lines[i]!.flat.trim(), raw: lines[i]!.at.text.trim(), offset: first.offset, line: lines[i]!.at.line, column: lines[i]!.at.column };
  };
  for (let b = 0; b < lead.length; b++) {
    const block = lead[b]!;
    if (block.kind === "heading") continue;
    if (block.kind === "table" && !block.list) {
      const header = block.rows[0]!;
      const value = header.cells.map((c) => f.flat(c).trim()).filter((v) => v !== "").join(" ");
      if (value !== "") return { value, raw: plainText(value), offset: header.at.offset, line: header.at.line, column: header.at.column };
      continue;
    }
    const list = block.list?.list;
    if (list === undefined) {
      if (block.kind === "paragraph") {
        const line = fromParagraph(block);
        if (line) return line;
      }
      continue;
    }
    // A list: a checklist of statuses marks the one that holds.
    const members: RawBlock[] = [];
    while (b < lead.length && (lead[b]!.kind === "heading" || (lead[b] as Paragraph).list?.list === list)) members.push(lead[b++]!);
    b--;
    const checked = members.find((m) => m.kind !== "heading" && m.list?.checked === true) as Paragraph | Table | undefined;
    const candidates = checked ? members.filter((m) => m.kind !== "heading" && m.list?.item === checked.list?.item) : members;
    for (const m of candidates) {
      if (m.kind === "paragraph") {
        const line = fromParagraph(m);
        if (line) return line;
      }
    }
  }
  return null;
}

/** Read the metadata of one ADR: the fast tier. `file` is the path relative to the ADR folder. */
export function readAdrMetadata(file: string, text: string): AdrMetadataReading {
  const source = adrSource(text);
  const block = splitFrontMatter(source);
  const fm = readFrontMatter(block);
  const problems = frontMatterProblems(source, block, fm.warnings);
  const body = blankFrontMatter(source, block);
  const gfm = needsGfm(body);
  const { blocks, definitions } = scanBlocks(body, gfm);
  const defs: Definitions = definitions;
  const f: Flattener = {
    flat: (t) => flattenInline(t, defs, { mode: "flat", gfm }),
    title: (t) => flattenInline(t, defs, { mode: "title", gfm }),
  };

  const lines: AdrLine[] = [];
  const sections: { heading: Heading; title: string; lead: RawBlock[] }[] = [];
  let h1: string | null = null;
  let titleHeading: Heading | null = null;
  let inHeader = true;
  for (const b of blocks) {
    if (b.kind === "heading") {
      if (b.depth === 1 && h1 === null) h1 = f.title(b.text);
      if (!b.topLevel) continue;
      if (b.depth >= 2) inHeader = false;
      if (b.depth === 1 && titleHeading === null) {
        titleHeading = b;
        continue;
      }
      sections.push({ heading: b, title: plainText(f.flat(b.text)).replace(/\s+/g, " ").trim(), lead: [] });
      continue;
    }
    sections[sections.length - 1]?.lead.push(b);
    if (b.kind === "paragraph") pushParagraph(b, f, inHeader, lines);
    else pushTable(b, f, inHeader, lines);
  }
  // Blocks before the first section belong to no lead; those after the title H1 and before a section neither.
  const guidanceModules: string[] = [];
  const guidanceStart = sections.findIndex((s) => s.heading.depth === 2 && isGuidanceHeading(s.title));
  if (guidanceStart >= 0) {
    for (const s of sections.slice(guidanceStart + 1)) {
      if (s.heading.depth <= 2) break;
      const name = s.heading.depth === 3 ? guidanceModuleName(s.title) : "";
      if (name !== "" && !guidanceModules.includes(name)) guidanceModules.push(name);
    }
  }

  const reading: AdrReading = {
    frontMatter: fm,
    lines,
    h1,
    guidanceModules,
    sectionFirstLine(names) {
      for (const s of sections) {
        const name = sectionName(s.title);
        if (!name || !names.has(name.name)) continue;
        if (name.inline !== "") {
          const at = s.heading.at;
          const value = f.flat(s.heading.text).replace(/^[^:：]*[:：]\s*/, "").trim();
          return { value, raw: s.heading.text.replace(/^[^:：]*[:：]\s*/, "").trim(), offset: at.offset, line: at.line, column: at.column };
        }
        return leadFirstLine(s.lead, f);
      }
      return null;
    },
  };
  return { metadata: readAdrFields(file, reading, problems), problems };
}
