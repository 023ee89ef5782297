import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ConverseRequest, ConverseResult, ModelClient, StructuredRequest, StructuredResult } from "../../src/model/model-client.js";
import { ModelOutputError } from "../../src/model/model-errors.js";
import {
  createRecordedModelClient,
  createRecordingModelClient,
  emptyRecording,
  parseRecording,
  readRecordingFile,
  RecordingMissError,
  writeRecordingFile,
} from "../../src/model/recorded-model-client.js";

const adrSchema = z.object({ title: z.string(), status: z.enum(["proposed", "accepted"]).default("proposed") });

function adrRequest(): StructuredRequest<z.output<typeof adrSchema>> {
  return {
    stepId: "architecture-review",
    model: "claude-sonnet-5-5",
    system: "s",
    context: [],
    instruction: "i",
    schema: adrSchema,
    schemaName: "write_adr",
    schemaDescription: "d",
    maxTokens: 100,
  };
}

function devRequest(): ConverseRequest {
  return { stepId: "dev", model: "claude-sonnet-5-5", system: "s", context: [], instruction: "i", turns: [], tools: [], maxTokens: 100 };
}

const recording = parseRecording({
  format: "baton-model-recording",
  version: 1,
  structured: { "architecture-review": [{ value: { title: "Use a queue" } }, { value: { title: "Second", status: "accepted" } }] },
  converse: {
    dev: [
      { content: [{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/a.ts" } }], stopReason: "tool_use" },
      { content: [{ type: "text", text: "done" }], stopReason: "end_turn" },
    ],
  },
});

describe("createRecordedModelClient", () => {
  it("replays structured answers in order, validated by the schema, with zero usage", async () => {
    const client = createRecordedModelClient(recording);

    const first = await client.generateStructured(adrRequest());
    const second = await client.generateStructured(adrRequest());

    expect(first).toEqual({
      value: { title: "Use a queue", status: "proposed" },
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      model: "recorded",
      repaired: false,
    });
    expect(second.value).toEqual({ title: "Second", status: "accepted" });
    const miss = await client.generateStructured(adrRequest()).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(RecordingMissError);
    expect((miss as Error).message).toBe(
      "the recording has no structured answer #3 for step architecture-review (it holds 2): re-record with `npm run demo -- --record`",
    );
  });

  it("replays conversation turns in order and fails clearly when one is missing", async () => {
    const client = createRecordedModelClient(recording);

    const first = await client.converse(devRequest());
    const second = await client.converse(devRequest());

    expect(first.toolCalls).toEqual([{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/a.ts" } }]);
    expect(first.stopReason).toBe("tool_use");
    expect(first.model).toBe("recorded");
    expect(second.content).toEqual([{ type: "text", text: "done" }]);
    expect(second.stopReason).toBe("end_turn");
    await expect(client.converse(devRequest())).rejects.toThrow(/no conversation turn #3 for step dev \(it holds 2\)/);
    await expect(client.converse({ ...devRequest(), stepId: "review" })).rejects.toThrow(/no conversation turn #1 for step review \(it holds 0\)/);
  });

  it("fails loudly when a recorded answer no longer fits the schema", async () => {
    const stale = parseRecording({ format: "baton-model-recording", version: 1, structured: { "architecture-review": [{ value: { name: "old field" } }] } });
    const error = await createRecordedModelClient(stale)
      .generateStructured(adrRequest())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelOutputError);
    expect((error as Error).message).toContain("no longer matches schema write_adr: title:");
  });

  it("rejects a file that is not a recording", () => {
    expect(() => parseRecording({ format: "something-else", version: 1 }, "demo.json")).toThrow(/^demo\.json is not a Baton model recording: format:/);
    expect(() => parseRecording({ format: "baton-model-recording", version: 1, converse: { dev: [{ content: [{ type: "image" }], stopReason: "end_turn" }] } })).toThrow(
      /converse\.dev\.0\.content\.0/,
    );
  });
});

describe("createRecordingModelClient", () => {
  it("records what the inner client returns, so that a replay gives the same answers", async () => {
    const inner: ModelClient = {
      async generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
        return {
          value: req.schema.parse({ title: "Live answer" }),
          usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
          model: "claude-sonnet-5-5",
          repaired: false,
        };
      },
      async converse(): Promise<ConverseResult> {
        const call = { type: "tool_use" as const, id: "toolu_07", name: "finish", input: { summary: "ok" } };
        return { content: [call], toolCalls: [call], stopReason: "tool_use", usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, model: "claude-sonnet-5-5" };
      },
    };
    const sink = emptyRecording("test run");
    const recorder = createRecordingModelClient(inner, sink);

    const live = await recorder.generateStructured(adrRequest());
    const liveTurn = await recorder.converse(devRequest());
    live.value.title = "mutated after the fact";

    expect(sink.structured["architecture-review"]).toEqual([{ value: { title: "Live answer", status: "proposed" }, model: "claude-sonnet-5-5" }]);
    expect(sink.converse["dev"]).toEqual([{ content: liveTurn.content, stopReason: "tool_use", model: "claude-sonnet-5-5" }]);

    const dir = await mkdtemp(join(tmpdir(), "baton-recording-"));
    try {
      const path = join(dir, "nested", "demo.json");
      await writeRecordingFile(path, sink);
      const text = await readFile(path, "utf8");
      expect(text.endsWith("}\n")).toBe(true);
      expect(JSON.parse(text).format).toBe("baton-model-recording");

      const replay = createRecordedModelClient(await readRecordingFile(path));
      expect((await replay.generateStructured(adrRequest())).value).toEqual({ title: "Live answer", status: "proposed" });
      expect((await replay.converse(devRequest())).toolCalls).toEqual(liveTurn.toolCalls);

      await writeFile(join(dir, "broken.json"), "{ not json", "utf8");
      await expect(readRecordingFile(join(dir, "broken.json"))).rejects.toThrow(/broken\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
