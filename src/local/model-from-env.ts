import { CliError } from "../cli/cli-io.js";
import { createAnthropicModelClient } from "../model/anthropic-model-client.js";
import type { ModelClient } from "../model/model-client.js";
import { createRecordedModelClient, createRecordingModelClient, emptyRecording, readRecordingFile, RECORDED_MODEL, writeRecordingFile, type Recording } from "../model/recorded-model-client.js";

export interface LocalModel {
  client: ModelClient;
  /** "recorded" when replaying a recording, else the endpoint in use. */
  source: string;
  /** Writes the recording when recording; no-op otherwise. */
  finish(): Promise<void>;
  /** The model name every answer will carry, when known before the first call ("recorded" for a replay). */
  model?: string;
}

/**
 * The model for local mode: Claude when ANTHROPIC_API_KEY is set; a
 * recording when `--recorded FILE` is given (or when no key is set and a
 * recording is available); `--record FILE` wraps Claude and saves what it answered.
 */
export async function localModel(env: NodeJS.ProcessEnv, opts: { recorded?: string; record?: string; stepId: string }): Promise<LocalModel> {
  const hasKey = Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
  if (opts.recorded && !opts.record) {
    return { client: createRecordedModelClient(await readRecordingFile(opts.recorded)), source: `recorded (${opts.recorded})`, finish: async () => {}, model: RECORDED_MODEL };
  }
  if (!hasKey) throw new CliError("no model: set ANTHROPIC_API_KEY (any Anthropic-compatible endpoint through ANTHROPIC_BASE_URL), or pass --recorded FILE to replay a recording");
  const inner = createAnthropicModelClient({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL });
  const source = env.ANTHROPIC_BASE_URL ? `Anthropic-compatible endpoint ${env.ANTHROPIC_BASE_URL}` : "Anthropic API";
  const recordPath = opts.record;
  if (!recordPath) return { client: inner, source, finish: async () => {} };
  // One file holds every step's answers: re-recording a step replaces only that step's entries.
  const sink: Recording = await readRecordingFile(recordPath).catch(() => emptyRecording("Recorded by baton --record"));
  delete sink.structured[opts.stepId];
  delete sink.converse[opts.stepId];
  return { client: createRecordingModelClient(inner, sink), source: `${source}, recording to ${recordPath}`, finish: () => writeRecordingFile(recordPath, sink) };
}
