import type { ToolCall, ToolDefinition, ToolResult } from "../../model/model-client.js";
import type { DevWorkspace } from "./dev-workspace.js";

export const DEV_TOOLS: ToolDefinition[] = [
  { name: "list_files", description: "List repository files (base commit plus your changes), optionally filtered by a glob such as 'src/api/**'.", inputSchema: { type: "object", properties: { glob: { type: "string" } } } },
  { name: "read_file", description: "Read one file.", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  { name: "search", description: "Search file contents with a JavaScript regular expression, optionally within a glob. Returns path:line: text.", inputSchema: { type: "object", properties: { pattern: { type: "string" }, glob: { type: "string" } }, required: ["pattern"] } },
  { name: "write_file", description: "Create or replace a file with the full new content.", inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } }, required: ["path", "content"] } },
  { name: "delete_file", description: "Delete a file.", inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  { name: "finish", description: "Finish: summarise what you changed and why, for the pull request description.", inputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] } },
];

function str(input: unknown, key: string, required: boolean): string | undefined {
  const v = input && typeof input === "object" ? (input as Record<string, unknown>)[key] : undefined;
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string") throw new Error(`"${key}" must be a string`);
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
        return ok(await ws.readFile(str(call.input, "path", true)!));
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
