import { describe, expect, it } from "vitest";
import { allowedKeysAt, closestMatch, editDistance, formatConfigPath, yamlInline } from "../../src/config/config-errors.js";
import { STEP_IDS } from "../../src/config/config-schema.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("triger", "triggers")).toBe(2);
    expect(editDistance("hgh", "high")).toBe(1);
    expect(editDistance("reveiw", "review")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("closestMatch", () => {
  it("finds plausible typos and ignores case and separators", () => {
    expect(closestMatch("triger", ["modules", "triggers", "budgets"])).toBe("triggers");
    expect(closestMatch("small-change-lines", ["smallChangeLines", "skipLabel"])).toBe("smallChangeLines");
    expect(closestMatch("MODULES", ["modules"])).toBe("modules");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(closestMatch("flavour", ["modules", "triggers"])).toBeUndefined();
    expect(closestMatch("x", [])).toBeUndefined();
  });
});

describe("formatConfigPath", () => {
  it("dots keys, brackets indices and quotes odd keys", () => {
    expect(formatConfigPath([])).toBe("");
    expect(formatConfigPath(["steps", "review", "inputs", 1])).toBe("steps.review.inputs[1]");
    expect(formatConfigPath(["budgets", "architecture-review"])).toBe("budgets.architecture-review");
    expect(formatConfigPath(["modules", "Bad Name!"])).toBe('modules["Bad Name!"]');
  });
});

describe("allowedKeysAt", () => {
  it("reads object shapes and enum-keyed records from the schema", () => {
    expect(allowedKeysAt([])).toContain("triggers");
    expect(allowedKeysAt(["steps"])).toEqual([...STEP_IDS]);
    expect(allowedKeysAt(["steps", "review"])).toEqual(["enabled", "inputs", "budget", "model"]);
    expect(allowedKeysAt(["modules"])).toBeUndefined();
    expect(allowedKeysAt(["nope"])).toBeUndefined();
  });
});

describe("yamlInline", () => {
  it("writes values as one line of YAML", () => {
    expect(yamlInline(10)).toBe("10");
    expect(yamlInline("needs-architecture")).toBe("needs-architecture");
    expect(yamlInline("baton:skip")).toBe("baton:skip");
    expect(yamlInline("yes")).toBe('"yes"');
    expect(yamlInline("**")).toBe('"**"');
    expect(yamlInline(["src/**", "lib/**"])).toBe('["src/**", "lib/**"]');
  });
});
