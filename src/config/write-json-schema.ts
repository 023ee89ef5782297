import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { batonConfigSchema } from "./config-schema.js";
import { STEP_IDS, STEP_KEYED_SECTIONS, stepAliasesOf } from "./step-names.js";

/**
 * `baton.schema.json`: the JSON Schema of `.github/baton.yml`, for editors
 * (yaml-language-server: `# yaml-language-server: $schema=…`). Generated
 * from the zod schema so the two cannot disagree; a test fails when the
 * committed file is stale. Regenerate with `npm run schema`.
 */

export const SCHEMA_FILE_NAME = "baton.schema.json";
// A URN rather than a URL: the project has no published address yet. Editors find
// the file through the yaml-language-server modeline or their settings, not through $id.
export const SCHEMA_ID = "urn:baton:config-schema";

/** The project root, where the committed schema lives. */
export const SCHEMA_FILE_PATH = fileURLToPath(new URL(`../../${SCHEMA_FILE_NAME}`, import.meta.url));

export function configJsonSchema(): Record<string, unknown> {
  // io "input": what a person writes (defaults are optional), not what Baton reads after parsing.
  // draft-07: the draft editors' YAML support handles best.
  const generated = z.toJSONSchema(batonConfigSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
  const { $schema, ...rest } = withStepWords(generated);
  return {
    $schema,
    $id: SCHEMA_ID,
    title: "Baton configuration (.github/baton.yml)",
    description: "Modules, triggers, budgets and models for Baton. Every key is optional.",
    ...rest,
  };
}

type JsonObject = Record<string, unknown>;

/**
 * The schema reads every word for a step as the step (`budgets.architect`,
 * step-names.ts) through a preprocess, which JSON Schema cannot express:
 * the words are listed here as keys of the same shape, and two keys for
 * one step are refused, as Baton refuses them.
 */
function withStepWords(schema: JsonObject): JsonObject {
  const sections = (schema.properties ?? {}) as Record<string, JsonObject>;
  for (const name of STEP_KEYED_SECTIONS) {
    const section = sections[name];
    if (!section) throw new Error(`baton.schema.json: no section ${name} to add the step words to`);
    const properties = section.properties as Record<string, JsonObject> | undefined;
    const propertyNames = section.propertyNames as { enum?: string[] } | undefined;
    for (const id of STEP_IDS) {
      for (const word of stepAliasesOf(id)) {
        if (properties?.[id]) {
          const { default: _default, ...shape } = properties[id];
          properties[word] = { ...shape, description: `Another name for ${id}.` };
        }
        propertyNames?.enum?.push(word);
      }
    }
    const clashes = STEP_IDS.flatMap((id) => {
      const words = [id, ...stepAliasesOf(id)];
      return words.flatMap((a, i) => words.slice(i + 1).map((b) => ({ required: [a, b] })));
    });
    section.not = { anyOf: clashes };
  }
  return schema;
}

/** The file's exact content: 2-space JSON with a trailing newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href;
}

if (isMain()) {
  writeFileSync(SCHEMA_FILE_PATH, renderConfigJsonSchema());
  console.log(`wrote ${SCHEMA_FILE_PATH}`);
}
