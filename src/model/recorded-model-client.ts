import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { ConverseRequest, ConverseResult, ModelClient, PromptBlock, StructuredRequest, StructuredResult, ToolCall } from "./model-client.js";
import { ZERO_USAGE } from "./model-client.js";
import { ModelOutputError } from "./model-errors.js";
import { summarizeIssues, validateOutput } from "./structured-output.js";
import { describeInputDifferences, fingerprintInputs, type RecordedInputs } from "./recording-inputs.js";

/**
 * Recordings let the offline demo and the tests run whole steps without a
 * model. A recording is a JSON file:
 *
 * ```json
 * {
 *   "format": "baton-model-recording",
 *   "version": 1,
 *   "structured": {
 *     "review": [ { "value": { "summary": "…", "findings": [] }, "model": "claude-sonnet-5-5",
 *                   "inputs": { "spec docs/specs/a.md": "3f1c…", "diff <commit>..<commit>": "9ab0…" } } ]
 *   },
 *   "converse": {
 *     "dev": [
 *       { "content": [ { "type": "tool_use", "id": "toolu_01", "name": "read_file", "input": { "path": "src/a.ts" } } ],
 *         "stopReason": "tool_use", "inputs": { "…": "…" } },
 *       { "content": [ { "type": "tool_use", "id": "toolu_02", "name": "finish", "input": { "summary": "…" } } ],
 *         "stopReason": "tool_use" }
 *     ]
 *   }
 * }
 * ```
 *
 * `structured.<stepId>[i]` answers the i-th generateStructured call for that
 * step; `converse.<stepId>[i]` is the assistant turn of the i-th converse
 * call for that step (one tool loop of n calls uses entries 0…n-1). `model`
 * is informational: where the entry came from. Replies come back in call
 * order, with model "recorded" and zero usage.
 *
 * `inputs` (recording-inputs.ts) are the context blocks the answer was given,
 * by label and digest: on every structured answer, and on the opening turn of
 * each conversation (later turns add tool results, not inputs). A replay
 * refuses an answer whose inputs differ from what the run would send, and one
 * that records none. `date` is the date of the recorded run: the demo replays
 * on it, so the ADR it writes, and with it the later steps' inputs, match.
 */

const recordedContentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1), input: z.unknown() }),
]);

const stopReasonSchema = z.enum(["end_turn", "tool_use", "max_tokens", "stop_sequence", "pause_turn", "refusal", "model_context_window_exceeded", "unknown"]);

const inputsSchema = z.record(z.string(), z.string());

export const recordingSchema = z.object({
  format: z.literal("baton-model-recording"),
  version: z.literal(1),
  description: z.string().optional(),
  date: z.iso.date().optional(),
  structured: z.record(z.string(), z.array(z.object({ value: z.unknown(), model: z.string().optional(), inputs: inputsSchema.optional() }))).default({}),
  converse: z
    .record(
      z.string(),
      z.array(z.object({ content: z.array(recordedContentSchema), stopReason: stopReasonSchema, model: z.string().optional(), inputs: inputsSchema.optional() })),
    )
    .default({}),
});

export type Recording = z.output<typeof recordingSchema>;
export type RecordedStructured = Recording["structured"][string][number];
export type RecordedTurn = Recording["converse"][string][number];

export const RECORDED_MODEL = "recorded";

export function emptyRecording(description?: string): Recording {
  return { format: "baton-model-recording", version: 1, ...(description ? { description } : {}), structured: {}, converse: {} };
}

/** A recording that is missing the entry a step asked for: the demo and the code have diverged. */
export class RecordingMissError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordingMissError";
  }
}

/** A recorded answer given other inputs than this run would send: the recording belongs to another repository or state. */
export class RecordingMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordingMismatchError";
  }
}

export interface ReplayOptions {
  /** Where the recording came from, for messages. */
  source?: string;
  /** The commits this run reads from; see recording-inputs.ts. */
  commits?: readonly string[];
  /**
   * `check` (the default): refuse an answer given other inputs, or recorded
   * without them. `rewrite`: replay it whatever its inputs, and write this
   * run's inputs into the recording's entry (the caller saves the recording).
   */
  inputs?: "check" | "rewrite";
}

export interface RecordOptions {
  /** The commits this run reads from; see recording-inputs.ts. */
  commits?: readonly string[];
}

export function parseRecording(data: unknown, source = "recording"): Recording {
  const parsed = recordingSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`${source} is not a Baton model recording: ${issues.join("; ")}`);
}

