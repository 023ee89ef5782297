import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { nextTurns, type ConverseRequest, type ConverseResult, type ModelClient, type StructuredRequest, type StructuredResult } from "../../src/model/model-client.js";
import { ModelOutputError } from "../../src/model/model-errors.js";
import {
  createRecordedModelClient,
  createRecordingModelClient,
  emptyRecording,
  parseRecording,
  readRecordingFile,
  RecordingMismatchError,
  RecordingMissError,
  writeRecordingFile,
} from "../../src/model/recorded-model-client.js";
import { fingerprintInputs } from "../../src/model/recording-inputs.js";

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
  structured: { "architecture-review": [{ value: { title: "Use a queue" }, inputs: {} }, { value: { title: "Second", status: "accepted" }, inputs: {} }] },
  converse: {
    dev: [
      { content: [{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/a.ts" } }], stopReason: "tool_use", inputs: {} },
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
    const loop: ConverseRequest = { ...devRequest(), turns: nextTurns(first, [{ type: "tool_result", toolUseId: "toolu_01", content: "export {}" }]) };
    const second = await client.converse(loop);

    expect(first.toolCalls).toEqual([{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/a.ts" } }]);
    expect(first.stopReason).toBe("tool_use");
    expect(first.model).toBe("recorded");
    expect(second.content).toEqual([{ type: "text", text: "done" }]);
    expect(second.stopReason).toBe("end_turn");
    await expect(client.converse(loop)).rejects.toThrow(/no conversation turn #3 for step dev \(it holds 2\)/);
    await expect(client.converse({ ...devRequest(), stepId: "review" })).rejects.toThrow(/no conversation turn #1 for step review \(it holds 0\)/);
  });

  it("fails loudly when a recorded answer no longer fits the schema", async () => {
    const stale = parseRecording({ format: "baton-model-recording", version: 1, structured: { "architecture-review": [{ value: { name: "old field" }, inputs: {} }] } });
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

    expect(sink.structured["architecture-review"]).toEqual([{ value: { title: "Live answer", status: "proposed" }, model: "claude-sonnet-5-5", inputs: {} }]);
    expect(sink.converse["dev"]).toEqual([{ content: liveTurn.content, stopReason: "tool_use", model: "claude-sonnet-5-5", inputs: {} }]);

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

describe("a replay checks the inputs each answer was recorded on", () => {
  const BASE = "1111111111111111111111111111111111111111";
  const HEAD = "2222222222222222222222222222222222222222";
  const context = (base: string, head: string, overrides: Partial<Record<string, string>> = {}) =>
    [
      { label: "spec docs/specs/a.md@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", text: overrides.spec ?? "Rate-limit the API.\n", untrusted: true },
      { label: "adr:linked docs/adr/0003-x.md@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", text: overrides.adr ?? "# Use a token bucket\n", cache: true },
      { label: `diff ${base.slice(0, 12)}..${head.slice(0, 12)}`, text: `<untrusted label="diff ${base.slice(0, 12)}..${head.slice(0, 12)}">\n+const a = 1;\n</untrusted>\n`, code: true },
      ...(overrides.extra ? [{ label: "pitfalls:modules docs/pitfalls/api.md@cccccccccccccccccccccccccccccccccccccccc", text: overrides.extra, cache: true }] : []),
    ].filter((b) => overrides.drop !== b.label.split(" ")[0]);

  /** Records one structured answer on `recordedContext`, as `--record` does, and returns the recording. */
  async function recordOn(recordedContext: ReturnType<typeof context>, commits: string[]) {
    const inner: ModelClient = {
      generateStructured: async <T>(req: StructuredRequest<T>) => ({ value: req.schema.parse({ title: "Recorded" }), usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }, model: "claude-sonnet-5-5", repaired: false }),
      converse: async () => {
        throw new Error("not used");
      },
    };
    const sink = emptyRecording();
    await createRecordingModelClient(inner, sink, { commits }).generateStructured({ ...adrRequest(), context: recordedContext });
    return parseRecording(JSON.parse(JSON.stringify(sink)));
  }

  it("replays on the same inputs, even from other commits (a rebase, the sample repository created anew)", async () => {
    const rec = await recordOn(context(BASE, HEAD), [BASE, HEAD]);
    const OTHER_BASE = "3333333333333333333333333333333333333333";
    const OTHER_HEAD = "4444444444444444444444444444444444444444";
    const replay = createRecordedModelClient(rec, { commits: [OTHER_BASE, OTHER_HEAD] });
    const answer = await replay.generateStructured({ ...adrRequest(), context: context(OTHER_BASE, OTHER_HEAD) });
    expect(answer.value.title).toBe("Recorded");
  });

  it("refuses an answer given other inputs, naming each input that changed, appeared or went away", async () => {
    const rec = await recordOn(context(BASE, HEAD), [BASE, HEAD]);
    const replay = createRecordedModelClient(rec, { source: "demo/recording.json", commits: [BASE, HEAD] });
    const error = await replay
      .generateStructured({ ...adrRequest(), context: context(BASE, HEAD, { adr: "# Use a leaky bucket\n", extra: "- Bound every map\n", drop: "spec" }) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordingMismatchError);
    expect((error as Error).message).toBe(
      "demo/recording.json was recorded on other inputs than this repository's: structured answer #1 for step architecture-review was given different context " +
        "(changed: adr:linked docs/adr/0003-x.md; only here: pitfalls:modules docs/pitfalls/api.md; only in the recording: spec docs/specs/a.md). " +
        "A recording replays only on the repository and files it was made on: drop --recorded to call the model, or re-record with --record FILE",
    );
  });

  it("tells a changed diff from a new commit: the diff's text is compared without the commits", async () => {
    const rec = await recordOn(context(BASE, HEAD), [BASE, HEAD]);
    const changedDiff = context(BASE, HEAD).map((b) => (b.label.startsWith("diff") ? { ...b, text: b.text.replace("a = 1", "a = 2") } : b));
    await expect(createRecordedModelClient(rec, { commits: [BASE, HEAD] }).generateStructured({ ...adrRequest(), context: changedDiff })).rejects.toThrow(
      /\(changed: diff <commit>\.\.<commit>\)/,
    );
  });

  it("refuses an answer that does not record its inputs, unless they are being recorded anew", async () => {
    const unpinned = parseRecording({ format: "baton-model-recording", version: 1, structured: { "architecture-review": [{ value: { title: "Hand-written" } }] } });
    await expect(createRecordedModelClient(unpinned, { source: "old.json" }).generateStructured(adrRequest())).rejects.toThrow(
      "old.json: structured answer #1 for step architecture-review does not record the inputs it was given, so it cannot be checked against this repository",
    );

    const rewriting = createRecordedModelClient(unpinned, { commits: [BASE, HEAD], inputs: "rewrite" });
    expect((await rewriting.generateStructured({ ...adrRequest(), context: context(BASE, HEAD) })).value.title).toBe("Hand-written");
    expect(Object.keys(unpinned.structured["architecture-review"]![0]!.inputs!)).toEqual(["spec docs/specs/a.md", "adr:linked docs/adr/0003-x.md", "diff <commit>..<commit>"]);
    // What was rewritten now replays on those inputs, and only on them.
    const again = createRecordedModelClient(unpinned, { commits: [BASE, HEAD] });
    expect((await again.generateStructured({ ...adrRequest(), context: context(BASE, HEAD) })).value.title).toBe("Hand-written");
  });

  it("checks a conversation's opening call; its later calls carry tool results, not inputs", async () => {
    const opening = context(BASE, HEAD);
    const rec = parseRecording({
      format: "baton-model-recording",
      version: 1,
      converse: {
        dev: [
          { content: [{ type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "a" } }], stopReason: "tool_use", inputs: fingerprintInputs(opening, [BASE, HEAD]) },
          { content: [{ type: "text", text: "done" }], stopReason: "end_turn" },
        ],
      },
    });
    const client = createRecordedModelClient(rec, { commits: [BASE, HEAD] });
    const first = await client.converse({ ...devRequest(), context: opening });
    const second = await client.converse({ ...devRequest(), context: opening, turns: nextTurns(first, [{ type: "tool_result", toolUseId: "toolu_01", content: "x" }]) });
    expect(second.content).toEqual([{ type: "text", text: "done" }]);

    const elsewhere = createRecordedModelClient(rec, { commits: [BASE, HEAD] });
    await expect(elsewhere.converse({ ...devRequest(), context: context(BASE, HEAD, { spec: "Another spec\n" }) })).rejects.toThrow(
      /conversation turn #1 for step dev was given different context \(changed: spec docs\/specs\/a\.md\)/,
    );
  });
});
