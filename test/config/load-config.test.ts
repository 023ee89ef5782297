import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/config-schema.js";
import { formatConfigErrors, type ConfigError } from "../../src/config/config-errors.js";
import { parseConfig } from "../../src/config/load-config.js";

/** The errors of a file that must not parse. */
function errorsOf(text: string): ConfigError[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error(`expected errors, got a config: ${JSON.stringify(result.config)}`);
  return result.errors;
}

/** The single error at `path`. */
function errorAt(text: string, path: string): ConfigError {
  const matching = errorsOf(text).filter((error) => error.path === path);
  expect(matching, `errors at ${path}`).toHaveLength(1);
  return matching[0] as ConfigError;
}

describe("parseConfig: valid files", () => {
  it("reads a full configuration and fills defaults for what it leaves out", () => {
    const result = parseConfig(
      [
        "modules:",
        "  api: [src/api/**]",
        "  web:",
        "    - src/web/**",
        '    - "!src/web/generated/**"',
        "triggers:",
        "  smallChangeLines: 0",
        "  reviewDrafts: true",
        "budgets:",
        "  review: 50000",
        "models:",
        "  review: claude-opus-4-8",
        "review:",
        "  failOn: high",
        "steps:",
        "  learning:",
        "    enabled: false",
        "  review:",
        "    inputs: [spec, diff, pitfalls:modules]",
        "",
      ].join("\n"),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.notes).toEqual([]);
    expect(result.config.modules).toEqual({ api: ["src/api/**"], web: ["src/web/**", "!src/web/generated/**"] });
    expect(result.config.triggers).toEqual({ ...defaultConfig().triggers, smallChangeLines: 0, reviewDrafts: true });
    expect(result.config.budgets).toEqual({ ...defaultConfig().budgets, review: 50_000 });
    expect(result.config.models.review).toBe("claude-opus-4-8");
    expect(result.config.models.default).toBe(defaultConfig().models.default);
    expect(result.config.review.failOn).toBe("high");
    expect(result.config.steps).toEqual({ learning: { enabled: false }, review: { inputs: ["spec", "diff", "pitfalls:modules"] } });
    expect(result.config.dev).toEqual(defaultConfig().dev);
  });

  it("uses the defaults, with a note, when the file is missing", () => {
    expect(parseConfig(null)).toEqual({ ok: true, config: defaultConfig(), notes: ["no .github/baton.yml: using defaults"] });
    const other = parseConfig(null, ".github/baton.yaml");
    expect(other.ok && other.notes).toEqual(["no .github/baton.yaml: using defaults"]);
  });

  it.each([
    ["an empty file", ""],
    ["blank lines", "\n\n   \n"],
    ["only comments", "# modules:\n#   api: [src/api/**]\n"],
    ["a lone document marker", "---\n"],
  ])("uses the defaults for %s", (_label, text) => {
    const result = parseConfig(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toEqual(defaultConfig());
    expect(result.notes).toEqual([".github/baton.yml is empty: using defaults"]);
  });

  it("treats a section whose keys are all commented out as absent", () => {
    const result = parseConfig("triggers:\n  # smallChangeLines: 3\nmodules:\nsteps:\n  review:\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.triggers).toEqual(defaultConfig().triggers);
    expect(result.config.modules).toBeUndefined();
    expect(result.config.steps).toEqual({});
    expect(result.notes).toEqual([
      "triggers is empty: using its defaults",
      "modules is empty: using its defaults",
      "steps.review is empty: using its defaults",
    ]);
  });

  it("accepts anchors, aliases and merge keys", () => {
    const result = parseConfig("modules:\n  api: &api [src/api/**]\n  api2: *api\nsteps:\n  dev: &step { budget: 5000 }\n  review:\n    <<: *step\n    enabled: true\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.modules).toEqual({ api: ["src/api/**"], api2: ["src/api/**"] });
    expect(result.config.steps.review).toEqual({ budget: 5000, enabled: true });
  });

  it("accepts module names with capitals, as the JSON Schema does", () => {
    const result = parseConfig("modules:\n  WebApp: [web/**]\n");
    expect(result.ok && result.config.modules).toEqual({ WebApp: ["web/**"] });
  });
});

describe("parseConfig: errors with positions and fixes", () => {
  it("points at an unknown key and suggests the closest allowed one", () => {
    expect(errorsOf("triger:\n  smallChangeLines: 5\n")).toEqual([
      { message: "unknown key", line: 1, column: 1, path: "triger", fix: 'did you mean "triggers"?' },
    ]);
  });

  it("suggests keys written with other case or separators", () => {
    expect(errorAt("triggers:\n  small_change_lines: 3\n", "triggers.small_change_lines")).toMatchObject({ line: 2, column: 3, fix: 'did you mean "smallChangeLines"?' });
    expect(errorAt("review:\n  MaxInlineComments: 3\n", "review.MaxInlineComments").fix).toBe('did you mean "maxInlineComments"?');
    expect(errorAt("steps:\n  revew: {}\n", "steps.revew")).toMatchObject({ line: 2, column: 3, fix: 'did you mean "review"?' });
  });

  it("says where a key written at the wrong level belongs", () => {
    expect(errorAt("smallChangeLines: 3\n", "smallChangeLines")).toMatchObject({
      line: 1,
      column: 1,
      fix: '"smallChangeLines" belongs under "triggers:"; move it to triggers.smallChangeLines',
    });
  });

  it("lists the allowed keys when nothing is close", () => {
    expect(errorAt("triggers:\n  flavour: vanilla\n", "triggers.flavour").fix).toBe(
      "remove it; allowed keys here: architectureLabel, devLabel, skipLabel, smallChangeLines, reviewDrafts, reviewOnPush",
    );
  });

  it("points at a value of the wrong type and gives an example", () => {
    const error = errorAt("# Baton\ntriggers:\n  reviewDrafts: false\n  smallChangeLines: ten\n", "triggers.smallChangeLines");
    expect(error).toEqual({
      message: 'expected a number, got "ten"',
      line: 4,
      column: 21,
      path: "triggers.smallChangeLines",
      fix: "write a number, e.g. smallChangeLines: 10",
    });
  });

  it("explains the YAML traps: quoted numbers, yes/no, numbers as text, a string for a list", () => {
    expect(errorAt("budgets:\n  review: \"2000\"\n", "budgets.review")).toMatchObject({ line: 2, column: 11, fix: "remove the quotes: review: 2000" });
    expect(errorAt("triggers:\n  reviewDrafts: yes\n", "triggers.reviewDrafts")).toMatchObject({
      message: 'expected true or false, got "yes"',
      line: 2,
      column: 17,
      fix: "write true or false (yes/no/on/off are text in YAML 1.2), e.g. reviewDrafts: true",
    });
    expect(errorAt("models:\n  review: 3.5\n", "models.review")).toMatchObject({ message: "expected text, got 3.5", fix: 'quote it: review: "3.5"' });
    expect(errorAt("modules:\n  api:\n    - src/api/**\n    - 3\n", "modules.api[1]")).toMatchObject({ line: 4, column: 7, fix: 'quote it: - "3"' });
    expect(errorAt("modules:\n  api: src/api/**\n", "modules.api")).toMatchObject({ line: 2, column: 8, fix: 'write it as a list: api: ["src/api/**"]' });
    expect(errorAt("budgets:\n  dev: 1.5\n", "budgets.dev")).toMatchObject({ message: "expected a whole number, got 1.5", fix: "use a whole number, e.g. dev: 2" });
  });

  it("points at the key when its value is missing", () => {
    expect(errorAt("triggers:\n  smallChangeLines:\n", "triggers.smallChangeLines")).toEqual({
      message: "expected a number, got nothing",
      line: 2,
      column: 3,
      path: "triggers.smallChangeLines",
      fix: "give it a value, e.g. smallChangeLines: 10, or remove the line to use the default",
    });
  });

  it("lists the allowed values of an enum, and suggests the closest", () => {
    expect(errorAt("review:\n  failOn: hgh\n", "review.failOn")).toEqual({
      message: '"hgh" is not one of none, low, medium, high, critical',
      line: 2,
      column: 11,
      path: "review.failOn",
      fix: 'did you mean "high"?',
    });
    expect(errorAt("steps:\n  review:\n    inputs: [diff, nope]\n", "steps.review.inputs[1]")).toMatchObject({
      line: 3,
      column: 20,
      message: '"nope" is not one of spec, adr:linked, adr:related, adr:index, pitfalls:modules, guidance:modules, module-map, tree-outline, diff, source:modules, source:outline',
      fix: "write one of those values, e.g. - spec",
    });
    expect(errorAt("review:\n  failOn: urgent\n", "review.failOn").fix).toBe("write one of those values, e.g. failOn: none");
  });

  it("explains out-of-range numbers with the schema's own reason", () => {
    expect(errorAt("steps:\n  review:\n    budget: 5\n", "steps.review.budget")).toEqual({
      message: "must be at least 1000 (a budget below 1000 tokens leaves no room for the prompt), got 5",
      line: 3,
      column: 13,
      path: "steps.review.budget",
      fix: "use a number from 1000 to 1000000, e.g. budget: 80000",
    });
    expect(errorAt("review:\n  maxInlineComments: 500\n", "review.maxInlineComments")).toMatchObject({
      message: "must be at most 100, got 500",
      fix: "use a number from 0 to 100, e.g. maxInlineComments: 20",
    });
  });

  it("explains empty lists, empty globs and bad module names", () => {
    expect(errorAt("modules:\n  api: []\n", "modules.api")).toMatchObject({ message: "list at least one glob", line: 2, column: 8 });
    expect(errorAt("review:\n  ignore: [\"\"]\n", "review.ignore[0]")).toMatchObject({ message: "a glob cannot be empty", line: 2, column: 12 });
    expect(errorAt('modules:\n  "Bad Name!": [x/**]\n', 'modules["Bad Name!"]')).toMatchObject({
      line: 2,
      column: 3,
      message: "module name \"Bad Name!\" is not valid: module names are letters, digits, '.', '_' or '-', starting with a letter or digit",
      fix: 'rename it, e.g. "bad-name"',
    });
  });

  it("counts columns on line 1 without the byte order mark, and reads CRLF files", () => {
    expect(errorsOf("\uFEFFtriger: 1\n")[0]).toMatchObject({ line: 1, column: 1 });
    expect(errorsOf("review:\r\n  failOn: hgh\r\n")[0]).toMatchObject({ line: 2, column: 11 });
  });

  it("reports a top level that is not a mapping", () => {
    expect(errorsOf("- api\n- web\n")).toEqual([
      {
        message: "expected a mapping (keys indented below it), got a list",
        line: 1,
        column: 1,
        path: "",
        fix: "start the file with keys such as modules:, folders:, triggers:, budgets: (see baton.schema.json)",
      },
    ]);
  });

  it("reports every problem at once, in file order", () => {
    const errors = errorsOf("review:\n  failOn: hgh\ntriger: {}\nbudgets:\n  dev: 10\n");
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [2, 11, "review.failOn"],
      [3, 1, "triger"],
      [5, 8, "budgets.dev"],
    ]);
  });

  it("reports an unquoted glob read as an alias, and still checks the rest", () => {
    const errors = errorsOf("dev:\n  allowPaths:\n    - **/*.ts\n  maxTurns: 0\n");
    expect(errors).toEqual([
      { message: '**/*.ts starts with "*", which YAML reads as an alias', line: 3, column: 7, path: "", fix: 'quote it: "**/*.ts"' },
      expect.objectContaining({ path: "dev.maxTurns", line: 4, column: 13 }),
    ]);
  });

  it("reports an alias without anchor", () => {
    expect(errorsOf("models:\n  default: *model\n")).toEqual([
      { message: "alias *model refers to no anchor &model defined before it", line: 2, column: 12, path: "", fix: 'define &model earlier in the file, or quote the value: "*model"' },
    ]);
  });

  it("points at a merge key whose value is not a mapping (the property test's `{\"<<\": 0}`)", () => {
    const fix = 'write "<<: *name" where "&name" marks a mapping defined earlier, or remove the "<<" line';
    const message = '"<<" merges the keys of a mapping into this one, but its value is not a mapping';
    expect(errorsOf("<<: 0\n")).toEqual([{ message, line: 1, column: 5, path: "", fix }]);
    expect(errorsOf("dev:\n  maxTurns: 3\nreview:\n  <<: [*nothing, text]\n")).toEqual(
      expect.arrayContaining([expect.objectContaining({ message, line: 4, column: 7 })]),
    );
  });

  it("locates an error in keys brought in by a merge at the merged key", () => {
    expect(errorsOf("base: &b\n  triggers: 3\n<<: *b\n")).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "triggers", line: 2, column: 13 })]),
    );
  });
});

