import { Document, LineCounter, Scalar, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node, type Pair, type YAMLError } from "yaml";
import { batonConfigSchema, defaultConfig, type BatonConfig } from "./config-schema.js";
import { expectsMapping, explainIssue, formatConfigPath, type ConfigError, type ConfigPath, type ExplainedIssue } from "./config-errors.js";
import { STEP_KEYED_SECTIONS, writtenStepKey } from "./step-names.js";

/**
 * Reading `.github/baton.yml`: YAML → plain data → zod, keeping the parsed
 * document so that every problem points at the line and column where the
 * person has to look. Pure: the caller fetches the text (from the default
 * branch, so a PR cannot change the config of its own review).
 */

export const CONFIG_PATH = ".github/baton.yml";

export type ParseConfigResult = { ok: true; config: BatonConfig; notes: string[] } | { ok: false; errors: ConfigError[] };

// Billion-laughs guard: the config has no business expanding many aliases.
const MAX_ALIAS_COUNT = 100;
/** A configuration is a few hundred lines; parsing a much larger file is main-thread work a committer could inflate. */
export const MAX_CONFIG_CHARS = 32 * 1024;
// Explaining an error costs a document walk: a file with hundreds of bad values (a hostile one) is explained in part.
const MAX_EXPLAINED_ISSUES = 20;

export function parseConfig(text: string | null, fileName = CONFIG_PATH): ParseConfigResult {
  if (text === null) return { ok: true, config: defaultConfig(), notes: [`no ${fileName}: using defaults`] };
  if (text.length > MAX_CONFIG_CHARS) {
    const size = `${Math.ceil(text.length / 1024)} KB`;
    return { ok: false, errors: [{ message: `the file is ${size}, over the limit of ${MAX_CONFIG_CHARS / 1024} KB`, line: null, column: null, path: "", fix: "keep the configuration short: list folders with /** rather than every file" }] };
  }

  // A byte order mark is invisible in editors: drop it so that columns on line 1 match what people see.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  // merge: true accepts `<<: *anchor`, common in hand-written YAML; uniqueKeys makes duplicates an error.
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const position = (offset: number | undefined): { line: number | null; column: number | null } => {
    if (offset === undefined) return { line: null, column: null };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((error) => syntaxError(error, position)) };

  const aliasErrors = replaceUnresolvedAliases(doc, source, position);
  const mergeErrors = badMergeSources(doc, position);
  if (mergeErrors.length > 0) return { ok: false, errors: sortErrors([...aliasErrors, ...mergeErrors]) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ message, line: null, column: null, path: "", fix: "write the values out instead of expanding many YAML aliases" }] };
  }

  const notes = doc.warnings.map((warning) => {
    const { line, column } = position(warning.pos[0]);
    return `${fileName}:${line}:${column}: ${warning.message}`;
  });
  if (data === null || data === undefined) return { ok: true, config: defaultConfig(), notes: [...notes, `${fileName} is empty: using defaults`] };

  dropEmptyMappings(data, [], notes);

  const result = batonConfigSchema.safeParse(data);
  if (result.success && aliasErrors.length === 0) return { ok: true, config: result.data, notes };

  const issues = result.error?.issues ?? [];
  const schemaErrors = issues
    .slice(0, MAX_EXPLAINED_ISSUES)
    .flatMap((issue) => explainIssue({ ...issue, path: writtenPath(data, issue.path) }, data))
    .map((explained) => locate(doc, explained, position));
  const more: ConfigError[] =
    issues.length > MAX_EXPLAINED_ISSUES
      ? [{ message: `${issues.length - MAX_EXPLAINED_ISSUES} more problems not shown (the first ${MAX_EXPLAINED_ISSUES} are)`, line: null, column: null, path: "", fix: "fix the problems above, then check the file again" }]
      : [];
  return { ok: false, errors: [...sortErrors([...aliasErrors, ...schemaErrors]), ...more] };
}