export async function readRecordingFile(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read model recording ${path}: ${(err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`model recording ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseRecording(data, path);
}

/** Step ids sorted, two-space indent, final newline: re-recording gives a readable diff. */
export async function writeRecordingFile(path: string, recording: Recording): Promise<void> {
  const sortKeys = <V>(record: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  const ordered = { ...recording, structured: sortKeys(recording.structured), converse: sortKeys(recording.converse) };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(ordered, null, 2)}\n`, "utf8");
}

/**
 * Replays a recording. Calls for one step must happen in the order they
 * were recorded (steps run their model calls sequentially, so they do).
 */
export function createRecordedModelClient(recording: Recording, opts: ReplayOptions = {}): ModelClient {
  const source = opts.source ?? "the recording";
  const checkInputs = (what: string, entry: { inputs?: RecordedInputs }, context: PromptBlock[]): void => {
    if (opts.inputs === "rewrite") {
      entry.inputs = fingerprintInputs(context, opts.commits);
      return;
    }
    const recorded = entry.inputs;
    if (!recorded) {
      throw new RecordingMismatchError(
        `${source}: ${what} does not record the inputs it was given, so it cannot be checked against this repository: re-record it with --record FILE, or record its inputs anew with --recorded FILE --record FILE on the repository it was made on`,
      );
    }
    const differences = describeInputDifferences(recorded, fingerprintInputs(context, opts.commits));
    if (differences.length) {
      throw new RecordingMismatchError(
        `${source} was recorded on other inputs than this repository's: ${what} was given different context (${differences.join("; ")}). A recording replays only on the repository and files it was made on: drop --recorded to call the model, or re-record with --record FILE`,
      );
    }
  };
  const cursors = new Map<string, number>();
  const next = (kind: "structured" | "converse", stepId: string): number => {
    const key = `${kind}:${stepId}`;
    const index = cursors.get(key) ?? 0;
    cursors.set(key, index + 1);
    return index;
  };

  return {
    async generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
      const index = next("structured", req.stepId);
      const entries = recording.structured[req.stepId] ?? [];
      const entry = entries[index];
      if (!entry) {
        throw new RecordingMissError(
          `the recording has no structured answer #${index + 1} for step ${req.stepId} (it holds ${entries.length}): re-record with \`npm run demo -- --record\``,
        );
      }
      checkInputs(`structured answer #${index + 1} for step ${req.stepId}`, entry, req.context);
      // Validated like a live answer, so a recording older than the schema fails loudly.
      const outcome = validateOutput(req.schema, entry.value);
      if (!outcome.ok) {
        const issues = summarizeIssues(outcome.issues);
        throw new ModelOutputError(
          `recorded answer #${index + 1} for step ${req.stepId} no longer matches schema ${req.schemaName}: ${issues.join("; ")}; re-record with \`npm run demo -- --record\``,
          { model: RECORDED_MODEL, stepId: req.stepId, issues, output: entry.value },
        );
      }
      return { value: outcome.value, usage: { ...ZERO_USAGE }, model: RECORDED_MODEL, repaired: false };
    },

    async converse(req: ConverseRequest): Promise<ConverseResult> {
      const index = next("converse", req.stepId);
      const entries = recording.converse[req.stepId] ?? [];
      const entry = entries[index];
      if (!entry) {
        throw new RecordingMissError(
          `the recording has no conversation turn #${index + 1} for step ${req.stepId} (it holds ${entries.length}): re-record with \`npm run demo -- --record\``,
        );
      }
      if (req.turns.length === 0) checkInputs(`conversation turn #${index + 1} for step ${req.stepId}`, entry, req.context);
      const content = structuredClone(entry.content);
      return {
        content,
        toolCalls: content.filter((b): b is ToolCall => b.type === "tool_use"),
        stopReason: entry.stopReason,
        usage: { ...ZERO_USAGE },
        model: RECORDED_MODEL,
      };
    },
  };
}

/**
 * Wraps a live client and appends what it returns to `sink`, in call order,
 * so that `createRecordedModelClient(sink)` replays the same run. The caller
 * writes the sink out (writeRecordingFile) when the run is over; a failed
 * call records nothing.
 */
export function createRecordingModelClient(inner: ModelClient, sink: Recording, opts: RecordOptions = {}): ModelClient {
  // JSON round trip: the recording holds exactly what the file will hold, and
  // later mutation of a returned value by a step cannot change it.
  const snapshot = <V>(value: V): V => JSON.parse(JSON.stringify(value ?? null)) as V;

  return {
    async generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
      const result = await inner.generateStructured(req);
      (sink.structured[req.stepId] ??= []).push({ value: snapshot(result.value), model: result.model, inputs: fingerprintInputs(req.context, opts.commits) });
      return result;
    },

    async converse(req: ConverseRequest): Promise<ConverseResult> {
      const result = await inner.converse(req);
      const opening = req.turns.length === 0 ? { inputs: fingerprintInputs(req.context, opts.commits) } : {};
      (sink.converse[req.stepId] ??= []).push({ content: snapshot(result.content), stopReason: result.stopReason, model: result.model, ...opening });
      return result;
    },
  };
}
