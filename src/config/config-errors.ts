import { z } from "zod";
import { codeBlock } from "../util/posted-text.js";
import { DEFAULT_MODEL, batonConfigSchema, defaultConfig, type BatonConfig } from "./config-schema.js";
import { canonicalConfigPath, STEP_KEYED_SECTIONS, stepWords } from "./step-names.js";

/**
 * Turning zod issues on `.github/baton.yml` into errors a person can act on:
 * what is wrong, where (the caller fills line/column from the YAML
 * document) and how to fix it. The same text appears on check runs, in
 * comments and in `baton lint`, so every error carries a concrete fix.
 */

export interface ConfigError {
  message: string;
  /** 1-based; null when the position is unknown. */
  line: number | null;
  /** 1-based; null when the position is unknown. */
  column: number | null;
  /** Dotted path of the offending key, e.g. `triggers.smallChangeLines`; "" for the whole file. */
  path: string;
  fix: string;
}

export type ConfigPath = readonly (string | number)[];

/** An explained issue, before its position in the file is known. */
export interface ExplainedIssue {
  path: ConfigPath;
  /** Point at the key itself (unknown or invalid keys) or at its value. */
  at: "key" | "value";
  message: string;
  fix: string;
}

// ---------------------------------------------------------------- formatting

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `["steps", "review", "inputs", 1]` → `steps.review.inputs[1]`; odd keys are quoted. */
export function formatConfigPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export interface FormatOptions {
  /** Wrap the lines in a fenced block so user text (globs with `**`, `_`) is not read as Markdown. */
  markdown?: boolean;
}

/**
 * One line per error: `.github/baton.yml:4:3  triggers.smallChangeLines: expected a number, got "ten". Fix: …`
 */
export function formatConfigErrors(errors: readonly ConfigError[], fileName = ".github/baton.yml", options: FormatOptions = {}): string {
  const lines = errors.map((error) => {
    const where = error.line === null ? fileName : `${fileName}:${error.line}${error.column === null ? "" : `:${error.column}`}`;
    const what = error.path === "" ? error.message : `${error.path}: ${error.message}`;
    const sentence = /[.?!]$/.test(what) ? what : `${what}.`;
    return `${where}  ${sentence} Fix: ${error.fix}`;
  });
  const text = lines.join("\n");
  if (!options.markdown) return text;
  return codeBlock(text, "text");
}

// ------------------------------------------------------------ suggestions

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

// Case and separators are the commonest slips: `small_change_lines`, `SmallChangeLines`.
const normalizeWord = (word: string): string => word.toLowerCase().replace(/[-_\s]/g, "");

/** The candidate closest to `word`, when it is close enough to be a plausible typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const target = normalizeWord(word);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(target, normalizeWord(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(target.length, 1) / 3));
  return bestDistance <= allowed ? best : undefined;
}

// ------------------------------------------------------- schema introspection

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;
const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "nonoptional", "catch"]);

/** Strip optional/default/prefault wrappers (and pipes, to their input side; past a preprocess, to the schema it feeds). */
export function unwrapSchema(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType as z.core.$ZodType;
    else if (def.type === "pipe") current = (defOf(def.in as z.core.$ZodType).type === "transform" ? def.out : def.in) as z.core.$ZodType;
    else return current;
  }
}

/** The (unwrapped) schema that validates the value at `path`, if the path exists in the schema. */
export function schemaAtPath(path: ConfigPath, root: z.core.$ZodType = batonConfigSchema): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = unwrapSchema(root);
  // `budgets.architect` is validated as `budgets.architecture-review` (step-names.ts).
  for (const segment of canonicalConfigPath(path)) {
    if (current === undefined) return undefined;
    const def = defOf(current);
    // Own keys only: a key named `__proto__` or `constructor` must not find Object.prototype.
    if (def.type === "object") current = ownValue(def.shape, String(segment)) as z.core.$ZodType | undefined;
    else if (def.type === "record") current = def.valueType as z.core.$ZodType;
    else if (def.type === "array") current = def.element as z.core.$ZodType;
    else return undefined;
    if (current !== undefined) current = unwrapSchema(current);
  }
  return current;
}