describe("parseConfig: YAML syntax errors", () => {
  it("names the line and column of bad indentation", () => {
    expect(errorsOf("triggers:\n  reviewDrafts: true\n smallChangeLines: 3\n")).toEqual([
      {
        message: "YAML syntax error: All mapping items must start at the same column",
        line: 3,
        column: 1,
        path: "",
        fix: "indent with spaces so that keys of the same level start at the same column, nested keys further right",
      },
    ]);
  });

  it("names tabs, duplicate keys and unclosed quotes", () => {
    expect(errorsOf("triggers:\n\treviewDrafts: true\n")[0]).toMatchObject({ line: 2, column: 1, fix: "indent with spaces, not tabs" });
    expect(errorsOf("review:\n  failOn: low\n  failOn: high\n")[0]).toMatchObject({ line: 3, column: 3, fix: "keep only one of the keys with this name" });
    expect(errorsOf("models:\n  default: \"claude\n")[0]).toMatchObject({ line: 3, column: 1, message: 'YAML syntax error: Missing closing "quote' });
  });
});

describe("formatConfigErrors", () => {
  const errors: ConfigError[] = [
    { message: 'expected a number, got "ten"', line: 4, column: 3, path: "triggers.smallChangeLines", fix: "write a number, e.g. smallChangeLines: 10" },
    { message: "YAML syntax error: Missing closing quote.", line: null, column: null, path: "", fix: "close the quote" },
  ];

  it("renders one line per error with file, position, path and fix", () => {
    expect(formatConfigErrors(errors, ".github/baton.yml")).toBe(
      [
        '.github/baton.yml:4:3  triggers.smallChangeLines: expected a number, got "ten". Fix: write a number, e.g. smallChangeLines: 10',
        ".github/baton.yml  YAML syntax error: Missing closing quote. Fix: close the quote",
      ].join("\n"),
    );
  });

  it("fences the lines for Markdown so globs are not read as emphasis", () => {
    const text = formatConfigErrors([{ message: "unknown key", line: 1, column: 1, path: "x", fix: "use ```" }], "b.yml", { markdown: true });
    expect(text).toBe("````text\nb.yml:1:1  x: unknown key. Fix: use ```\n````");
  });

  it("renders the errors parseConfig returns", () => {
    const result = parseConfig("triggers:\n  smallChangeLines: ten\n", "config/baton.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigErrors(result.errors, "config/baton.yml")).toBe(
      'config/baton.yml:2:21  triggers.smallChangeLines: expected a number, got "ten". Fix: write a number, e.g. smallChangeLines: 10',
    );
  });
});
