/**
 * Front matter as most ADRs write it (`key: value`, `key: [a, b]`, a
 * `- item` list under a key, quoted or plain scalars) read without a YAML
 * parser, which costs more than the rest of the fast tier together. Anything
 * beyond that small grammar returns null and goes to the `yaml` library, and
 * a property test holds the two to the same values.
 */

const KEY_LINE = /^([A-Za-z_][\w-]{0,63})[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;
const ITEM_LINE = /^[ \t]*-[ \t]+(.*?)[ \t]*$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** A plain scalar that YAML reads as this same text (no indicator first, no `: ` or ` #` inside, nothing it would type differently). */
const PLAIN = /^[A-Za-z0-9/.(][^\t#]*$/;

const NOT_PARSED = Symbol("not parsed");

function scalar(text: string): unknown {
  if (text === "" || text === "~" || text === "null" || text === "Null" || text === "NULL") return null;
  if (text === "true" || text === "True" || text === "TRUE") return true;
  if (text === "false" || text === "False" || text === "FALSE") return false;
  if (text.startsWith('"')) {
    return text.length >= 2 && text.endsWith('"') && !/["\\]/.test(text.slice(1, -1)) ? text.slice(1, -1) : NOT_PARSED;
  }
  if (text.startsWith("'")) {
    const inner = text.slice(1, -1);
    return text.length >= 2 && text.endsWith("'") && !/'(?!')/.test(inner.replace(/''/g, "")) ? inner.replace(/''/g, "'") : NOT_PARSED;
  }
  if (INT.test(text) || FLOAT.test(text)) {
    if (text === "-0" || /^[-+]?0\d/.test(text) || text.length > 15) return NOT_PARSED;
    return Number(text);
  }
  if (!PLAIN.test(text) || text.includes(": ") || text.endsWith(":") || text.includes(" #") || /^\.(?:inf|nan)$/i.test(text)) return NOT_PARSED;
  return text;
}

function flowSequence(text: string): unknown[] | typeof NOT_PARSED {
  const inner = text.slice(1, -1).trim();
  if (inner === "") return [];
  if (/[[\]{}]/.test(inner)) return NOT_PARSED;
  const items = inner.split(",").map((s) => s.trim());
  if (items.some((s) => s === "" || ((s.startsWith('"') || s.startsWith("'")) && s.length < 2))) return NOT_PARSED;
  const out: unknown[] = [];
  for (const item of items) {
    const v = scalar(item);
    if (v === NOT_PARSED) return NOT_PARSED;
    out.push(v);
  }
  return out;
}

/** The mapping the front matter holds, or null when it is not in the simple grammar. */
export function readSimpleYaml(source: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let listKey: string | null = null;
  for (const line of source.split("\n")) {
    const l = line.replace(/\r$/, "");
    if (l.trim() === "" || /^#/.test(l)) continue;
    const item = listKey !== null ? ITEM_LINE.exec(l) : null;
    if (item) {
      const v = scalar(item[1] ?? "");
      if (v === NOT_PARSED || (item[1] ?? "").startsWith("-")) return null;
      (out[listKey!] as unknown[]).push(v);
      continue;
    }
    const kv = KEY_LINE.exec(l);
    if (!kv) return null;
    const key = kv[1]!;
    const value = kv[2] ?? "";
    if (key === "__proto__" || key === "constructor" || key === "prototype") return null;
    if (listKey !== null && (out[listKey] as unknown[]).length === 0) out[listKey] = null;
    listKey = null;
    if (value === "") {
      // Either a null or the head of a block list: decided by the next line.
      Object.defineProperty(out, key, { value: [], enumerable: true, writable: true, configurable: true });
      listKey = key;
      continue;
    }
    const v = value.startsWith("[") ? (value.endsWith("]") ? flowSequence(value) : NOT_PARSED) : scalar(value);
    if (v === NOT_PARSED) return null;
    out[key] = v;
  }
  if (listKey !== null && (out[listKey] as unknown[]).length === 0) out[listKey] = null;
  return out;
}
