import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackListener } from "./loopback-listener.js";

/**
 * A fake Anthropic Messages API on 127.0.0.1 (POST /v1/messages), for
 * ANTHROPIC_BASE_URL. It answers each of Baton's steps the way a model
 * would, decided by the tools the request offers:
 *
 * - `write_adr` (architecture review): a tool_use with a valid ADR answer;
 * - `submit_review` (review): one finding, on the first added line of the
 *   first file in the diff the prompt shows (so it can be placed inline);
 * - the dev tools (`write_file`, `finish`…): first a write_file of
 *   `src/api/rate-limit.ts`, then, once the request carries a tool_result,
 *   `finish`.
 *
 * It checks what the real API would refuse (missing key or version header,
 * no max_tokens, a forced tool that is not offered, a tool_use without its
 * tool_result) and answers 400 with an Anthropic error body, logged loudly.
 */

type Json = Record<string, unknown>;

export interface FakeAnthropicOptions {
  apiKey?: string;
  log?: (line: string) => void;
}

export type ModelCallKind = "write_adr" | "submit_review" | "dev" | "other";

export interface ModelCall {
  kind: ModelCallKind;
  model: string;
  /** tool_result blocks in the request (the dev loop's turn). */
  toolResults: number;
  /** What was answered: the tool called, or "text". */
  answered: string;
  at: number;
}

export const DEV_FILE_PATH = "src/api/rate-limit.ts";

export const DEV_FILE_CONTENT = `/**
 * A token bucket per client, as ADR 1 decides: every client starts with
 * \`capacity\` tokens, one request takes one, and tokens come back at
 * \`refillPerSecond\`.
 */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateLimitOptions {
  capacity: number;
  refillPerSecond: number;
}

const buckets = new Map<string, Bucket>();

export function takeToken(clientId: string, options: RateLimitOptions, now = Date.now()): boolean {
  const bucket = buckets.get(clientId) ?? { tokens: options.capacity, updatedAt: now };
  const elapsed = (now - bucket.updatedAt) / 1000;
  bucket.tokens = Math.min(options.capacity, bucket.tokens + elapsed * options.refillPerSecond);
  bucket.updatedAt = now;
  buckets.set(clientId, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
`;

export const ADR_ANSWER = {
  title: "Cache user lookups in memory with a short TTL",
  context: "Issue #1 asks for faster user lookups: the api module reads the same users from the database on every request.",
  drivers: ["User lookups must stop hitting the database on every request", "No new service to run"],
  options: [
    { name: "In-memory cache with a TTL", description: "A bounded LRU in each process, entries expire after 30 seconds.", good: ["it needs no new service"], bad: ["each process has its own cache"] },
    { name: "Redis cache", description: "Shared across processes, one more service to run.", good: ["one cache for every process"], bad: ["one more service to run"] },
  ],
  confirmation: "The review step applies the api rules below to every change of the api module.",
  decision: "Chosen option: in-memory cache with a TTL, because it needs no new service and 30 seconds of staleness is acceptable for user profiles.",
  consequences: ["Good, because lookups no longer hit the database on every request.", "Bad, because each process has its own cache."],
  modules: ["api"],
  guidance: [
    {
      module: "api",
      rules: [
        { level: "MUST", rule: "read users through `cachedUser(id)`", check: "no handler calls db.users.find directly" },
        { level: "MUST NOT", rule: "cache error results", check: "only successful lookups are stored" },
        { level: "MUST", rule: "bound the cache to 10,000 entries", check: "the LRU is created with max 10000" },
      ],
    },
  ],
  supersedes: [],
};

function reviewAnswer(target: { path: string; line: number; code: string } | null): Json {
  return {
    summary: "Adds a token-bucket rate limiter in the api module, as ADR 1 decides. One problem: the buckets map grows without bound.",
    specCompliance: [{ requirement: "Rate-limit requests per client", status: "met", evidence: target ? `${target.path}:${target.line}` : "the diff" }],
    adrConformance: [{ adr: "ADR 1", status: "conforms", note: "A token bucket per client, as decided." }],
    findings: target
      ? [
          {
            severity: "medium",
            path: target.path,
            line: target.line,
            code: target.code,
            confidence: 0.8,
            title: "Buckets are never evicted",
            body: "The `buckets` map keeps one entry per client forever: evict idle buckets (for example after `capacity / refillPerSecond` seconds).",
            source: "general",
          },
        ]
      : [],
  };
}