// ------------------------------------------------------------------ helpers

/**
 * The schema reads `architect:` as `architecture-review:` (step-names.ts):
 * an issue on the step names the key as written, so that the error shows
 * and points at what the person wrote.
 */
function writtenPath(data: unknown, path: readonly PropertyKey[]): PropertyKey[] {
  const [section, step, ...rest] = path;
  if (typeof section !== "string" || typeof step !== "string" || !(STEP_KEYED_SECTIONS as readonly string[]).includes(section)) return [...path];
  const mapping = data !== null && typeof data === "object" && Object.hasOwn(data, section) ? (data as Record<string, unknown>)[section] : undefined;
  return [section, writtenStepKey(mapping, step), ...rest];
}

type Position = (offset: number | undefined) => { line: number | null; column: number | null };

const SYNTAX_FIXES: Partial<Record<YAMLError["code"], string>> = {
  BAD_INDENT: "indent with spaces so that keys of the same level start at the same column, nested keys further right",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  DUPLICATE_KEY: "keep only one of the keys with this name",
  MISSING_CHAR: "close the quote or bracket that was opened earlier",
  MULTILINE_IMPLICIT_KEY: "a key and its colon must be on one line: add the missing \":\" after the key",
  BLOCK_AS_IMPLICIT_KEY: "put nested keys on their own lines, indented below their parent; quote values that contain \": \"",
  MULTIPLE_DOCS: "remove the \"---\" separator: the file holds a single document",
  BAD_SCALAR_START: "quote the value: it starts with a character YAML reserves (@, `, |, >, %)",
  UNEXPECTED_TOKEN: "check this line: a missing \":\" after a key, or a value that needs quotes",
  BLOCK_IN_FLOW: "inside [ ] or { } write values on one line, separated by commas",
};

function syntaxError(error: YAMLError, position: Position): ConfigError {
  return {
    message: `YAML syntax error: ${error.message}`,
    ...position(error.pos[0]),
    path: "",
    fix: SYNTAX_FIXES[error.code] ?? "fix the YAML syntax at this position",
  };
}

/**
 * An unquoted glob such as `**\/*.md` is read as a YAML alias: the commonest
 * mistake in a file full of globs. The yaml package only notices it while
 * converting, with no position. Report each one, and replace it with the
 * text as written so that the rest of the file is still checked.
 */
function replaceUnresolvedAliases(doc: Document, text: string, position: Position): ConfigError[] {
  const errors: ConfigError[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      const range = node.range ?? undefined;
      const written = (range ? text.slice(range[0], range[1]).trim() : "") || `*${node.source}`;
      const looksLikeGlob = /[*/.]/.test(node.source);
      errors.push({
        message: looksLikeGlob
          ? `${written} starts with "*", which YAML reads as an alias`
          : `alias ${written} refers to no anchor &${node.source} defined before it`,
        ...position(range?.[0]),
        path: "",
        fix: looksLikeGlob ? `quote it: ${JSON.stringify(written)}` : `define &${node.source} earlier in the file, or quote the value: ${JSON.stringify(written)}`,
      });
      const scalar = new Scalar(written);
      if (range) scalar.range = range;
      return scalar;
    },
  });
  return errors;
}

/**
 * `<<:` merges the keys of a mapping (or of a list of mappings) into the
 * mapping it sits in. Anything else (`<<: 0`, `<<: text`) makes the yaml
 * package throw while converting, with no position: point at the value.
 */
function badMergeSources(doc: Document, position: Position): ConfigError[] {
  const errors: ConfigError[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isMergeKey(pair.key)) return;
      const value = resolveNode(doc, pair.value);
      const sources = isSeq(value) ? value.items.map((item) => resolveNode(doc, item)) : [value];
      if (sources.every((s) => isMap(s))) return;
      errors.push({
        message: "\"<<\" merges the keys of a mapping into this one, but its value is not a mapping",
        ...position(startOf(pair.value) ?? startOf(pair.key)),
        path: "",
        fix: "write \"<<: *name\" where \"&name\" marks a mapping defined earlier, or remove the \"<<\" line",
      });
    },
  });
  return errors;
}