/** Keys a mapping at `path` accepts, or undefined when any key is accepted (or it is no mapping). */
export function allowedKeysAt(path: ConfigPath): string[] | undefined {
  const schema = schemaAtPath(path);
  if (schema === undefined) return undefined;
  const def = defOf(schema);
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "record") return enumValues(def.keyType as z.core.$ZodType);
  return undefined;
}

/** True when the value at `path` is a mapping (object or record) in the schema. */
export function expectsMapping(path: ConfigPath): boolean {
  const schema = schemaAtPath(path);
  return schema !== undefined && ["object", "record"].includes(defOf(schema).type);
}

function enumValues(schema: z.core.$ZodType): string[] | undefined {
  const def = defOf(unwrapSchema(schema));
  if (def.type !== "enum") return undefined;
  return Object.values(def.entries as Record<string, string | number>).map(String);
}

/** Top-level section holding a key of this name, for keys written at the wrong level. */
function sectionHolding(key: string, parent: ConfigPath): string | undefined {
  if (parent.length > 0) return undefined;
  for (const section of allowedKeysAt([]) ?? []) {
    const keys = allowedKeysAt([section]);
    if (keys?.includes(key) && expectsMapping([section])) return section;
  }
  return undefined;
}

// ------------------------------------------------------------------ examples

let defaults: BatonConfig | undefined;
// Built lazily: only needed when explaining an error.
function defaultConfigCached(): BatonConfig {
  defaults ??= defaultConfig();
  return defaults;
}

function ownValue(object: unknown, key: string | number): unknown {
  if (object === null || typeof object !== "object" || !Object.hasOwn(object, key)) return undefined;
  return (object as Record<string | number, unknown>)[key];
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let current = data;
  for (const segment of path) current = ownValue(current, segment);
  return current;
}

/** A valid value for `path`, to show in a fix: the default when there is one. */
function exampleValue(written: ConfigPath): unknown {
  const path = canonicalConfigPath(written);
  const fromDefaults = valueAt(defaultConfigCached(), path);
  if (fromDefaults !== undefined && !(Array.isArray(fromDefaults) && fromDefaults.length === 0)) return fromDefaults;
  const [section, step, key] = path;
  if (section === "steps" && typeof step === "string") {
    if (key === "budget") return valueAt(defaultConfigCached(), ["budgets", step]) ?? 20_000;
    if (key === "model") return DEFAULT_MODEL;
    if (key === "inputs") return ["spec", "diff"];
  }
  if (section === "models") return DEFAULT_MODEL;
  if (section === "modules") return ["src/api/**"];
  const schema = schemaAtPath(path);
  if (schema === undefined) return undefined;
  const def = defOf(schema);
  if (def.type === "boolean") return true;
  if (def.type === "number") {
    const { minValue, maxValue } = schema as unknown as { minValue: number | null; maxValue: number | null };
    return Math.min(Math.max(10, minValue ?? 10), maxValue ?? 10);
  }
  if (def.type === "enum") return enumValues(schema)?.[0];
  if (def.type === "array") {
    const options = enumValues(def.element as z.core.$ZodType);
    return options ? [options[0]] : ["src/**"];
  }
  // Every list of text in the schema is a list of globs.
  if (def.type === "string") return typeof path[path.length - 1] === "number" ? "src/**" : "value";
  return undefined;
}

const RESERVED_PLAIN = /^(?:true|false|yes|no|on|off|null|~|[-+]?[\d.]+(?:e[-+]?\d+)?)$/i;

