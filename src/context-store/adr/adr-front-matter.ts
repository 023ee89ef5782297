/**
 * Front matter as a plain key → value map with lower-case keys. YAML that
 * does not parse yields a warning and an empty map: the body is still read.
 */
import type { Root } from "mdast";
import { parseDocument } from "yaml";

export interface FrontMatter {
  /** Keys lower-cased; `superseded_by`, `superseded-by` and `supersededBy` all read as `superseded-by`. */
  data: Map<string, unknown>;
  warnings: string[];
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

export function readFrontMatter(root: Root): FrontMatter {
  const warnings: string[] = [];
  // TOML front matter is not in mdast's node types: read the node generically.
  const first = root.children[0] as { type: string; value?: unknown } | undefined;
  const value = typeof first?.value === "string" ? first.value : "";
  if (first?.type === "yaml") return { data: readYaml(value, warnings), warnings };
  if (first?.type === "toml") return { data: readToml(value), warnings };
  return { data: new Map(), warnings };
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
