import type { ToolCall, ToolDefinition, ToolResult } from "../../model/model-client.js";
import type { DevWorkspace } from "./dev-workspace.js";

export const DEV_TOOLS: ToolDefinition[] = [
  { name: "list_files", description: "List repository files (base commit plus your changes), optionally filtered by a glob such as 'src/api/**'.", inputSchema: { type: "object", properties: { glob: { type: "string" } } } },
  {
    name: "read_file",
    description: "Read a file, with line numbers. Long files come in parts: at most 2000 lines (and 60,000 characters) from `offset`; the footer says where to read on.",
    inputSchema: { type: "object", properties: { path: { type: "string" }, offset: { type: "integer", minimum: 1, description: "First line (1-based); default 1." }, limit: { type: "integer", minimum: 1, description: "Lines to read; default 2000." } }, required: ["path"] },
  },
  { name: "search", description: "Search file contents with a JavaScript regular expression, optionally within a glob. Returns path:line: text.", inputSchema: { type: "object", properties: { pattern: { type: "string" }, glob: { type: "string" } }, required: ["pattern"] } },
  {
    name: "edit_file",
    description: "Replace exact text in a file: old_string must match the file exactly (without the line numbers read_file shows) and occur once, unless replace_all is true. Prefer this to rewriting a file.",
    inputSchema: { type: "object", properties: { path: { type: "string" }, old_string: { type: "string" }, new_string: { type: "string" }, replace_all: { type: "boolean" } }, required: ["path", "old_string", "new_string"] },
  },
  { name: "write_file", description: "Create a file, or replace a whole file you have read to the end, with the full new content.", inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } }, required: ["path", "content"] } },
  { name: "delete_file", description: "Delete a file.", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  { name: "finish", description: "Finish: summarise what you changed and why, for the pull request description.", inputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] } },
];

function str(input: unknown, key: string, required: boolean): string | undefined {
  const v = input && typeof input === "object" ? (input as Record<string, unknown>)[key] : undefined;
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string") throw new Error(`"${key}" must be a string`);
  return v;
}

function num(input: unknown, key: string): number | undefined {
  const v = input && typeof input === "object" ? (input as Record<string, unknown>)[key] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`"${key}" must be a number`);
  return v;
}

/** Runs one tool call against the workspace. Errors become tool results the model can act on, never exceptions. */
export async function runDevTool(ws: DevWorkspace, call: ToolCall): Promise<{ result: ToolResult; finished?: string }> {
  const ok = (content: string): { result: ToolResult } => ({ result: { type: "tool_result", toolUseId: call.id, content } });
  try {
    switch (call.name) {
      case "list_files":
        return ok(await ws.listFiles(str(call.input, "glob", false)));
      case "read_file":
        return ok(await ws.readFile(str(call.input, "path", true)!, num(call.input, "offset"), num(call.input, "limit")));
      case "edit_file":
        return ok(await ws.editFile(str(call.input, "path", true)!, str(call.input, "old_string", true)!, str(call.input, "new_string", true)!, Boolean(call.input && typeof call.input === "object" && (call.input as Record<string, unknown>).replace_all === true)));
      case "search":
        return ok(await ws.search(str(call.input, "pattern", true)!, str(call.input, "glob", false)));
      case "write_file":
        return ok(await ws.writeFile(str(call.input, "path", true)!, str(call.input, "content", true)!));
      case "delete_file":
        return ok(await ws.deleteFile(str(call.input, "path", true)!));
      case "finish": {
        const summary = str(call.input, "summary", true)!;
        return { ...ok("done"), finished: summary };
      }
      default:
        throw new Error(`unknown tool ${call.name}`);
    }
  } catch (err) {
    return { result: { type: "tool_result", toolUseId: call.id, content: err instanceof Error ? err.message : String(err), isError: true } };
  }
}
