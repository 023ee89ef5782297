import type { z } from "zod";

/**
 * The one seam between Baton's steps and a language model. Steps depend on
 * this interface only, so the offline demo and the tests can swap in a
 * recorded client, and another Anthropic-compatible backend needs no change
 * in the steps.
 */

/**
 * A block of context: a file, an issue body, a diff. Rendered as delimited
 * data (`<context label="…">…</context>`), never as instructions.
 */
export interface PromptBlock {
  /** Where the text comes from, e.g. `docs/adr/0003-x.md@<sha>` or `issue #12`. */
  label: string;
  text: string;
  /**
   * Stable across runs (ADRs, pitfalls, module map): cached with
   * `cache_control`, and placed before the non-cached blocks so the cached
   * prefix is as long as possible.
   */
  cache?: boolean;
  /**
   * Written by people outside the team's review (issue bodies, comments, PR
   * descriptions): hidden markup (HTML comments) is stripped before the model
   * sees it, as are invisible characters.
   */
  untrusted?: boolean;
  /**
   * Code or a diff (untrusted or not): sent exactly as committed, never
   * stripped; invisible and bidi characters are shown as `<U+XXXX>`
   * (src/util/code-text.ts). Takes precedence over `untrusted`. Blocks that
   * are neither keep every character too, with the same visible form.
   */
  code?: boolean;
}

export interface StructuredRequest<T> {
  /** The step on whose behalf the call is made; keys recordings and error messages. */
  stepId: string;
  model: string;
  system: string;
  context: PromptBlock[];
  instruction: string;
  schema: z.ZodType<T>;
  /** Name of the single forced tool: letters, digits, `_` or `-`, at most 128 characters. */
  schemaName: string;
  schemaDescription: string;
  maxTokens: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface StructuredResult<T> {
  value: T;
  /** Summed over the first call and the repair call, when there was one. */
  usage: Usage;
  model: string;
  /** The first answer did not fit the schema and one repair call fixed it. */
  repaired: boolean;
  requestId?: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the tool's input; its top level must be `type: "object"`. */
  inputSchema: object;
}

export interface TextContent {
  type: "text";
  text: string;
}

/** The model asks the caller to run a tool. `input` is unvalidated: check it before use. */
export interface ToolCall {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}

/** The caller's answer to one ToolCall, matched by `toolUseId`. */
export interface ToolResult {
  type: "tool_result";
  toolUseId: string;
  content: string;
  /** The tool failed (unknown path, write outside the declared outputs…): the model sees it as an error. */
  isError?: boolean;
}

export type AssistantContent = TextContent | ToolCall;
export type UserContent = TextContent | ToolResult;

/**
 * One turn of a tool-use conversation, after the opening user turn (which
 * the client builds from `context` and `instruction`). Turns alternate:
 * assistant, user, assistant, user…
 */
export type ConversationTurn = { role: "assistant"; content: AssistantContent[] } | { role: "user"; content: UserContent[] };

export type StopReason =
  | "end_turn"
  | "tool_use"
  | "max_tokens"
  | "stop_sequence"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded"
  | "unknown";

export interface ConverseRequest {
  stepId: string;
  model: string;
  system: string;
  context: PromptBlock[];
  /** Opens the conversation, after the context. */
  instruction: string;
  /** The conversation so far, starting with the assistant's first answer; empty on the first call. */
  turns: ConversationTurn[];
  tools: ToolDefinition[];
  maxTokens: number;
  /** `auto` (default): the model may answer in text; `any`: it must call some tool; `{ name }`: that tool. */
  toolChoice?: "auto" | "any" | { name: string };
}

export interface ConverseResult {
  /** The assistant's turn, text and tool calls in order; append it to `turns` as is. */
  content: AssistantContent[];
  /** The tool_use blocks of `content`, for convenience. */
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: Usage;
  model: string;
  requestId?: string;
}

export interface ModelClient {
  generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /** One call of a tool-use conversation. The caller runs the loop (and bounds it). */
  converse(req: ConverseRequest): Promise<ConverseResult>;
}

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

/**
 * The two turns a tool loop appends after each call: the assistant's answer
 * and the user's tool results. Keeps the alternation right by construction.
 */
export function nextTurns(result: ConverseResult, toolResults: ToolResult[]): ConversationTurn[] {
  const turns: ConversationTurn[] = [{ role: "assistant", content: result.content }];
  if (toolResults.length > 0) turns.push({ role: "user", content: toolResults });
  return turns;
}
