/**
 * The lines of an ADR as key/value pairs where they look like metadata
 * (`Status: x`, `- Date: y`, `| Superseded by | z |`), and as plain lines
 * otherwise. Everything outside code fences is seen, in document order, and
 * each line knows whether it stands in the header (before the first `##`),
 * which is where status and date metadata are read from.
 */
import type { Nodes, Root, Table, TableRow } from "mdast";
import type { AdrLine } from "./adr-fields.js";
import { flatten, plainText, sourceOf, sourceOfChildren } from "./adr-markdown.js";
import { normaliseKey, rawAfterKey, splitKeyValue, tableLayout } from "./adr-line-keys.js";

export { normaliseKey } from "./adr-line-keys.js";

function paragraphLines(node: Nodes, text: string, defs: ReadonlyMap<string, string>, inHeader: boolean, out: AdrLine[]): void {
  const start = node.position?.start ?? { offset: 0, line: 1, column: 1 };
  const flatLines = flatten(node, defs).split("\n");
  const rawLines = sourceOf(node, text).split(/\r?\n/);
  const aligned = rawLines.length === flatLines.length;
  let offset = start.offset ?? 0;
  flatLines.forEach((flat, i) => {
    const rawLine = aligned ? (rawLines[i] ?? "") : "";
    const lineOffset = aligned ? offset : (start.offset ?? 0) + i;
    if (aligned) offset += rawLine.length + 1;
    if (flat.trim() === "") return;
    const where = {
      offset: lineOffset,
      line: start.line + i,
      column: i === 0 ? start.column : 1 + (/^\s*/.exec(rawLine)?.[0].length ?? 0),
      inHeader,
    };
    const kv = splitKeyValue(flat);
    if (kv) {
      const raw = (aligned ? rawAfterKey(rawLine) : null) ?? plainText(kv.value);
      out.push({ ...where, key: kv.key, value: kv.value, rawValue: raw });
    } else {
      out.push({ ...where, key: null, value: flat.trim(), rawValue: aligned ? rawLine.trim() : plainText(flat).trim() });
    }
  });
}

function cellText(row: TableRow, index: number, defs: ReadonlyMap<string, string>): string {
  const cell = row.children[index];
  return cell ? flatten(cell, defs).trim() : "";
}

function cellRaw(row: TableRow, index: number, text: string): string {
  const cell = row.children[index];
  return cell ? sourceOfChildren(cell.children, text).trim() : "";
}

function tableLines(table: Table, text: string, defs: ReadonlyMap<string, string>, inHeader: boolean, out: AdrLine[]): void {
  const rows = table.children;
  const at = (row: TableRow, i: number) => ({
    offset: (row.position?.start.offset ?? 0) + i,
    line: row.position?.start.line ?? 1,
    column: row.children[i]?.position?.start.column ?? 1,
    inHeader,
  });
  const header = rows[0];
  if (!header) return;
  const columns = header.children.length;
  const headerKeys = header.children.map((_c, i) => normaliseKey(plainText(cellText(header, i, defs))));
  const layout = tableLayout(headerKeys, rows.length);
  if (layout === "changelog") return;
  const horizontal = layout === "horizontal";
  if (horizontal) {
    const body = rows[1];
    if (!body) return;
    headerKeys.forEach((key, i) => {
      out.push({ ...at(body, i), key, value: cellText(body, i, defs), rawValue: cellRaw(body, i, text) });
    });
    return;
  }
  rows.forEach((row) => {
    if (columns === 2) {
      const key = normaliseKey(plainText(cellText(row, 0, defs)));
      if (key !== "") {
        out.push({ ...at(row, 1), key, value: cellText(row, 1, defs), rawValue: cellRaw(row, 1, text) });
        return;
      }
    }
    row.children.forEach((_cell, c) => {
      const value = cellText(row, c, defs);
      if (value !== "") out.push({ ...at(row, c), key: null, value, rawValue: cellRaw(row, c, text) });
    });
  });
}

function blockLines(node: Nodes, text: string, defs: ReadonlyMap<string, string>, inHeader: boolean, out: AdrLine[]): void {
  switch (node.type) {
    case "paragraph":
      paragraphLines(node, text, defs, inHeader, out);
      return;
    case "table":
      tableLines(node, text, defs, inHeader, out);
      return;
    case "list":
    case "listItem":
    case "blockquote":
    case "footnoteDefinition":
      for (const child of node.children) blockLines(child, text, defs, inHeader, out);
      return;
    default:
      // Headings are read as sections; code, HTML and front matter are not prose.
      return;
  }
}

/** Every line of prose and metadata in the document, in order. */
export function collectLines(root: Root, text: string, defs: ReadonlyMap<string, string>): AdrLine[] {
  const out: AdrLine[] = [];
  let inHeader = true;
  for (const node of root.children) {
    if (node.type === "heading" && node.depth >= 2) inHeader = false;
    blockLines(node, text, defs, inHeader, out);
  }
  return out;
}
