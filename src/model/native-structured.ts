import type { JSONOutputFormat, Message } from "@anthropic-ai/sdk/resources/messages";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { z } from "zod";
import { PermanentModelError } from "./model-errors.js";
import type { OutputIssue } from "./structured-output.js";

/**
 * Structured output the way the Messages API offers it natively
 * (`output_config.format`, a JSON schema the model's decoding is held to),
 * for the models that support it; other models (older ones, other
 * Anthropic-compatible endpoints) get the forced tool (structured-output.ts).
 * zod stays the contract either way: the answer is validated, and repaired
 * once, the same way.
 */

/**
 * Claude models with native structured output: the 4.5 generation and later
 * (the SDK's model list: claude-{opus,sonnet,haiku}-4-5 onward, and the 5
 * family). A dated id (`claude-sonnet-4-5-20250929`) counts as its family.
 */
export function supportsNativeStructuredOutput(model: string): boolean {
  const m = /^claude-(?:opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d{1,2}))?(?:-\d{8})?$/.exec(model.trim());
  if (!m) return false;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? 0 : Number(m[2]);
  return major > 4 || (major === 4 && minor >= 5);
}

/**
 * The output format for a zod schema. The API accepts a subset of JSON
 * Schema; the SDK's own transform moves what it does not accept (string
 * lengths, numeric bounds) into the descriptions, where the model still
 * reads them, and zod checks them after.
 */
export function nativeOutputFormat(schema: z.ZodType, name: string): JSONOutputFormat {
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`schema ${name} cannot be expressed as JSON Schema for the model: ${(err as Error).message}`, { cause: err });
  }
  const { $schema: _ignored, ...rest } = jsonSchema;
  return { type: "json_schema", schema: transformJSONSchema(rest) };
}

/** The JSON the model wrote (its text blocks, joined), or why it is not JSON. */
export function nativeAnswer(message: Message): { ok: true; value: unknown } | { ok: false; issues: OutputIssue[] } {
  const text = message.content
    .filter((b) => b.type === "text")
    .map((b) => (b.type === "text" ? b.text : ""))
    .join("")
    .trim();
  if (text === "") return { ok: false, issues: [{ path: "(root)", code: "no_output", message: "the answer held no JSON" }] };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, issues: [{ path: "(root)", code: "invalid_json", message: `the answer is not valid JSON: ${(err as Error).message}` }] };
  }
}

/** The API refused `output_config` itself (an endpoint or model without it): the forced tool is used instead. */
export function refusesNativeOutput(err: unknown): boolean {
  return err instanceof PermanentModelError && err.kind === "invalid-request" && /output_config|output_format|structured output|json_schema/i.test(err.message);
}

/** The message that asks for a corrected answer in native mode: the issues as data, the answer again as JSON. */
export function nativeRepairMessage(issues: OutputIssue[], truncatedAtMaxTokens: boolean): string {
  const lines = ["Your answer did not match the required JSON schema, so it was rejected.", "The validation issues, as JSON data:", JSON.stringify(issues.slice(0, 20), null, 2)];
  if (issues.length > 20) lines.push(`(${issues.length - 20} more issues not shown)`);
  if (truncatedAtMaxTokens) lines.push("Your output was cut off at the token limit: make it shorter (fewer or more concise entries).");
  lines.push("Answer again with the complete, corrected JSON. Keep what was already valid; change only what the issues point at.");
  return lines.join("\n");
}
