import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE_PATH, configJsonSchema, renderConfigJsonSchema } from "../../src/config/write-json-schema.js";
import { STEP_IDS } from "../../src/config/config-schema.js";
import { stepAliasesOf } from "../../src/config/step-names.js";

describe("baton.schema.json", () => {
  it("is current with the zod schema", () => {
    const committed = readFileSync(SCHEMA_FILE_PATH, "utf8");
    expect(committed, "baton.schema.json is stale: run `npm run schema` and commit the result").toBe(renderConfigJsonSchema());
  });

  it("has an id, a title and the config's sections", () => {
    const schema = configJsonSchema() as { $id?: string; title?: string; $schema?: string; properties?: Record<string, unknown>; additionalProperties?: unknown };
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.$id).toBe("urn:baton:config-schema");
    expect(schema.title).toContain(".github/baton.yml");
    expect(Object.keys(schema.properties ?? {})).toEqual(["modules", "folders", "triggers", "budgets", "models", "review", "dev", "learning", "steps"]);
    expect(schema.additionalProperties).toBe(false);
    // The steps' ids, then the other words for them (step-names.ts).
    expect((schema.properties?.steps as { propertyNames: { enum: string[] } }).propertyNames.enum).toEqual([...STEP_IDS, ...STEP_IDS.flatMap((id) => stepAliasesOf(id))]);
  });

  it("describes input (every key optional), not parsed output", () => {
    const schema = configJsonSchema() as { required?: unknown; properties: { triggers: { required?: unknown } } };
    expect(schema.required).toBeUndefined();
    expect(schema.properties.triggers.required).toBeUndefined();
  });
});
