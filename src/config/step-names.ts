/**
 * One vocabulary for the steps, wherever a person names one (`baton context
 * <step>`, `/baton context <step>`, the commands themselves, the keys of
 * `steps:`, `budgets:` and `models:` in `.github/baton.yml`): the step's id,
 * or the word its command uses. Every place that takes a step name reads it here.
 */

export const STEP_IDS = ["architecture-review", "dev", "review", "learning"] as const;
export type StepId = (typeof STEP_IDS)[number];

const ALIASES: Readonly<Record<string, StepId>> = {
  "architecture-review": "architecture-review",
  architecture: "architecture-review",
  architect: "architecture-review",
  arch: "architecture-review",
  dev: "dev",
  develop: "dev",
  review: "review",
  learning: "learning",
  learn: "learning",
  remember: "learning",
};

/** The step a word names (any case), or null. */
export function stepIdOf(word: string): StepId | null {
  const key = word.trim().toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null;
}

/** The other words for a step (`architect`, `arch`…), without its id. */
export function stepAliasesOf(id: StepId): string[] {
  return Object.keys(ALIASES).filter((word) => word !== id && ALIASES[word] === id);
}

/** The word each step's command uses: `baton architect`, `/baton remember`. */
export const STEP_COMMAND: Readonly<Record<StepId, string>> = { "architecture-review": "architect", dev: "dev", review: "review", learning: "remember" };

/** The other names a step's command answers to: `baton arch`, `/baton learn`. */
export function commandAliasesOf(id: StepId): string[] {
  return [id, ...stepAliasesOf(id)].filter((word) => word !== STEP_COMMAND[id]);
}

/** "architecture-review (or architect), dev, review, learning (or remember)": for help and refusals. */
export function describeStepNames(): string {
  return STEP_IDS.map((id) => (STEP_COMMAND[id] === id ? id : `${id} (or ${STEP_COMMAND[id]})`)).join(", ");
}

/** Every name of every step, for the help: "`architecture-review` (or `architecture`, `architect`, `arch`), `dev` (or `develop`)…". */
export function describeStepWords(): string {
  return STEP_IDS.map((id) => {
    const others = stepAliasesOf(id);
    return others.length ? `\`${id}\` (or ${others.map((w) => `\`${w}\``).join(", ")})` : `\`${id}\``;
  }).join(", ");
}

/** Sections of `.github/baton.yml` keyed by step: their keys may be any word for a step. */
export const STEP_KEYED_SECTIONS = ["budgets", "models", "steps"] as const;

/**
 * A config key as the step it names, when it is one of the words for a step
 * exactly as listed (lower case, as the JSON Schema lists them; `Review:` is
 * an unknown key with a did-you-mean, like any other slip of case).
 */
function configStepKey(key: string): StepId | null {
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null;
}

export interface StepKeyClash {
  /** The key written later in the file, that repeats a step named before. */
  key: string;
  /** The key that named the step first. */
  first: string;
  step: StepId;
}

/**
 * The mapping with every word for a step replaced by the step's id, so the
 * rest of Baton sees one name; other keys (`default`, typos) are kept for
 * the schema to judge. Two keys naming one step are reported, the later one
 * (keys keep the file's order) is left out of the result.
 */
export function canonicalStepKeys(mapping: Record<string, unknown>): { mapping: Record<string, unknown>; clashes: StepKeyClash[] } {
  const out: Record<string, unknown> = {};
  const firstKey = new Map<StepId, string>();
  const clashes: StepKeyClash[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    const step = configStepKey(key);
    if (step === null) {
      out[key] = value;
      continue;
    }
    const first = firstKey.get(step);
    if (first !== undefined) {
      clashes.push({ key, first, step });
      continue;
    }
    firstKey.set(step, key);
    out[step] = value;
  }
  return { mapping: out, clashes };
}

/** A config path with the step word of a step-keyed section as the step's id: `budgets.architect` → `budgets.architecture-review`. */
export function canonicalConfigPath<P extends string | number>(path: readonly P[]): (P | StepId)[] {
  const [section, step, ...rest] = path;
  if (typeof section !== "string" || typeof step !== "string" || !(STEP_KEYED_SECTIONS as readonly string[]).includes(section)) return [...path];
  return [section, configStepKey(step) ?? step, ...rest];
}

/** Every word a step-keyed section takes as a key, for did-you-mean. */
export function stepWords(): string[] {
  return Object.keys(ALIASES);
}

/**
 * The key as written in the file for a canonical key in a step-keyed
 * section (`budgets.architecture-review` written `budgets.architect:`), so
 * that errors name and point at what the person wrote.
 */
export function writtenStepKey(mapping: unknown, step: string): string {
  if (mapping === null || typeof mapping !== "object" || Object.hasOwn(mapping, step)) return step;
  const id = configStepKey(step);
  if (id === null) return step;
  return Object.keys(mapping).find((key) => configStepKey(key) === id) ?? step;
}
