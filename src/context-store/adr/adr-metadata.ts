/**
 * The lines of an ADR as key/value pairs where they look like metadata
 * (`Status: x`, `- Date: y`, `| Superseded by | z |`), and as plain lines
 * otherwise. Everything outside code fences is seen, in document order, and
 * each line knows whether it stands in the header (before the first `##`),
 * which is where status and date metadata are read from.
 */
import type { Nodes, Root, Table, TableRow } from "mdast";
import { flatten, plainText, sourceOf, sourceOfChildren } from "./adr-markdown.js";

export interface AdrLine {
  /** Where the line's block starts in the source: orders lines from different sources. */
  offset: number;
  /** Before the first heading of depth 2 or more. */
  inHeader: boolean;
  /** Normalised key (`status`, `superseded by`) when the line is `key: value` or a key/value table row. */
  key: string | null;
  /** The value (or the whole line when there is no key), flattened: links are tokens. */
  value: string;
  /** The value as written in the source, for `rawStatus`. */
  rawValue: string;
}

/** Keys a header table is made of; a 2-column table whose header row holds two of these is laid out horizontally. */
const KNOWN_KEYS = new Set([
  "status", "date", "deciders", "decision makers", "authors", "author", "owner", "owners", "scope",
  "supersedes", "superseded by", "replaces", "tickets", "consulted", "informed", "technical story", "tags", "category",
]);

/** A table with one of these columns is a changelog or revision table, never metadata. */
const CHANGELOG_COLUMNS = /^(version|change|changes|revision|description|comment|comments|modification|summary|what changed)$/;

/** Lower case, no markdown emphasis, no emoji, no trailing colon: `**Status:**` → `status`. */
export function normaliseKey(key: string): string {
  return key
    .replace(/[\p{Extended_Pictographic}\ufe0f\u200d]/gu, "")
    .replace(/[*_`]/g, "")
    .replace(/[:：]\s*$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

const KEY_VALUE = /^\s*([\p{L}][\p{L}\p{N} ()/_-]{0,39}?)\s*[:：]\s*(.*)$/su;

function splitKeyValue(line: string): { key: string; value: string } | null {
  const m = KEY_VALUE.exec(line);
  if (!m) return null;
  return { key: normaliseKey(m[1] ?? ""), value: (m[2] ?? "").trim() };
}

/** The part of a source line after its key, without the emphasis that wrapped the key (`**Status:** x`). */
function rawAfterKey(line: string): string | null {
  const colon = line.search(/[:：]/);
  if (colon < 0) return null;
  // Drop only the emphasis that closed the key, so an emphasised value stays balanced.
  return line.slice(colon + 1).replace(/^\s*(?:\*\*|__|\*|_)?\s*/, "").trim();
}

function paragraphLines(node: Nodes, text: string, defs: ReadonlyMap<string, string>, inHeader: boolean, out: AdrLine[]): void {
  const offset = node.position?.start.offset ?? 0;
  const flatLines = flatten(node, defs).split("\n");
  const rawLines = sourceOf(node, text).split(/\r?\n/);
  const aligned = rawLines.length === flatLines.length;
  flatLines.forEach((flat, i) => {
    if (flat.trim() === "") return;
    const kv = splitKeyValue(flat);
    const rawLine = aligned ? (rawLines[i] ?? "") : "";
    if (kv) {
      const raw = (aligned ? rawAfterKey(rawLine) : null) ?? plainText(kv.value);
      out.push({ offset: offset + i, inHeader, key: kv.key, value: kv.value, rawValue: raw });
    } else {
      out.push({ offset: offset + i, inHeader, key: null, value: flat.trim(), rawValue: aligned ? rawLine.trim() : plainText(flat).trim() });
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
  const offset = table.position?.start.offset ?? 0;
  const rows = table.children;
  const header = rows[0];
  if (!header) return;
  const columns = header.children.length;
  const headerKeys = header.children.map((_c, i) => normaliseKey(plainText(cellText(header, i, defs))));
  if (headerKeys.some((k) => CHANGELOG_COLUMNS.test(k))) return;

  const knownInHeader = headerKeys.filter((k) => KNOWN_KEYS.has(k)).length;
  const horizontal = rows.length === 2 && (columns > 2 ? knownInHeader >= 1 : knownInHeader === 2);
  if (horizontal) {
    const body = rows[1];
    if (!body) return;
    headerKeys.forEach((key, i) => {
      out.push({ offset: offset + i, inHeader, key, value: cellText(body, i, defs), rawValue: cellRaw(body, i, text) });
    });
    return;
  }
  rows.forEach((row, r) => {
    if (columns === 2) {
      const key = normaliseKey(plainText(cellText(row, 0, defs)));
      if (key !== "") {
        out.push({ offset: offset + r, inHeader, key, value: cellText(row, 1, defs), rawValue: cellRaw(row, 1, text) });
        return;
      }
    }
    row.children.forEach((_cell, c) => {
      const value = cellText(row, c, defs);
      if (value !== "") out.push({ offset: offset + r, inHeader, key: null, value, rawValue: cellRaw(row, c, text) });
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
