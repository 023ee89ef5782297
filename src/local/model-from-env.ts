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

export interface LocalModelOptions {
  recorded?: string;
  record?: string;
  stepId: string;
  /** The commits the step's context is read from: a recording's inputs are compared without them (recording-inputs.ts). */
  commits?: readonly string[];
}

/**
 * The model for local mode: Claude when ANTHROPIC_API_KEY is set; a
 * recording when `--recorded FILE` is given, replayed only on the inputs it
 * was recorded on; `--record FILE` wraps Claude and saves what it answered
 * with the inputs it was given. Both together replay FILE's answers as they
 * are and record this run's inputs for them (after a change to the sample
 * repository or to how an input is rendered, when the answers still hold).
 */
export async function localModel(env: NodeJS.ProcessEnv, opts: LocalModelOptions): Promise<LocalModel> {
  const hasKey = Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
  const commits = opts.commits ?? [];
  if (opts.recorded && !opts.record) {
    const client = createRecordedModelClient(await readRecordingFile(opts.recorded), { source: opts.recorded, commits });
    return { client, source: `recorded (${opts.recorded})`, finish: async () => {}, model: RECORDED_MODEL };
  }
  const recordPath = opts.record;
  if (!recordPath) {
    if (!hasKey) throw new CliError("no model: set ANTHROPIC_API_KEY (any Anthropic-compatible endpoint through ANTHROPIC_BASE_URL), or pass --recorded FILE to replay a recording");
    return { client: liveClient(env), source: liveSource(env), finish: async () => {} };
  }
  // One file holds every step's answers: re-recording a step replaces only that step's entries.
  const sink: Recording = await readRecordingFile(recordPath).catch(() => emptyRecording("Recorded by baton --record"));
  delete sink.structured[opts.stepId];
  delete sink.converse[opts.stepId];
  if (opts.recorded) {
    const replayed = await readRecordingFile(opts.recorded);
    const finish = async (): Promise<void> => {
      if (replayed.structured[opts.stepId]) sink.structured[opts.stepId] = replayed.structured[opts.stepId]!;
      if (replayed.converse[opts.stepId]) sink.converse[opts.stepId] = replayed.converse[opts.stepId]!;
      await writeRecordingFile(recordPath, sink);
    };
    const client = createRecordedModelClient(replayed, { source: opts.recorded, commits, inputs: "rewrite" });
    return { client, source: `recorded (${opts.recorded}), its inputs recorded anew in ${recordPath}`, finish, model: RECORDED_MODEL };
  }
  if (!hasKey) throw new CliError("--record calls the model: set ANTHROPIC_API_KEY (any Anthropic-compatible endpoint through ANTHROPIC_BASE_URL), or add --recorded FILE to record a recording's answers with this run's inputs");
  const client = createRecordingModelClient(liveClient(env), sink, { commits });
  return { client, source: `${liveSource(env)}, recording to ${recordPath}`, finish: () => writeRecordingFile(recordPath, sink) };
}

function liveClient(env: NodeJS.ProcessEnv): ModelClient {
  return createAnthropicModelClient({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL });
}

function liveSource(env: NodeJS.ProcessEnv): string {
  return env.ANTHROPIC_BASE_URL ? `Anthropic-compatible endpoint ${env.ANTHROPIC_BASE_URL}` : "Anthropic API";
}
