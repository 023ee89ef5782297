import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackListener } from "../loopback-listener.js";
import { ADR_ANSWER, builtinDevAnswer, firstAddedLine, reviewAnswer, textOf, toolUse, type Json } from "./baton-step-answers.js";
import { answerScriptedTurn, sessionCwd, toolResultsOf, type ScriptStep, type SeenToolResult } from "./claude-code-script.js";
import { writeMessageStream } from "./sse-stream.js";

export { ADR_ANSWER, DEV_FILE_CONTENT, DEV_FILE_PATH, firstAddedLine } from "./baton-step-answers.js";
export type { ScriptStep } from "./claude-code-script.js";

/**
 * A fake Anthropic Messages API on 127.0.0.1 (POST /v1/messages), for
 * ANTHROPIC_BASE_URL: the one fake shared by the tests, the loopback run and
 * the demo. It is a real server on a free port, so a child process (the
 * Claude Code binary) can reach it where nock could not. It answers:
 *
 * - `write_adr` (architecture review): a tool_use with a valid ADR answer;
 * - `submit_review` (review): one finding on the first added line of the diff;
 * - the built-in dev tools (`write_file`, `finish`…): a write_file, then finish;
 * - Claude Code (tools `Write`, `Edit`, `Bash`…): the next step of `script`,
 *   turn by turn (see claude-code-script.ts).
 *
 * A request with `stream: true` is answered with server-sent events, any
 * other with plain JSON. It checks what the real API would refuse (missing
 * key or version header, no max_tokens, a forced tool that is not offered, a
 * tool_use without its tool_result) and answers 400 with an Anthropic error
 * body, logged loudly. Every request is kept in `requests`, so tests assert
 * on what the model was sent.
 */

export interface FakeAnthropicOptions {
  apiKey?: string;
  log?: (line: string) => void;
  /** The Claude Code session's turns; without it, a session gets one text turn and ends. */
  script?: ScriptStep[];
  /** Answer this many streaming requests with plain JSON, as a broken stream would look: Claude Code then retries without streaming. */
  unstreamed?: number;
}

export type ModelCallKind = "write_adr" | "submit_review" | "dev" | "claude-code" | "other";

export interface ModelCall {
  kind: ModelCallKind;
  model: string;
  /** tool_result blocks in the request (the dev loop's turn). */
  toolResults: number;
  /** What was answered: the tool called, or "text". */
  answered: string;
  at: number;
}

