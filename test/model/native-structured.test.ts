import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import type { StructuredRequest } from "../../src/model/model-client.js";
import { ModelOutputError, PermanentModelError } from "../../src/model/model-errors.js";
import { supportsNativeStructuredOutput } from "../../src/model/native-structured.js";
import { errorBody, interceptMessages, messageResponse } from "./anthropic-fixtures.js";

const schema = z.object({ summary: z.string().min(3), findings: z.array(z.object({ line: z.number().int().min(1), title: z.string().max(40) })) });
type Answer = z.output<typeof schema>;

function request(overrides: Partial<StructuredRequest<Answer>> = {}): StructuredRequest<Answer> {
  return {
    stepId: "review",
    model: "claude-sonnet-5-5",
    system: "You review pull requests.",
    context: [
      { label: "diff main..feature", text: "+const x = 1;\n", code: true },
      { label: "docs/adr/0003-queue.md@abc", text: "# 3. Use a queue\n", cache: true },
      { label: "issue #12", text: "Please add a queue.", untrusted: true },
      { label: "docs/pitfalls/jobs.md@def", text: "- never await in the webhook\n", cache: true },
    ],
    instruction: "Review the diff.",
    schema,
    schemaName: "submit_review",
    schemaDescription: "Submit the review.",
    maxTokens: 2000,
    ...overrides,
  };
}

type Body = {
  system: { text: string; cache_control?: unknown }[];
  messages: { role: string; content: { type: string; text?: string; cache_control?: unknown }[] }[];
  tools?: unknown[];
  tool_choice?: unknown;
  output_config?: { format: { type: string; schema: { properties: Record<string, { description?: string }>; additionalProperties?: boolean } } };
};

const client = () => createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0 });
const good = { summary: "Looks right.", findings: [{ line: 3, title: "await in handler" }] };
const text = (value: unknown) => ({ content: [{ type: "text" as const, text: typeof value === "string" ? value : JSON.stringify(value) }], stop_reason: "end_turn" as const });

afterEach(() => nock.cleanAll());

describe("native structured output", () => {
  it("is used for the models that support it", () => {
    for (const m of ["claude-sonnet-5-5", "claude-opus-5", "claude-haiku-4-5", "claude-sonnet-4-5-20250929", "claude-opus-4-8", "claude-fable-5-2"]) expect(supportsNativeStructuredOutput(m), m).toBe(true);
    for (const m of ["claude-3-5-sonnet-20241022", "claude-sonnet-4", "claude-opus-4-1", "gpt-4o", "my-proxy-model"]) expect(supportsNativeStructuredOutput(m), m).toBe(false);
  });

  it("sends the schema as output_config.format, no tools, and keeps the cached prefix stable: system, then ADRs and pitfalls, then the volatile diff", async () => {
    const bodies: Body[] = [];
    interceptMessages(bodies as unknown[]).reply(200, messageResponse(text(good)));
    const result = await client().generateStructured(request());
    expect(result).toMatchObject({ value: good, repaired: false });

    const body = bodies[0]!;
    expect(body.tools).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
    expect(body.output_config!.format.type).toBe("json_schema");
    expect(Object.keys(body.output_config!.format.schema.properties)).toEqual(["summary", "findings"]);
    expect(body.output_config!.format.schema.additionalProperties).toBe(false);
    // What the API does not enforce is said in the description; zod checks it after.
    expect(body.output_config!.format.schema.properties.summary!.description).toBe("{minLength: 3}");
    expect(body.system[0]!.cache_control).toEqual({ type: "ephemeral" });
    const labels = body.messages[0]!.content.map((b) => /label="([^"]+)"/.exec(b.text ?? "")?.[1] ?? "(instruction)");
    expect(labels).toEqual(["docs/adr/0003-queue.md@abc", "docs/pitfalls/jobs.md@def", "diff main..feature", "issue #12", "(instruction)"]);
    expect(body.messages[0]!.content.map((b) => b.cache_control !== undefined)).toEqual([false, true, false, false, false]);
  });

  it("repairs once when the JSON does not fit the schema or was cut off at max_tokens, sending back the answer and the issues", async () => {
    const bodies: Body[] = [];
    interceptMessages(bodies as unknown[]).reply(200, messageResponse({ content: [{ type: "text", text: '{"summary":"Lo' }], stop_reason: "max_tokens" }));
    interceptMessages(bodies as unknown[]).reply(200, messageResponse(text(good)));
    const result = await client().generateStructured(request());
    expect(result).toMatchObject({ value: good, repaired: true });
    const repair = bodies[1]!.messages;
    expect(repair.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(repair[1]!.content[0]!.text).toBe('{"summary":"Lo');
    expect(repair[2]!.content[0]!.text).toMatch(/not valid JSON[\s\S]*max_tokens[\s\S]*cut off at the token limit/);
    expect(bodies[1]!.output_config).toEqual(bodies[0]!.output_config);
  });

  it("treats an answer that paused or stopped at a stop sequence as incomplete, and repairs it", async () => {
    const bodies: Body[] = [];
    interceptMessages(bodies as unknown[]).reply(200, messageResponse({ content: [{ type: "text", text: '{"summary":"ok",' }], stop_reason: "end_turn" }));
    interceptMessages(bodies as unknown[]).reply(200, messageResponse({ ...text({ summary: "no", findings: [{ line: 0, title: "x" }] }), stop_reason: "pause_turn" as never }));
    const error = await client().generateStructured(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelOutputError);
    expect((error as ModelOutputError).message).toMatch(/findings\[0\]\.line[\s\S]*paused before it was complete/);
  });

  it("a refusal is final, with the model's words; a context overflow names the budget to lower", async () => {
    interceptMessages([]).reply(200, messageResponse({ content: [{ type: "text", text: "I can't help with that." }], stop_reason: "refusal" }));
    const refusal = await client().generateStructured(request()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ModelOutputError);
    expect((refusal as Error).message).toContain("model refused to answer for step review: I can't help with that.");

    interceptMessages([]).reply(200, messageResponse({ content: [], stop_reason: "model_context_window_exceeded" }));
    const overflow = await client().generateStructured(request()).catch((e: unknown) => e);
    expect(overflow).toBeInstanceOf(PermanentModelError);
    expect((overflow as Error).message).toContain("budgets.review");
  });

  it("falls back to the forced tool when the endpoint refuses output_config, and remembers it for the model", async () => {
    const bodies: Body[] = [];
    interceptMessages(bodies as unknown[]).reply(400, errorBody("invalid_request_error", "output_config: Extra inputs are not permitted"), { "x-should-retry": "false" });
    interceptMessages(bodies as unknown[]).reply(200, messageResponse({ content: [{ type: "tool_use", id: "toolu_01", name: "submit_review", input: good }] }));
    interceptMessages(bodies as unknown[]).reply(200, messageResponse({ content: [{ type: "tool_use", id: "toolu_02", name: "submit_review", input: good }] }));
    const model = client();
    expect((await model.generateStructured(request())).value).toEqual(good);
    expect((await model.generateStructured(request())).value).toEqual(good);
    expect(bodies.map((b) => (b.output_config ? "native" : "tool"))).toEqual(["native", "tool", "tool"]);
    expect(bodies[1]!.tool_choice).toMatchObject({ type: "tool", name: "submit_review" });
  });
});