/**
 * A section whose keys are all commented out parses as null. Treat it as
 * absent (defaults apply) rather than as a type error: that is what the
 * person meant.
 */
function dropEmptyMappings(data: unknown, path: ConfigPath, notes: string[]): void {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return;
  const record = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const childPath = [...path, key];
    if (value === null && expectsMapping(childPath)) {
      delete record[key];
      notes.push(`${formatConfigPath(childPath)} is empty: using its defaults`);
    } else {
      dropEmptyMappings(value, childPath, notes);
    }
  }
}

interface Found {
  pair?: Pair<unknown, unknown>;
  node: unknown;
  complete: boolean;
}

/** `<<` as a merge key: with `merge: true` the yaml package gives it a symbol value. */
function isMergeKey(node: unknown): boolean {
  if (!isScalar(node)) return false;
  const value: unknown = node.value;
  return value === "<<" || (typeof value === "symbol" && value.description === "<<");
}

function resolveNode(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function findPair(doc: Document, map: unknown, key: string, depth = 0): Pair<unknown, unknown> | undefined {
  if (!isMap(map) || depth > 10) return undefined;
  for (const item of map.items) {
    const k = resolveNode(doc, item.key);
    if (isScalar(k) && String(k.value) === key) return item;
  }
  // Keys brought in by `<<: *anchor` (possibly a list of anchors).
  for (const item of map.items) {
    if (!isMergeKey(item.key)) continue;
    const source = resolveNode(doc, item.value);
    const sources = isSeq(source) ? source.items.map((s) => resolveNode(doc, s)) : [source];
    for (const s of sources) {
      const found = findPair(doc, s, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Walk the document along `path`, as far as it goes. */
function walk(doc: Document, path: ConfigPath): Found {
  let node: unknown = doc.contents;
  let pair: Pair<unknown, unknown> | undefined;
  for (const segment of path) {
    const current = resolveNode(doc, node);
    let next: { pair?: Pair<unknown, unknown>; node: unknown } | undefined;
    if (isMap(current)) {
      const p = findPair(doc, current, String(segment));
      if (p) next = { pair: p, node: p.value };
    } else if (isSeq(current) && typeof segment === "number") {
      const item: unknown = current.items[segment];
      if (item !== undefined) next = { node: item };
    }
    if (next === undefined) return { pair, node, complete: false };
    pair = next.pair;
    node = next.node;
  }
  return { pair, node, complete: true };
}

function startOf(node: unknown): number | undefined {
  if (isPair(node)) return startOf(node.key);
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

// `key:` with nothing after it yields an empty null scalar: its position is the end of the line.
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (node.range === undefined || node.range === null || node.range[0] === node.range[1]);
}

function locate(doc: Document, explained: ExplainedIssue, position: Position): ConfigError {
  const found = walk(doc, explained.path);
  let offset: number | undefined;
  if (!found.complete) {
    // A key the issue names but the file does not hold (e.g. through a merge): point at the nearest ancestor.
    offset = startOf(found.pair?.key) ?? startOf(found.node);
  } else if (explained.at === "key" && found.pair) {
    offset = startOf(found.pair.key);
  } else if (found.node === null || found.node === undefined || isEmptyScalar(found.node)) {
    offset = startOf(found.pair?.key) ?? startOf(found.node);
  } else {
    offset = startOf(found.node);
  }
  return { message: explained.message, ...position(offset), path: formatConfigPath(explained.path), fix: explained.fix };
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  const key = (n: number | null): number => n ?? Number.MAX_SAFE_INTEGER;
  return [...errors].sort((a, b) => key(a.line) - key(b.line) || key(a.column) - key(b.column) || a.path.localeCompare(b.path));
}