/** The first non-blank added line of the first file in the rendered diff ("### path (added…)" then "  12 +text"). */
export function firstAddedLine(prompt: string): { path: string; line: number; code: string } | null {
  const lines = prompt.split("\n");
  let path: string | null = null;
  for (const line of lines) {
    const header = /^### (.+?) \((?:added|modified|renamed)[^)]*\)\s*$/.exec(line);
    if (header) {
      path = header[1]!.replace(/^`|`$/g, "");
      continue;
    }
    if (!path) continue;
    const added = /^\s*(\d+) \+(.*)$/.exec(line);
    if (added && added[2]!.trim()) return { path, line: Number(added[1]), code: added[2]! };
  }
  return null;
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join("\n");
  if (value && typeof value === "object") {
    const v = value as Json;
    if (typeof v.text === "string") return v.text;
    if ("content" in v) return textOf(v.content);
  }
  return "";
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
  readonly rejected: string[] = [];
  inFlight = 0;
  private readonly listener = new LoopbackListener((req, res) => void this.handle(req, res));
  private readonly apiKey: string;
  private readonly log: (line: string) => void;

  constructor(options: FakeAnthropicOptions = {}) {
    this.apiKey = options.apiKey ?? "test";
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    let status = 200;
    let payload: unknown;
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
      payload = this.answer(body);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, "api_error", err instanceof Error ? err.message : String(err));
      status = e.status;
      payload = { type: "error", error: { type: e.type, message: e.message } };
      if (e.status !== 404) {
        const line = `[fake-anthropic] ${e.status} ${e.type}: ${e.message}`;
        this.rejected.push(line);
        this.log(line);
      }
    }
    res.writeHead(status, { "content-type": "application/json", "request-id": `req_loopback_${randomBytes(8).toString("hex")}` });
    res.end(JSON.stringify(payload));
    this.inFlight--;
  }

  private answer(body: Json): Json {
    const model = typeof body.model === "string" ? body.model : "";
    if (!model) throw new ApiError(400, "invalid_request_error", "model: Field required");
    if (typeof body.max_tokens !== "number" || body.max_tokens < 1) throw new ApiError(400, "invalid_request_error", "max_tokens: Field required");
    const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
    if (messages.length === 0 || messages[0]!.role !== "user") throw new ApiError(400, "invalid_request_error", "messages: the first message must use the user role");
    // Every tool_use must be answered by a tool_result in the next message.
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      if (m.role !== (i % 2 === 0 ? "user" : "assistant")) throw new ApiError(400, "invalid_request_error", `messages: roles must alternate (message ${i})`);
      if (m.role !== "assistant" || !Array.isArray(m.content)) continue;
      const uses = (m.content as Json[]).filter((b) => b.type === "tool_use").map((b) => String(b.id));
      const next = messages[i + 1];
      const results = new Set(Array.isArray(next?.content) ? (next.content as Json[]).filter((b) => b.type === "tool_result").map((b) => String(b.tool_use_id)) : []);
      for (const id of uses) if (!results.has(id)) throw new ApiError(400, "invalid_request_error", `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${id}`);
    }
    const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
    const names = new Set(tools.map((t) => String(t.name)));
    for (const t of tools) {
      const schema = t.input_schema as Json | undefined;
      if (!schema || schema.type !== "object") throw new ApiError(400, "invalid_request_error", `tools.${String(t.name)}.input_schema: type must be "object"`);
    }
    const choice = body.tool_choice as Json | undefined;
    if (choice?.type === "tool" && !names.has(String(choice.name))) throw new ApiError(400, "invalid_request_error", `tool_choice: tool ${String(choice.name)} is not among the tools`);
    const toolResults = messages.reduce((n, m) => n + (Array.isArray(m.content) ? (m.content as Json[]).filter((b) => b.type === "tool_result").length : 0), 0);
    const prompt = messages.map((m) => textOf(m.content)).join("\n");

    let kind: ModelCallKind;
    let content: Json[];
    // Native structured output: the answer is JSON text fitting output_config.format; which step asks is seen from the schema.
    const native = ((body.output_config as Json | undefined)?.format as Json | undefined)?.schema as Json | undefined;
    const fields = new Set(Object.keys((native?.properties as Json | undefined) ?? {}));
    if (native && fields.has("drivers")) {
      kind = "write_adr";
      content = [{ type: "text", text: JSON.stringify(ADR_ANSWER) }];
    } else if (native && fields.has("findings")) {
      kind = "submit_review";
      content = [{ type: "text", text: JSON.stringify(reviewAnswer(firstAddedLine(prompt))) }];
    } else if (native && fields.has("verdicts")) {
      kind = "other";
      content = [{ type: "text", text: JSON.stringify({ verdicts: [] }) }];
    } else if (names.has("write_adr")) {
      kind = "write_adr";
      content = [toolUse("write_adr", ADR_ANSWER)];
    } else if (names.has("submit_review")) {
      kind = "submit_review";
      content = [toolUse("submit_review", reviewAnswer(firstAddedLine(prompt)))];
    } else if (names.has("write_file") && names.has("finish")) {
      kind = "dev";
      content =
        toolResults === 0
          ? [{ type: "text", text: "I will add the rate limiter the ADR describes." }, toolUse("write_file", { path: DEV_FILE_PATH, content: DEV_FILE_CONTENT })]
          : [toolUse("finish", { summary: `Added \`${DEV_FILE_PATH}\`: a token bucket per client, as ADR 1 decides.` })];
    } else {
      kind = "other";
      this.log(`[fake-anthropic] request with unexpected tools [${[...names].join(", ")}]: answered with text`);
      content = [{ type: "text", text: "The loopback fake has no answer for this request." }];
    }
    const answered = content.find((b) => b.type === "tool_use")?.name;
    this.calls.push({ kind, model, toolResults, answered: typeof answered === "string" ? answered : "text", at: performance.now() });
    const inputTokens = Math.ceil(JSON.stringify(body).length / 4);
    return {
      id: `msg_loopback_${randomBytes(8).toString("hex")}`,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: Math.ceil(JSON.stringify(content).length / 4), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
  }
}

function toolUse(name: string, input: unknown): Json {
  return { type: "tool_use", id: `toolu_loopback_${randomBytes(8).toString("hex")}`, name, input };
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
