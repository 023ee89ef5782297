/**
 * Front matter as a plain key → value map with lower-case keys. YAML that
 * does not parse yields a warning and an empty map: the body is still read.
 * Both tiers of the reader find the block the same way (`splitFrontMatter`),
 * so an unclosed block is one error for both, never body text.
 */
import { parseDocument } from "yaml";
import { readSimpleYaml } from "./adr-simple-yaml.js";

export interface FrontMatter {
  /** Keys lower-cased; `superseded_by`, `superseded-by` and `supersededBy` all read as `superseded-by`. */
  data: Map<string, unknown>;
  warnings: string[];
  /** Where a key is written (1-based line, column 1), or line 1 when it is not found. */
  lineOf(key: string): { line: number; column: number };
}

export interface FrontMatterBlock {
  kind: "yaml" | "toml" | "none" | "unclosed";
  /** The text between the fences. */
  value: string;
  /** 1-based line of the first line inside the block. */
  firstLine: number;
  /** Character offset where the body starts (after the closing fence), 0 when there is no block. */
  bodyStart: number;
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf("\n", from);
  return i < 0 ? text.length : i;
}

/** A fence line: exactly `---` or `+++`, trailing blanks allowed. */
function isFence(line: string, fence: string): boolean {
  return line.startsWith(fence) && line.slice(3).trim() === "";
}

/**
 * The front matter block at the very start of `text`: `---` (YAML) or `+++`
 * (TOML) on the first line, closed by the same fence on a line of its own.
 * A block that is opened and never closed is `unclosed`: it runs to the first
 * blank line or heading, and is read neither as front matter nor as body.
 */
export function splitFrontMatter(text: string): FrontMatterBlock {
  const firstEnd = lineEnd(text, 0);
  const first = text.slice(0, firstEnd).replace(/\r$/, "");
  const fence = isFence(first, "---") ? "---" : isFence(first, "+++") ? "+++" : null;
  if (fence === null) return { kind: "none", value: "", firstLine: 1, bodyStart: 0 };
  let start = firstEnd + 1;
  let unclosedEnd = -1;
  while (start <= text.length) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end).replace(/\r$/, "");
    if (isFence(line, fence)) {
      return { kind: fence === "---" ? "yaml" : "toml", value: text.slice(firstEnd + 1, start), firstLine: 2, bodyStart: Math.min(text.length, end + 1) };
    }
    if (unclosedEnd < 0 && (line.trim() === "" || /^ {0,3}#/.test(line))) unclosedEnd = start;
    if (end >= text.length) break;
    start = end + 1;
  }
  // `---` then a blank line or a heading is a thematic break, not an attempt at front matter.
  if (unclosedEnd === firstEnd + 1 || firstEnd >= text.length) return { kind: "none", value: "", firstLine: 1, bodyStart: 0 };
  const bodyStart = unclosedEnd < 0 ? text.length : unclosedEnd;
  return { kind: "unclosed", value: text.slice(Math.min(firstEnd + 1, bodyStart), bodyStart), firstLine: 2, bodyStart };
}

/** `text` with the front matter block blanked out (same length, same lines), for a markdown parser that must not see it. */
export function blankFrontMatter(text: string, block: FrontMatterBlock): string {
  if (block.bodyStart === 0) return text;
  return text.slice(0, block.bodyStart).replace(/[^\n]/g, " ") + text.slice(block.bodyStart);
}

function normaliseKey(key: string): string {
  return key
    .trim()
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim();
}

function fromObject(value: unknown, warnings: string[]): Map<string, unknown> {
  const data = new Map<string, unknown>();
  if (value === null || value === undefined) return data;
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Date) {
    warnings.push("front matter is not a list of key: value pairs; ignored");
    return data;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const k = normaliseKey(key);
    if (!data.has(k)) data.set(k, v);
  }
  return data;
}

function readYaml(source: string, warnings: string[]): Map<string, unknown> {
  const simple = readSimpleYaml(source);
  if (simple !== null) return fromObject(simple, warnings);
  try {
    const doc = parseDocument(source, { uniqueKeys: false, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      warnings.push(`unreadable front matter: ${firstLine(error.message)}`);
      return new Map();
    }
    return fromObject(doc.toJS({ maxAliasCount: 50 }), warnings);
  } catch (e) {
    warnings.push(`unreadable front matter: ${firstLine(e instanceof Error ? e.message : String(e))}`);
    return new Map();
  }
}

/** Hugo-style TOML front matter, read only as far as `key = "value"` and `key = ["a", "b"]` lines. */
function readToml(source: string): Map<string, unknown> {
  const data = new Map<string, unknown>();
  for (const line of source.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][\w-]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const key = normaliseKey(m[1] ?? "");
    const raw = m[2] ?? "";
    const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, "$2");
    const value = /^\[.*\]$/.test(raw)
      ? raw.slice(1, -1).split(",").map(unquote).filter((s) => s !== "")
      : unquote(raw);
    if (!data.has(key)) data.set(key, value);
  }
  return data;
}

/** Where each key of a block starts, by the normalised key: a plain scan of `key:` / `key =` lines at the left margin. */
function keyLines(block: FrontMatterBlock): Map<string, number> {
  const lines = new Map<string, number>();
  block.value.split("\n").forEach((line, i) => {
    const m = /^([A-Za-z][\w -]{0,40}?)\s*[:=]/.exec(line);
    const key = m ? normaliseKey(m[1] ?? "") : "";
    if (key !== "" && !lines.has(key)) lines.set(key, block.firstLine + i);
  });
  return lines;
}

export function readFrontMatter(block: FrontMatterBlock): FrontMatter {
  const warnings: string[] = [];
  let lines: Map<string, number> | undefined;
  // Only problems need places: found when first asked for.
  const lineOf = (key: string) => ({ line: (lines ??= keyLines(block)).get(key) ?? 1, column: 1 });
  if (block.kind === "yaml") return { data: readYaml(block.value, warnings), warnings, lineOf };
  if (block.kind === "toml") return { data: readToml(block.value), warnings, lineOf };
  return { data: new Map(), warnings, lineOf };
}

/** A scalar front-matter value as text (`status: 3` → "3"); lists and maps are not text. */
export function textValue(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  return null;
}

/** A front-matter value that may be one item or a list of items. */
export function listValue(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
