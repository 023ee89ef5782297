import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { INPUT_SELECTORS, STEP_IDS, batonConfigSchema, defaultConfig, type BatonConfigInput } from "../../src/config/config-schema.js";
import { parseConfig } from "../../src/config/load-config.js";
import { configGlobProblem } from "../../src/policy/glob-limits.js";
import { assertProperty, propertyRuns } from "../support/property.js";

// Random valid overrides of the defaults, written as YAML the way a person
// (or a YAML library) would, must always parse to what the schema says.

const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
// Any text is a glob, as long as it has none of the costly shapes the schema refuses.
const glob = fc.oneof(fc.constantFrom("src/**", "**/*.md", "packages/*/src/**", "!dist/**", "docs/adr/**", "*.ts", "@scope/x/**"), text.filter((t) => configGlobProblem(t) === undefined));
const globs = fc.array(glob, { maxLength: 4 });
const tokens = fc.integer({ min: 1000, max: 1_000_000 });
const optional = { requiredKeys: [] as never[] };

const stepOverride = fc.record(
  {
    enabled: fc.boolean(),
    inputs: fc.subarray([...INPUT_SELECTORS]),
    budget: tokens,
    model: text,
  },
  optional,
);

const override: fc.Arbitrary<BatonConfigInput> = fc.record(
  {
    modules: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/), fc.array(glob, { minLength: 1, maxLength: 3 }), { maxKeys: 5 }),
    folders: fc.record({ adr: text, pitfalls: text, specs: text }, optional),
    triggers: fc.record(
      { architectureLabel: text, devLabel: text, skipLabel: text, smallChangeLines: fc.nat(), reviewDrafts: fc.boolean(), reviewOnPush: fc.boolean() },
      optional,
    ),
    budgets: fc.record({ "architecture-review": tokens, dev: tokens, review: tokens, learning: tokens }, optional),
    models: fc.record({ default: text, "architecture-review": text, dev: text, review: text, learning: text }, optional),
    review: fc.record(
      { maxInlineComments: fc.integer({ min: 0, max: 100 }), ignore: globs, failOn: fc.constantFrom("none", "low", "medium", "high", "critical") },
      optional,
    ),
    dev: fc.record({ maxTurns: fc.integer({ min: 1, max: 200 }), maxFiles: fc.integer({ min: 1, max: 500 }), allowPaths: globs, denyPaths: globs }, optional),
    steps: fc.dictionary(fc.constantFrom(...STEP_IDS), stepOverride, { maxKeys: 4 }),
  },
  optional,
);

// Property runs are CPU-bound: allow for a machine busy with other test files.
describe("parseConfig (property)", { timeout: 60_000 }, () => {
  it("parses any valid override of the defaults, in block or flow style, to what the schema gives", () => {
    assertProperty(
      fc.property(override, fc.boolean(), (input, flow) => {
        const yaml = `# .github/baton.yml\n${stringify(input, { collectionStyle: flow ? "flow" : "block" })}`;
        const result = parseConfig(yaml);
        if (!result.ok) throw new Error(`rejected:\n${yaml}\n${JSON.stringify(result.errors, null, 2)}`);
        expect(result.config).toEqual(batonConfigSchema.parse(input));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it("keeps every default the override does not touch", () => {
    assertProperty(
      fc.property(override, (input) => {
        const result = parseConfig(stringify(input));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const defaults = defaultConfig();
        for (const section of ["triggers", "budgets", "review", "dev"] as const) {
          const given = (input[section] ?? {}) as Record<string, unknown>;
          for (const [key, value] of Object.entries(defaults[section])) {
            if (!(key in given)) expect((result.config[section] as Record<string, unknown>)[key]).toEqual(value);
          }
        }
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it("never throws on arbitrary text, and positions every error inside the file", () => {
    assertProperty(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 200 }), fc.jsonValue().map((value) => stringify(value))), (source) => {
        const result = parseConfig(source);
        if (result.ok) return;
        const lines = source.split(/\r\n|\r|\n/).length;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) {
          expect(error.fix).not.toBe("");
          if (error.line !== null) {
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.line).toBeLessThanOrEqual(lines + 1);
            expect(error.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it("locates every schema error of a well-formed file at a line", () => {
    const section = fc.constantFrom("modules", "folders", "triggers", "budgets", "models", "review", "dev", "steps", "triger", "<<");
    const key = fc.constantFrom("smallChangeLines", "review", "dev", "api", "failOn", "inputs", "allowPaths", "x", "<<");
    const wild = fc.dictionary(section, fc.oneof(fc.jsonValue(), fc.dictionary(key, fc.jsonValue(), { maxKeys: 3 })), { maxKeys: 4 });
    assertProperty(
      fc.property(wild, (input) => {
        const result = parseConfig(stringify(input));
        if (result.ok) return;
        for (const error of result.errors) expect(error.line, JSON.stringify(error)).not.toBeNull();
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
