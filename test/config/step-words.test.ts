import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { STEP_IDS, batonConfigSchema } from "../../src/config/config-schema.js";
import { parseConfig } from "../../src/config/load-config.js";
import { stepAliasesOf, stepIdOf } from "../../src/config/step-names.js";
import { configJsonSchema } from "../../src/config/write-json-schema.js";

// One vocabulary (issue 12): the words `baton context` and `/baton context`
// take for a step are keys of `steps:`, `budgets:` and `models:` too, read
// as the step's id, and the JSON Schema for editors accepts them as well.

const ALIASED = [
  "budgets:",
  "  architect: 70000",
  "  remember: 5000",
  "models:",
  "  arch: claude-opus-4-8",
  "  develop: claude-haiku-5",
  "steps:",
  "  architecture:",
  "    budget: 65000",
  "  learn:",
  "    enabled: false",
  "",
].join("\n");

function configOf(text: string) {
  const result = parseConfig(text);
  if (!result.ok) throw new Error(`rejected:\n${text}\n${JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

function errorsOf(text: string) {
  const result = parseConfig(text);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
}

describe(".github/baton.yml: any word for a step, in every section keyed by step", () => {
  it("reads each word as the step's id, so the rest of Baton sees one name", () => {
    const config = configOf(ALIASED);
    expect(config.budgets).toEqual({ "architecture-review": 70_000, dev: 120_000, review: 80_000, learning: 5_000 });
    expect(config.models).toEqual({ default: "claude-sonnet-5-5", "architecture-review": "claude-opus-4-8", dev: "claude-haiku-5" });
    expect(config.steps).toEqual({ "architecture-review": { budget: 65_000 }, learning: { enabled: false } });
  });

  it("takes every word the CLI and comments take, for every section", () => {
    for (const id of STEP_IDS) {
      for (const word of [id, ...stepAliasesOf(id)]) {
        expect(stepIdOf(word)).toBe(id);
        const config = configOf(`budgets:\n  ${word}: 4321\nmodels:\n  ${word}: m-${word}\nsteps:\n  ${word}:\n    enabled: false\n`);
        expect(config.budgets[id], word).toBe(4321);
        expect(config.models[id], word).toBe(`m-${word}`);
        expect(config.steps[id], word).toEqual({ enabled: false });
      }
    }
  });

  it("refuses two keys for one step, at the later key, with its line and column", () => {
    const errors = errorsOf(["budgets:", "  architecture-review: 70000", "  dev: 100000", "  architect: 80000", "steps:", "  remember: {}", "  learning:", "    enabled: false", ""].join("\n"));
    expect(errors).toEqual([
      {
        message: '"architect" and "architecture-review" both name the architecture-review step',
        line: 4,
        column: 3,
        path: "budgets.architect",
        fix: 'keep one of the two keys (the step\'s name is "architecture-review")',
      },
      { message: '"learning" and "remember" both name the learning step', line: 7, column: 3, path: "steps.learning", fix: 'keep one of the two keys (the step\'s name is "learning")' },
    ]);
  });

  it("names and points at the word as written when its value is wrong", () => {
    const [budget] = errorsOf("budgets:\n  architect: 10\n");
    expect(budget).toMatchObject({ path: "budgets.architect", line: 2, column: 14 });
    expect(budget!.message).toBe("must be at least 1000 (a budget below 1000 tokens leaves no room for the prompt), got 10");
    expect(budget!.fix).toBe("use a number from 1000 to 1000000, e.g. architect: 60000");

    const [enabled] = errorsOf("steps:\n  remember:\n    enabled: nope\n");
    expect(enabled).toMatchObject({ path: "steps.remember.enabled", line: 3, column: 14 });
  });

  it("suggests the word for a slip of case, as for any key", () => {
    const [error] = errorsOf("models:\n  Architect: claude-opus-4-8\n");
    expect(error).toMatchObject({ path: "models.Architect", line: 2, column: 3, message: "unknown key", fix: 'did you mean "architect"?' });
  });

  it("is the schema's own rule: parsing the data directly reads the words too", () => {
    expect(batonConfigSchema.parse({ budgets: { arch: 2000 } }).budgets["architecture-review"]).toBe(2000);
    expect(batonConfigSchema.safeParse({ models: { dev: "a", develop: "b" } }).success).toBe(false);
  });
});

describe("baton.schema.json: the same words", () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(configJsonSchema());

  it("accepts every word for a step in budgets, models and steps, and refuses what Baton refuses", () => {
    expect(validate({ budgets: { architect: 70_000, remember: 5000 }, models: { arch: "m", develop: "m" }, steps: { architecture: { budget: 65_000 }, learn: { enabled: false } } }), JSON.stringify(validate.errors)).toBe(true);
    for (const id of STEP_IDS) {
      for (const word of stepAliasesOf(id)) {
        expect(validate({ budgets: { [word]: 4321 }, models: { [word]: "m" }, steps: { [word]: { enabled: false } } }), `${word}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    // And refuses what Baton refuses: two keys for one step, a word with another case, a budget too small under a word.
    expect(validate({ budgets: { architect: 70_000, "architecture-review": 80_000 } })).toBe(false);
    expect(validate({ steps: { remember: {}, learn: {} } })).toBe(false);
    expect(validate({ models: { Architect: "m" } })).toBe(false);
    expect(validate({ budgets: { architect: 10 } })).toBe(false);
    for (const config of [{ budgets: { architect: 70_000, "architecture-review": 80_000 } }, { steps: { remember: {}, learn: {} } }, { models: { Architect: "m" } }, { budgets: { architect: 10 } }]) {
      expect(batonConfigSchema.safeParse(config).success, JSON.stringify(config)).toBe(false);
    }
  });
});
