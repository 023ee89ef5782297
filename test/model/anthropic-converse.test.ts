import { describe, expect, it } from "vitest";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import type { ConversationTurn, ConverseRequest, ToolDefinition, ToolResult } from "../../src/model/model-client.js";
import { nextTurns } from "../../src/model/model-client.js";
import { interceptMessages, messageResponse } from "./anthropic-fixtures.js";

const tools: ToolDefinition[] = [
  {
    name: "read_file",
    description: "Read a file of the repository.",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
  {
    name: "finish",
    description: "Finish the change.",
    inputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] },
  },
];

function devRequest(turns: ConversationTurn[]): ConverseRequest {
  return {
    stepId: "dev",
    model: "claude-sonnet-5-5",
    system: "You implement the ADR.",
    context: [{ label: "docs/adr/0012-queue.md@1a2b", text: "# 12. Queue", cache: true }],
    instruction: "Implement the spec.",
    turns,
    tools,
    maxTokens: 8192,
  };
}

type Body = {
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  tools: Array<Record<string, unknown>>;
  tool_choice: unknown;
};

describe("AnthropicModelClient.converse", () => {
  it("runs a tool loop: tool_use blocks out, tool_result blocks back", async () => {
    const client = createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0 });
    const bodies: unknown[] = [];
    interceptMessages(bodies).reply(
      200,
      messageResponse({
        content: [
          { type: "text", text: "Let me read the handler first." },
          { type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/app/handler.ts" } },
        ],
        stop_reason: "tool_use",
      }),
      { "request-id": "req_turn1" },
    );
    interceptMessages(bodies).reply(
      200,
      messageResponse({
        content: [{ type: "tool_use", id: "toolu_02", name: "finish", input: { summary: "Added the queue." } }],
        stop_reason: "tool_use",
        usage: { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 2000 },
      }),
    );

    const first = await client.converse(devRequest([]));

    expect(first.stopReason).toBe("tool_use");
    expect(first.requestId).toBe("req_turn1");
    expect(first.content).toEqual([
      { type: "text", text: "Let me read the handler first." },
      { type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/app/handler.ts" } },
    ]);
    expect(first.toolCalls).toEqual([{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/app/handler.ts" } }]);

    const firstBody = bodies[0] as Body;
    expect(firstBody.tool_choice).toEqual({ type: "auto" });
    expect(firstBody.tools).toEqual([
      { name: "read_file", description: "Read a file of the repository.", input_schema: tools[0]?.inputSchema },
      { name: "finish", description: "Finish the change.", input_schema: tools[1]?.inputSchema },
    ]);
    expect(firstBody.messages).toHaveLength(1);
    expect(firstBody.messages[0]?.content.map((b) => b.cache_control ?? null)).toEqual([{ type: "ephemeral" }, null]);

    const results: ToolResult[] = [{ type: "tool_result", toolUseId: "toolu_01", content: "export function handle() {}\n" }];
    const turns = nextTurns(first, results);
    const second = await client.converse(devRequest(turns));

    expect(second.toolCalls.map((c) => c.name)).toEqual(["finish"]);
    expect(second.usage).toEqual({ inputTokens: 50, outputTokens: 20, cacheReadTokens: 2000, cacheWriteTokens: 0 });

    const secondBody = bodies[1] as Body;
    expect(secondBody.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(secondBody.messages[0]).toEqual(firstBody.messages[0]);
    expect(secondBody.messages[1]?.content).toEqual([
      { type: "text", text: "Let me read the handler first." },
      { type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/app/handler.ts" } },
    ]);
    // The last block carries a breakpoint so the next iteration reads the conversation from the cache.
    expect(secondBody.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "toolu_01", content: "export function handle() {}\n", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("sends error results, a forced tool choice, and maps the stop reason", async () => {
    const client = createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0 });
    const bodies: unknown[] = [];
    interceptMessages(bodies).reply(200, messageResponse({ content: [{ type: "text", text: "Done." }], stop_reason: "end_turn" }));

    const turns: ConversationTurn[] = [
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_09", name: "read_file", input: { path: "../etc/passwd" } }] },
      { role: "user", content: [{ type: "tool_result", toolUseId: "toolu_09", content: "path outside the repository", isError: true }] },
    ];
    const result = await client.converse({ ...devRequest(turns), toolChoice: "any" });

    expect(result.stopReason).toBe("end_turn");
    expect(result.toolCalls).toEqual([]);
    const body = bodies[0] as Body;
    expect(body.tool_choice).toEqual({ type: "any" });
    expect(body.messages[2]?.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_09", is_error: true });
  });

  it("refuses a history that does not alternate", async () => {
    const client = createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0 });
    const turns: ConversationTurn[] = [{ role: "user", content: [{ type: "text", text: "hi" }] }];
    await expect(client.converse(devRequest(turns))).rejects.toThrow(/turn 0 is "user", expected "assistant"/);
  });

  it("refuses a tool whose schema is not an object", async () => {
    const client = createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0 });
    const request = { ...devRequest([]), tools: [{ name: "bad tool", description: "", inputSchema: { type: "object" } }] };
    await expect(client.converse(request)).rejects.toThrow(/invalid tool name/);
  });
});
