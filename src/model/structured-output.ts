import { z } from "zod";
import type { Tool } from "@anthropic-ai/sdk/resources/messages";
import { assertToolName } from "./prompt-rendering.js";

/**
 * Structured output through one forced tool: the tool's input schema is the
 * zod schema as JSON Schema, and the tool input is validated with the same
 * zod schema. JSON Schema guides the model; zod is the contract (it also
 * checks what JSON Schema cannot say, refinements, and applies defaults).
 */

/** A zod issue as plain data, for the repair prompt and error messages. */
export interface OutputIssue {
  path: string;
  code: string;
  message: string;
}

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; issues: OutputIssue[] };

/** `findings[0].line`, or `(root)` for the top level. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

export function validateOutput<T>(schema: z.ZodType<T>, input: unknown): ValidationOutcome<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), code: issue.code, message: issue.message })),
  };
}

/** `path: message` lines, the first `max` of them, and how many were left out. */
export function summarizeIssues(issues: OutputIssue[], max = 5): string[] {
  const lines = issues.slice(0, max).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > max) lines.push(`(and ${issues.length - max} more)`);
  return lines;
}

/**
 * The forced tool for a structured request. `io: "input"` because the model
 * writes what zod will parse: fields with defaults are optional for it.
 */
export function structuredTool(schema: z.ZodType, name: string, description: string): Tool {
  assertToolName(name);
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`schema ${name} cannot be expressed as JSON Schema for the model: ${(err as Error).message}`, { cause: err });
  }
  // The API wants the schema itself, not a document: `$schema` is noise to it.
  const { $schema: _ignored, ...inputSchema } = jsonSchema;
  if (inputSchema.type !== "object") {
    throw new Error(`schema ${name} must be a z.object() at the top level (tool inputs are JSON objects), got ${JSON.stringify(inputSchema.type)}`);
  }
  return { name, description, input_schema: inputSchema as Tool.InputSchema };
}

/**
 * The tool_result that asks for a corrected call. The issues are sent as
 * JSON data, and the model's previous call stays in the conversation just
 * before it, so the model corrects its own output rather than starting over.
 */
export function repairMessage(toolName: string, issues: OutputIssue[], truncatedAtMaxTokens: boolean): string {
  const lines = [
    `Your call to ${toolName} did not match its input schema, so it was rejected.`,
    "The validation issues, as JSON data:",
    JSON.stringify(issues.slice(0, 20), null, 2),
  ];
  if (issues.length > 20) lines.push(`(${issues.length - 20} more issues not shown)`);
  if (truncatedAtMaxTokens) lines.push("Your output was cut off at the token limit: make it shorter (fewer or more concise entries).");
  lines.push(`Call ${toolName} again with a complete, corrected input. Keep what was already valid; change only what the issues point at.`);
  return lines.join("\n");
}
