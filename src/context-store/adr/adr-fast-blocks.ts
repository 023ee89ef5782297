/**
 * The block structure of an ADR for the fast tier of the reader: one pass
 * over the lines that finds what the full tier gets from remark's tree
 * (paragraphs, list items with their task boxes, block quotes, GFM tables,
 * ATX and setext headings), skipping what is not prose (code fences and
 * indented code, HTML blocks, link definitions, thematic breaks). Linear in
 * the text: each line is looked at once, with regular expressions anchored
 * at its start.
 */
import { normaliseLabel } from "./adr-fast-inline.js";

export interface SourceLine {
  /** The line's content after its container markers (`> `, `- `) and indentation. */
  text: string;
  /** The line as written, without the line break. */
  raw: string;
  offset: number;
  line: number;
  column: number;
}

export interface ListPlace {
  list: number;
  item: number;
  checked: boolean | null;
}

export type RawBlock =
  | { kind: "paragraph"; lines: SourceLine[]; topLevel: boolean; list: ListPlace | null }
  | { kind: "table"; rows: { cells: string[]; columns: number[]; at: SourceLine }[]; topLevel: boolean; list: ListPlace | null }
  | { kind: "heading"; depth: number; text: string; at: SourceLine; topLevel: boolean };

export interface ScannedBlocks {
  blocks: RawBlock[];
  /** `[label]: url` definitions, first one wins. */
  definitions: Map<string, string>;
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;
const ATX = /^(#{1,6})(?=[ \t]|$)(.*)$/;
const SETEXT = /^(=+|-+)[ \t]*$/;
const THEMATIC = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const LIST_ITEM = /^([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*)|$)/;
const DEFINITION = /^\[((?:[^\]\\]|\\.){1,999})\]:[ \t]*(<[^>\n]*>|\S+)/;
const HTML_RAW_START = /^<(?:script|pre|style|textarea)(?:[\s>]|$)/i;
const HTML_BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
const HTML_BLOCK_START = new RegExp(`^</?(?:${HTML_BLOCK_TAGS})(?:[\\s/>]|$)`, "i");
const HTML_TAG_LINE = /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;
const TABLE_DELIMITER = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Cells of a table row: split at pipes that are not escaped, outer pipes dropped, `\|` read as `|`. */
export function tableCells(row: string): { cells: string[]; columns: number[] } {
  const cells: string[] = [];
  const columns: number[] = [];
  let start = 0;
  let i = 0;
  const trimmed = row.replace(/[ \t]+$/, "");
  if (trimmed.startsWith("|")) start = i = 1;
  let cell = "";
  for (; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === "\\" && trimmed[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (c === "|") {
      cells.push(cell.trim());
      columns.push(start);
      cell = "";
      start = i + 1;
    } else cell += c;
  }
  if (cell.trim() !== "" || !trimmed.endsWith("|")) {
    cells.push(cell.trim());
    columns.push(start);
  }
  return { cells, columns };
}

/** Every text handed out is a suffix of its raw line, so its place follows from its length. */
function sourceLine(text: string, raw: string, lineOffset: number, line: number): SourceLine {
  return { text, raw, offset: lineOffset + raw.length - text.length, line, column: raw.length - text.length + 1 };
}

function indentOf(text: string): number {
  let n = 0;
  for (const c of text) {
    if (c === " ") n++;
    else if (c === "\t") n += 4 - (n % 4);
    else break;
  }
  return n;
}

interface OpenParagraph {
  lines: SourceLine[];
  topLevel: boolean;
  list: ListPlace | null;
  quote: number;
}

/** Scan `text` (front matter already blanked) into blocks, in document order. */
export function scanBlocks(text: string, gfm: boolean): ScannedBlocks {
  const blocks: RawBlock[] = [];
  const definitions = new Map<string, string>();
  let para: OpenParagraph | null = null;
  let table: Extract<RawBlock, { kind: "table" }> | null = null;
  let fence: { char: string; length: number } | null = null;
  let html: { end: RegExp | null } | null = null;
  let list: { id: number; item: number; contentIndent: number; checked: boolean | null; afterBlank: boolean } | null = null;
  let lists = 0;

  const closeParagraph = () => {
    if (!para) return;
    // Link definitions open a paragraph and are not prose.
    let first = 0;
    for (; first < para.lines.length; first++) {
      const def = DEFINITION.exec(para.lines[first]!.text);
      if (!def) break;
      const label = normaliseLabel(def[1]!);
      const url = def[2]!.replace(/^<|>$/g, "");
      if (!definitions.has(label)) definitions.set(label, url);
    }
    const lines = para.lines.slice(first);
    if (lines.length > 0) blocks.push({ kind: "paragraph", lines, topLevel: para.topLevel, list: para.list });
    para = null;
  };
  const closeTable = () => {
    if (table) blocks.push(table);
    table = null;
  };

  let offset = 0;
  let lineNo = 0;
  while (offset <= text.length) {
    let end = text.indexOf("\n", offset);
    if (end < 0) end = text.length;
    const raw = text.slice(offset, end).replace(/\r$/, "");
    lineNo++;
    const lineOffset = offset;
    offset = end + 1;

    // Block quote markers.
    let rest = raw;
    let quote = 0;
    for (;;) {
      const m = /^ {0,3}> ?/.exec(rest);
      if (!m) break;
      quote++;
      rest = rest.slice(m[0].length);
    }
    const blank = rest.trim() === "";

    if (fence) {
      const close = FENCE.exec(rest.trimStart());
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && close[2]!.trim() === "") fence = null;
      continue;
    }
    if (html) {
      if (html.end ? html.end.test(rest) : blank) html = null;
      continue;
    }
    if (blank) {
      closeParagraph();
      closeTable();
      if (list) list.afterBlank = true;
      continue;
    }

    let indent = indentOf(rest);
    // Inside a list, a line indented to the item's content belongs to the item; anything else after a blank ends the list.
    if (list && quote === 0) {
      if (indent >= list.contentIndent) {
        rest = rest.slice(Math.min(rest.length, list.contentIndent));
        indent = indentOf(rest);
      } else if (list.afterBlank && !LIST_ITEM.test(rest.trimStart())) list = null;
    }
    let content = rest.trimStart();
    const topLevel = quote === 0 && list === null;

    // Indented code: four spaces at the top level, not continuing a paragraph.
    if (topLevel && indent >= 4 && !para && !table) {
      continue;
    }
    if (indent < 4 || !topLevel) {
      const fenceOpen = FENCE.exec(content);
      if (fenceOpen && !(fenceOpen[1]![0] === "`" && fenceOpen[2]!.includes("`"))) {
        closeParagraph();
        closeTable();
        fence = { char: fenceOpen[1]![0]!, length: fenceOpen[1]!.length };
        continue;
      }
      if (content.startsWith("<")) {
        const end = HTML_RAW_START.test(content)
          ? /<\/(?:script|pre|style|textarea)>/i
          : content.startsWith("<!--")
            ? /-->/
            : content.startsWith("<?")
              ? /\?>/
              : content.startsWith("<![CDATA[")
                ? /\]\]>/
                : /^<![A-Z]/.test(content)
                  ? />/
                  : undefined;
        const startsBlock = end !== undefined || HTML_BLOCK_START.test(content) || (!para && HTML_TAG_LINE.test(content));
        if (startsBlock) {
          closeParagraph();
          closeTable();
          const closesHere = end !== undefined && end.test(content.slice(content.startsWith("<!--") ? 4 : 1));
          if (!closesHere) html = { end: end ?? null };
          continue;
        }
      }
      const atx = ATX.exec(content);
      if (atx) {
        closeParagraph();
        closeTable();
        const body = atx[2]!.replace(/[ \t]+#+[ \t]*$/, "").replace(/^[ \t]+#+[ \t]*$/, "").trim();
        blocks.push({ kind: "heading", depth: atx[1]!.length, text: body === "#".repeat(body.length) && body !== "" ? "" : body, at: sourceLine(content, raw, lineOffset, lineNo), topLevel });
        if (topLevel) list = null;
        continue;
      }
      if (para && para.quote === quote && SETEXT.test(content) && indent < 4) {
        const heading = para;
        para = null;
        const textOf = heading.lines.map((l) => l.text.trim()).join("\n");
        blocks.push({ kind: "heading", depth: content.startsWith("=") ? 1 : 2, text: textOf, at: heading.lines[0]!, topLevel: heading.topLevel });
        continue;
      }
      if (THEMATIC.test(content)) {
        closeParagraph();
        closeTable();
        if (topLevel) list = null;
        continue;
      }
    }

    // A list item (a new paragraph, in a new or the same list).
    const item = indent < 4 || list ? LIST_ITEM.exec(content) : null;
    // Outside a list, only a non-empty bullet or a list starting at 1 may interrupt a paragraph.
    const interrupts = item !== null && (!para || list !== null || ((item[3] ?? "") !== "" && /^(?:[-*+]|1[.)])$/.test(item[1]!)));
    if (item && interrupts) {
      closeParagraph();
      closeTable();
      const markerWidth = item[1]!.length + (item[2]?.length ?? 1);
      let itemText = item[3] ?? "";
      let checked: boolean | null = null;
      const task = gfm ? /^\[([ xX])\](?:[ \t]+|$)/.exec(itemText) : null;
      if (task) {
        checked = task[1] !== " ";
        itemText = itemText.slice(task[0].length);
      }
      if (!list || quote > 0) list = quote > 0 ? list : { id: ++lists, item: 0, contentIndent: 0, checked: null, afterBlank: false };
      if (list) {
        list.item++;
        list.contentIndent = indent + markerWidth;
        list.checked = checked;
        list.afterBlank = false;
      }
      const place: ListPlace = { list: list?.id ?? ++lists, item: list?.item ?? 1, checked };
      content = itemText.trimStart();
      if (content !== "") para = { lines: [sourceLine(content, raw, lineOffset, lineNo)], topLevel: false, list: place, quote };
      continue;
    }

    // GFM table: a one-line paragraph followed by a delimiter row with as many cells.
    if (gfm && para && para.lines.length === 1 && para.quote === quote && content.includes("-") && TABLE_DELIMITER.test(content)) {
      const header = tableCells(para.lines[0]!.text);
      const delimiter = tableCells(content);
      if (header.cells.length === delimiter.cells.length && (para.lines[0]!.text.includes("|") || content.includes("|"))) {
        table = { kind: "table", rows: [{ ...header, at: para.lines[0]! }], topLevel: para.topLevel, list: para.list };
        para = null;
        continue;
      }
    }
    if (table) {
      table.rows.push({ ...tableCells(content), at: sourceLine(content, raw, lineOffset, lineNo) });
      continue;
    }

    if (para && (para.quote === quote || quote < para.quote)) para.lines.push(sourceLine(content, raw, lineOffset, lineNo));
    else {
      closeParagraph();
      para = { lines: [sourceLine(content, raw, lineOffset, lineNo)], topLevel, list: list && quote === 0 ? { list: list.id, item: list.item, checked: list.checked } : null, quote };
    }
  }
  closeParagraph();
  closeTable();
  return { blocks, definitions };
}
