import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { batonConfigSchema } from "./config-schema.js";

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
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: "Baton configuration (.github/baton.yml)",
    description: "Modules, triggers, budgets and models for Baton. Every key is optional.",
    ...rest,
  };
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