/** A value written as YAML (flow style for lists), e.g. `["src/**"]`, `10`, `needs-architecture`. */
export function yamlInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === "string" ? JSON.stringify(item) : yamlInline(item))).join(", ")}]`;
  if (typeof value === "string") return /^[A-Za-z0-9][\w./@:-]*$/.test(value) && !RESERVED_PLAIN.test(value) && !/:$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${yamlInline(v)}`).join(", ")} }`;
  }
  return String(value);
}

function keyOf(path: ConfigPath): string {
  const last = [...path].reverse().find((segment): segment is string => typeof segment === "string");
  return last ?? "key";
}

function exampleLine(path: ConfigPath, value: unknown = exampleValue(path)): string {
  if (typeof path[path.length - 1] === "number") return `- ${yamlInline(value)}`;
  return `${keyOf(path)}: ${yamlInline(value)}`;
}

// --------------------------------------------------------------- describing

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (keys indented below it)",
  record: "a mapping (keys indented below it)",
};

const YAML11_BOOLEANS = /^(?:y|n|yes|no|on|off)$/i;

function listOf(values: readonly string[]): string {
  return values.join(", ");
}

function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/-+$/, "");
  return slug === "" ? "module" : slug;
}

// Zod's generated messages start like this; anything else was written in the schema for people.
const GENERATED_MESSAGE = /^(?:Too (?:small|big)|Invalid |Unrecognized key)/;

function explainInvalidType(issue: z.core.$ZodIssueInvalidType, path: ConfigPath, value: unknown): ExplainedIssue {
  const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
  const message = `expected ${expected}, got ${describeValue(value)}`;
  const key = keyOf(path);
  let fix: string;
  if (path.length === 0) {
    fix = `start the file with keys such as ${listOf((allowedKeysAt([]) ?? []).slice(0, 4).map((k) => `${k}:`))} (see baton.schema.json)`;
  } else if (value === null || value === undefined) {
    const example = exampleValue(path);
    const hasDefault = valueAt(defaultConfigCached(), path) !== undefined;
    const orRemove = hasDefault ? "or remove the line to use the default" : "or remove the line";
    fix = example === undefined || (typeof example === "object" && !Array.isArray(example)) ? `add its keys below it, ${orRemove}` : `give it a value, e.g. ${exampleLine(path, example)}, ${orRemove}`;
  } else if ((issue.expected === "number" || issue.expected === "int") && typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    fix = `remove the quotes: ${key}: ${Math.round(Number(value))}`;
  } else if (issue.expected === "int" && typeof value === "number") {
    fix = `use a whole number, e.g. ${key}: ${Math.round(value)}`;
  } else if (issue.expected === "boolean" && typeof value === "string" && YAML11_BOOLEANS.test(value)) {
    fix = `write true or false (yes/no/on/off are text in YAML 1.2), e.g. ${key}: ${/^(?:y|yes|on)$/i.test(value)}`;
  } else if (issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    const quoted = JSON.stringify(String(value));
    fix = `quote it: ${typeof path[path.length - 1] === "number" ? `- ${quoted}` : `${key}: ${quoted}`}`;
  } else if (issue.expected === "array" && typeof value === "string") {
    fix = `write it as a list: ${key}: ${yamlInline([value])}`;
  } else if (issue.expected === "object" || issue.expected === "record") {
    const keys = allowedKeysAt(path);
    fix = keys ? `write its keys indented below "${key}:"; allowed keys: ${listOf(keys)}` : `write "name: value" pairs indented below "${key}:", e.g. ${key}: { api: ["src/api/**"] }`;
  } else {
    fix = `write ${expected}, e.g. ${exampleLine(path)}`;
  }
  return { path, at: "value", message, fix };
}

function explainRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, path: ConfigPath, value: unknown): ExplainedIssue {
  const custom = GENERATED_MESSAGE.test(issue.message) ? undefined : issue.message;
  const small = issue.code === "too_small";
  const bound = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const key = keyOf(path);
  if (issue.origin === "array") {
    const message = small ? `needs at least ${bound} item${bound === 1 ? "" : "s"}` : `has more than ${bound} items`;
    const fix = small ? `list at least ${bound === 1 ? "one" : bound}, e.g. ${exampleLine(path)}` : `keep at most ${bound} items`;
    return { path, at: "value", message: custom ?? message, fix };
  }
  if (issue.origin === "string") {
    const message = small && bound <= 1 ? "cannot be empty" : small ? `must be at least ${bound} characters` : `must be at most ${bound} characters`;
    const fix = small && bound <= 1 ? `give it a value, e.g. ${exampleLine(path)}, or remove the line` : `e.g. ${exampleLine(path)}`;
    return { path, at: "value", message: custom ?? message, fix };
  }
  const relation = small ? (issue.inclusive === false ? "greater than" : "at least") : issue.inclusive === false ? "less than" : "at most";
  const base = `must be ${relation} ${bound}`;
  const message = `${custom ? `${base} (${custom})` : base}, got ${describeValue(value)}`;
  const schema = schemaAtPath(path) as unknown as { minValue?: number | null; maxValue?: number | null } | undefined;
  const min = schema?.minValue;
  const max = schema?.maxValue;
  const range = min !== null && min !== undefined && max !== null && max !== undefined && max < Number.MAX_SAFE_INTEGER ? `a number from ${min} to ${max}` : `a number ${relation} ${bound}`;
  return { path, at: "value", message, fix: `use ${range}, e.g. ${key}: ${yamlInline(exampleValue(path))}` };
}

/**
 * Explain one zod issue on `data` (the parsed YAML). Unknown keys become one
 * entry per key so that each points at its own line.
 */
export function explainIssue(issue: z.core.$ZodIssue, data: unknown): ExplainedIssue[] {
  const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const allowed = allowedKeysAt(path) ?? [];
        // In a section keyed by step, `Architect` is a slip for `architect`, a word for a step.
        const suggestion = closestMatch(key, STEP_KEYED_SECTIONS.some((s) => path.length === 1 && path[0] === s) ? [...allowed, ...stepWords()] : allowed);
        const home = sectionHolding(key, path);
        const fix = suggestion
          ? `did you mean "${suggestion}"?`
          : home
            ? `"${key}" belongs under "${home}:"; move it to ${formatConfigPath([home, key])}`
            : `remove it; allowed keys here: ${listOf(allowed)}`;
        return { path: [...path, key], at: "key", message: "unknown key", fix };
      });
    case "invalid_type":
      return [explainInvalidType(issue, path, value)];
    case "invalid_value": {
      const allowed = issue.values.map(String);
      const suggestion = typeof value === "string" ? closestMatch(value, allowed) : undefined;
      const message = `${describeValue(value)} is not one of ${listOf(allowed)}`;
      // The message lists the values already: the fix shows one in place.
      const fix = suggestion ? `did you mean "${suggestion}"?` : `write one of those values, e.g. ${exampleLine(path, allowed[0])}`;
      return [{ path, at: "value", message, fix }];
    }
    case "too_small":
    case "too_big":
      return [explainRange(issue, path, value)];
    case "invalid_key": {
      const key = String(path[path.length - 1] ?? "");
      const reason = issue.issues[0]?.message ?? issue.message;
      const what = path[0] === "modules" ? "module name" : "key";
      return [{ path, at: "key", message: `${what} "${key}" is not valid: ${reason}`, fix: `rename it, e.g. "${slugify(key)}"` }];
    }
    case "invalid_format":
      return [{ path, at: "value", message: `${describeValue(value)} is not valid: ${issue.message}`, fix: `e.g. ${exampleLine(path)}` }];
    case "custom": {
      // A refinement that knows the fix passes it in params (glob limits); one about a key says so (two keys for one step).
      const { fix, at } = (issue.params as { fix?: string; at?: "key" } | undefined) ?? {};
      if (fix && at === "key") return [{ path, at, message: issue.message, fix }];
      if (fix) return [{ path, at: "value", message: `${describeValue(value)}: ${issue.message}`, fix }];
      return [{ path, at: "value", message: issue.message, fix: "see baton.schema.json for what this key accepts" }];
    }
    default:
      return [{ path, at: "value", message: issue.message, fix: "see baton.schema.json for what this key accepts" }];
  }
}
