/**
 * How a line of an ADR reads as metadata (`Status: x`, `**Date:** y`), and
 * how a table is laid out: shared by both tiers of the reader, so that they
 * split keys and values the same way.
 */

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
/** `Date 09/04/2018`: a date key followed by a date with no colon between (adr-tools' own ADRs write it so). */
const DATE_WITHOUT_COLON = /^\s*(date|decision date|date decided|created)\s+(\d.*)$/isu;

export function splitKeyValue(line: string): { key: string; value: string } | null {
  // The key is at the start; past a few hundred characters a line is prose, whatever it holds.
  const head = line.length > 2000 ? line.slice(0, 2000) : line;
  const m = KEY_VALUE.exec(head) ?? DATE_WITHOUT_COLON.exec(head);
  if (!m) return null;
  const value = head === line ? (m[2] ?? "") : line.slice((m.index ?? 0) + m[0].length - (m[2] ?? "").length);
  return { key: normaliseKey(m[1] ?? ""), value: value.trim() };
}

/** The part of a source line after its key, without the emphasis that wrapped the key (`**Status:** x`). */
export function rawAfterKey(line: string): string | null {
  const colon = line.search(/[:：]/);
  if (colon < 0) {
    const m = /^\W*(?:date|decision date|date decided|created)\W*\s+(?=\d)/i.exec(line);
    return m ? line.slice(m[0].length).trim() : null;
  }
  // Drop only the emphasis that closed the key, so an emphasised value stays balanced.
  return line.slice(colon + 1).replace(/^\s*(?:\*\*|__|\*|_)?\s*/, "").trim();
}

/**
 * What a table is, from its header row's keys: a changelog (never metadata),
 * a horizontal metadata table (keys in the header, one row of values), or
 * rows of key/value pairs and plain cells.
 */
export function tableLayout(headerKeys: readonly string[], rowCount: number): "changelog" | "horizontal" | "rows" {
  if (headerKeys.some((k) => CHANGELOG_COLUMNS.test(k))) return "changelog";
  const knownInHeader = headerKeys.filter((k) => KNOWN_KEYS.has(k)).length;
  const horizontal = rowCount === 2 && (headerKeys.length > 2 ? knownInHeader >= 1 : knownInHeader === 2);
  return horizontal ? "horizontal" : "rows";
}