/** One request as received, for assertions on what the model saw. */
export interface RecordedRequest {
  kind: ModelCallKind;
  stream: boolean;
  /** The system prompt's text, blocks joined. */
  system: string;
  /** The text of the first user message (Claude Code's reminders and the prompt). */
  firstUserText: string;
  /** The tool results the conversation carries, in order (each turn's and the earlier ones). */
  toolResults: SeenToolResult[];
  /** The working directory a Claude Code session announced, if any. */
  cwd: string | null;
  tools: string[];
  body: Json;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeAnthropicServer {
  readonly calls: ModelCall[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly rejected: string[] = [];
  inFlight = 0;
  script: ScriptStep[];
  unstreamed: number;
  private readonly listener = new LoopbackListener((req, res) => void this.handle(req, res));
  private readonly apiKey: string;
  private readonly log: (line: string) => void;

  constructor(options: FakeAnthropicOptions = {}) {
    this.apiKey = options.apiKey ?? "test";
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.script = options.script ?? [];
    this.unstreamed = options.unstreamed ?? 0;
  }

  async start(): Promise<this> {
    await this.listener.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }

  /** The value of ANTHROPIC_BASE_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.listener.port}`;
  }

  lastCallAt(): number {
    return this.calls[this.calls.length - 1]?.at ?? 0;
  }

  count(kind: ModelCallKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  /** Every tool result a Claude Code session sent back, once each (a retried turn resends them). */
  sessionToolResults(): SeenToolResult[] {
    const seen = new Map<string, SeenToolResult>();
    for (const r of this.requests) if (r.kind === "claude-code") for (const t of r.toolResults) seen.set(t.toolUseId, t);
    return [...seen.values()];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    let status = 200;
    let payload: Json;
    let stream = false;
    try {
      const url = new URL(req.url ?? "/", this.baseUrl);
      if (req.method !== "POST" || url.pathname !== "/v1/messages") {
        const line = `[fake-anthropic] UNHANDLED ROUTE ${req.method} ${url.pathname}${url.search} -> 404`;
        this.rejected.push(line);
        this.log(line);
        throw new ApiError(404, "not_found_error", `Not found: ${req.method} ${url.pathname}`);
      }
      const key = req.headers["x-api-key"] ?? (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (key !== this.apiKey) throw new ApiError(401, "authentication_error", "invalid x-api-key");
      if (!req.headers["anthropic-version"]) throw new ApiError(400, "invalid_request_error", "anthropic-version header is required");
      let body: Json;
      try {
        body = JSON.parse(await readBody(req)) as Json;
      } catch {
        throw new ApiError(400, "invalid_request_error", "request body is not valid JSON");
      }
      stream = body.stream === true;
      payload = this.answer(body);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, "api_error", err instanceof Error ? err.message : String(err));
      status = e.status;
      stream = false;
      payload = { type: "error", error: { type: e.type, message: e.message } };
      if (e.status !== 404) {
        const line = `[fake-anthropic] ${e.status} ${e.type}: ${e.message}`;
        this.rejected.push(line);
        this.log(line);
      }
    }
    const headers = { "request-id": `req_loopback_${randomBytes(8).toString("hex")}` };
    if (stream && this.unstreamed > 0 && status === 200) {
      this.unstreamed--;
      stream = false;
    }
    if (stream) writeMessageStream(res, payload, headers);
    else {
      res.writeHead(status, { ...headers, "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    }
    this.inFlight--;
  }

  private answer(body: Json): Json {
    const model = typeof body.model === "string" ? body.model : "";
    if (!model) throw new ApiError(400, "invalid_request_error", "model: Field required");
    if (typeof body.max_tokens !== "number" || body.max_tokens < 1) throw new ApiError(400, "invalid_request_error", "max_tokens: Field required");
    const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
    checkMessages(messages);
    const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
    const names = new Set(tools.map((t) => String(t.name)));
    for (const t of tools) {
      const schema = t.input_schema as Json | undefined;
      if (!schema || schema.type !== "object") throw new ApiError(400, "invalid_request_error", `tools.${String(t.name)}.input_schema: type must be "object"`);
    }
    const choice = body.tool_choice as Json | undefined;
    if (choice?.type === "tool" && !names.has(String(choice.name))) throw new ApiError(400, "invalid_request_error", `tool_choice: tool ${String(choice.name)} is not among the tools`);
    const toolResults = messages.reduce((n, m) => n + (Array.isArray(m.content) ? (m.content as Json[]).filter((b) => b.type === "tool_result").length : 0), 0);

    let kind: ModelCallKind;
    let content: Json[];
    let stopReason: string | null = null;
    // Native structured output: the answer is JSON text fitting output_config.format; which step asks is seen from the schema.
    const native = ((body.output_config as Json | undefined)?.format as Json | undefined)?.schema as Json | undefined;
    const fields = new Set(Object.keys((native?.properties as Json | undefined) ?? {}));
    if (native && fields.has("drivers")) {
      kind = "write_adr";
      content = [{ type: "text", text: JSON.stringify(ADR_ANSWER) }];
    } else if (native && fields.has("findings")) {
      kind = "submit_review";
      content = [{ type: "text", text: JSON.stringify(reviewAnswer(firstAddedLine(messages.map((m) => textOf(m.content)).join("\n")))) }];
    } else if (native && fields.has("verdicts")) {
      kind = "other";
      content = [{ type: "text", text: JSON.stringify({ verdicts: [] }) }];
    } else if (names.has("write_adr")) {
      kind = "write_adr";
      content = [toolUse("write_adr", ADR_ANSWER)];
    } else if (names.has("submit_review")) {
      kind = "submit_review";
      content = [toolUse("submit_review", reviewAnswer(firstAddedLine(messages.map((m) => textOf(m.content)).join("\n"))))];
    } else if (names.has("write_file") && names.has("finish")) {
      kind = "dev";
      content = builtinDevAnswer(toolResults);
    } else if (names.has("Write") || names.has("Edit") || names.has("Bash")) {
      kind = "claude-code";
      const scripted = answerScriptedTurn(this.script, messages);
      content = scripted.content;
      stopReason = scripted.stopReason;
    } else {
      kind = "other";
      this.log(`[fake-anthropic] request with unexpected tools [${[...names].join(", ")}]: answered with text`);
      content = [{ type: "text", text: "The loopback fake has no answer for this request." }];
    }
    this.requests.push({
      kind,
      stream: body.stream === true,
      system: textOf(body.system),
      firstUserText: textOf(messages.find((m) => m.role === "user")?.content),
      toolResults: messages.flatMap((m) => toolResultsOf(m)),
      cwd: sessionCwd(messages),
      tools: [...names],
      body,
    });
    const answered = content.find((b) => b.type === "tool_use")?.name;
    this.calls.push({ kind, model, toolResults, answered: typeof answered === "string" ? answered : "text", at: performance.now() });
    const inputTokens = Math.ceil(JSON.stringify(body).length / 4);
    return {
      id: `msg_loopback_${randomBytes(8).toString("hex")}`,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stopReason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"),
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: Math.ceil(JSON.stringify(content).length / 4), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
  }
}

/**
 * What the real API refuses in a conversation: no messages, a first message
 * not from the user, an unknown role, a tool_use not
 * answered by a tool_result in the next message. (Consecutive messages of
 * one role are accepted, and combined, as the API does; Claude Code sends them.)
 */
function checkMessages(messages: Json[]): void {
  if (messages.length === 0 || messages[0]!.role !== "user") throw new ApiError(400, "invalid_request_error", "messages: the first message must use the user role");
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    // Newer models also take system messages mid-conversation; Claude Code sends its environment reminder as one.
    if (!["user", "assistant", "system"].includes(String(m.role))) throw new ApiError(400, "invalid_request_error", `messages.${i}.role: must be user, assistant or system`);
    if (m.role !== "assistant" || !Array.isArray(m.content)) continue;
    const uses = (m.content as Json[]).filter((b) => b.type === "tool_use").map((b) => String(b.id));
    const next = messages[i + 1];
    const results = new Set(Array.isArray(next?.content) ? (next.content as Json[]).filter((b) => b.type === "tool_result").map((b) => String(b.tool_use_id)) : []);
    for (const id of uses) if (!results.has(id)) throw new ApiError(400, "invalid_request_error", `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${id}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 50 * 1024 * 1024) throw new ApiError(413, "request_too_large", "request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
