import Anthropic from "@anthropic-ai/sdk";
import type { ContentBlock, ContentBlockParam, Message, MessageCreateParamsNonStreaming, MessageParam, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type {
  AssistantContent,
  ConverseRequest,
  ConverseResult,
  ModelClient,
  StopReason,
  StructuredRequest,
  StructuredResult,
  ToolCall,
  Usage,
} from "./model-client.js";
import { addUsage } from "./model-client.js";
import { classifyModelError, ModelOutputError, PermanentModelError } from "./model-errors.js";
import { renderConversation, renderOpeningContent, renderSystem, renderTool } from "./prompt-rendering.js";
import { repairMessage, structuredTool, summarizeIssues, validateOutput, type OutputIssue } from "./structured-output.js";
import { nativeAnswer, nativeOutputFormat, nativeRepairMessage, refusesNativeOutput, supportsNativeStructuredOutput } from "./native-structured.js";

export interface AnthropicModelClientOptions {
  /** Defaults to ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, sent as a bearer token). */
  apiKey?: string;
  /** Any Anthropic-compatible endpoint. Defaults to ANTHROPIC_BASE_URL, then https://api.anthropic.com. */
  baseURL?: string;
  /**
   * The SDK's own quick retries (with backoff, honouring retry-after).
   * Kept small: the job queue retries transient failures later, with its
   * own backoff, so a long outage does not hold a worker.
   */
  maxRetries?: number;
  /** Per request. Defaults to 10 minutes, the SDK's own non-streaming ceiling. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /**
   * Native structured output (`output_config.format`) for the models that
   * support it; false: always the forced tool. Default true.
   */
  nativeStructuredOutput?: boolean;
}

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  "end_turn",
  "tool_use",
  "max_tokens",
  "stop_sequence",
  "pause_turn",
  "refusal",
  "model_context_window_exceeded",
]);

function toStopReason(reason: string | null): StopReason {
  return reason !== null && STOP_REASONS.has(reason) ? (reason as StopReason) : "unknown";
}

function toUsage(message: Message): Usage {
  return {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
  };
}

/** Text and tool calls; other block kinds (thinking, server tools) are not used by Baton's requests. */
function toAssistantContent(blocks: ContentBlock[]): AssistantContent[] {
  const content: AssistantContent[] = [];
  for (const block of blocks) {
    if (block.type === "text") content.push({ type: "text", text: block.text });
    else if (block.type === "tool_use") content.push({ type: "tool_use", id: block.id, name: block.name, input: block.input });
  }
  return content;
}

function toContentParams(content: AssistantContent[]): ContentBlockParam[] {
  return content.map((block) => (block.type === "text" ? { type: "text", text: block.text } : { type: "tool_use", id: block.id, name: block.name, input: block.input }));
}

function toToolChoice(choice: ConverseRequest["toolChoice"]): ToolChoice {
  if (choice === undefined || choice === "auto") return { type: "auto" };
  if (choice === "any") return { type: "any" };
  return { type: "tool", name: choice.name };
}

function resolveCredentials(apiKey: string | undefined): { apiKey: string } | { authToken: string } {
  const key = apiKey ?? process.env["ANTHROPIC_API_KEY"];
  if (key) return { apiKey: key };
  const token = process.env["ANTHROPIC_AUTH_TOKEN"];
  if (token) return { authToken: token };
  // Checked here rather than left to the SDK, whose fallback is a search of
  // profile files on disk: an unconfigured server should say what to set.
  throw new PermanentModelError(
    "authentication",
    "no Anthropic API key: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN for a bearer token) in the app's environment, or run the offline demo with a recording",
  );
}

/**
 * The SDK client is built on the first call, not here: an app started
 * without a key still runs, and each job fails with a PermanentModelError
 * that says what to set, reported where people look (the check run).
 */
export function createAnthropicModelClient(opts: AnthropicModelClientOptions = {}): ModelClient {
  const baseURL = opts.baseURL ?? (process.env["ANTHROPIC_BASE_URL"] || undefined);
  const effectiveBaseURL = baseURL ?? "https://api.anthropic.com";
  let sdk: Anthropic | undefined;
  const client = (): Anthropic =>
    (sdk ??= new Anthropic({
      ...resolveCredentials(opts.apiKey),
      ...(baseURL ? { baseURL } : {}),
      maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES,
      // Always set: without it the SDK refuses non-streaming calls with a large max_tokens.
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    }));

  async function send(params: MessageCreateParamsNonStreaming, stepId: string): Promise<{ message: Message; requestId: string | undefined }> {
    const anthropic = client();
    try {
      const { data, request_id } = await anthropic.messages.create(params).withResponse();
      return { message: data, requestId: request_id ?? undefined };
    } catch (err) {
      throw classifyModelError(err, { model: params.model, stepId, baseURL: effectiveBaseURL });
    }
  }

  /** Models whose endpoint refused `output_config`: they get the forced tool from then on. */
  const noNativeOutput = new Set<string>();

  async function generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    if (opts.nativeStructuredOutput !== false && supportsNativeStructuredOutput(req.model) && !noNativeOutput.has(req.model)) {
      try {
        return await generateNative(req);
      } catch (err) {
        if (!refusesNativeOutput(err)) throw err;
        noNativeOutput.add(req.model);
      }
    }
    return generateWithTool(req);
  }

  /**
   * Native structured output: the schema goes in `output_config.format`, the
   * answer is JSON text. The system prompt and the context blocks are the
   * same as with the tool, so the cached prefix is too.
   */
  async function generateNative<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const format = nativeOutputFormat(req.schema, req.schemaName);
    const system = renderSystem(req.system);
    const messages: MessageParam[] = [{ role: "user", content: renderOpeningContent(req.context, req.instruction) }];
    const request = (msgs: MessageParam[]): MessageCreateParamsNonStreaming => ({ model: req.model, max_tokens: req.maxTokens, system, messages: msgs, output_config: { format } });
    const check = (message: Message) => {
      finalStopReason(message, req);
      const answer = nativeAnswer(message);
      const outcome = answer.ok ? validateOutput(req.schema, answer.value) : answer;
      if (!outcome.ok && message.stop_reason !== "end_turn") outcome.issues.push(incomplete(message, req));
      return outcome;
    };
    const first = await send(request(messages), req.stepId);
    const firstOutcome = check(first.message);
    if (firstOutcome.ok) return { value: firstOutcome.value, usage: toUsage(first.message), model: first.message.model, repaired: false, ...requestIdField(first.requestId) };
    const previous = toAssistantContent(first.message.content).filter((b) => b.type === "text");
    const repair: MessageParam[] = [
      ...messages,
      { role: "assistant", content: previous.length > 0 ? toContentParams(previous) : [{ type: "text", text: "(no output)" }] },
      { role: "user", content: [{ type: "text", text: nativeRepairMessage(firstOutcome.issues, first.message.stop_reason === "max_tokens") }] },
    ];
    const second = await send(request(repair), req.stepId);
    const usage = addUsage(toUsage(first.message), toUsage(second.message));
    const secondOutcome = check(second.message);
    if (secondOutcome.ok) return { value: secondOutcome.value, usage, model: second.message.model, repaired: true, ...requestIdField(second.requestId) };
    const issues = summarizeIssues(secondOutcome.issues);
    throw new ModelOutputError(`model output for step ${req.stepId} did not match schema ${req.schemaName}, even after one repair attempt: ${issues.join("; ")}`, {
      model: second.message.model,
      stepId: req.stepId,
      issues,
      output: lastOutput(second.message, req.schemaName),
      ...requestIdField(second.requestId),
    });
  }

  async function generateWithTool<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const tool = structuredTool(req.schema, req.schemaName, req.schemaDescription);
    const system = renderSystem(req.system);
    const messages: MessageParam[] = [{ role: "user", content: renderOpeningContent(req.context, req.instruction) }];
    const request = (msgs: MessageParam[]): MessageCreateParamsNonStreaming => ({
      model: req.model,
      max_tokens: req.maxTokens,
      system,
      messages: msgs,
      tools: [tool],
      // One call exactly: a second parallel call would need its own tool_result in a repair.
      tool_choice: { type: "tool", name: req.schemaName, disable_parallel_tool_use: true },
    });

    const first = await send(request(messages), req.stepId);
    const firstOutcome = evaluate(first.message, req);
    if (firstOutcome.ok) {
      return { value: firstOutcome.value, usage: toUsage(first.message), model: first.message.model, repaired: false, ...requestIdField(first.requestId) };
    }

    // One repair attempt: the model's own previous answer, then the issues as data.
    const issuesText = repairMessage(req.schemaName, firstOutcome.issues, first.message.stop_reason === "max_tokens");
    const previous = toAssistantContent(first.message.content);
    const toolUses = previous.filter((b): b is ToolCall => b.type === "tool_use");
    // Every tool_use needs its tool_result in the next turn, or the API rejects the request.
    const feedback: ContentBlockParam[] =
      toolUses.length > 0
        ? toolUses.map((b) => ({ type: "tool_result", tool_use_id: b.id, is_error: true, content: issuesText }))
        : [{ type: "text", text: issuesText }];
    const repairMessages: MessageParam[] = [
      ...messages,
      { role: "assistant", content: previous.length > 0 ? toContentParams(previous) : [{ type: "text", text: "(no output)" }] },
      { role: "user", content: feedback },
    ];
    const second = await send(request(repairMessages), req.stepId);
    const usage = addUsage(toUsage(first.message), toUsage(second.message));
    const secondOutcome = evaluate(second.message, req);
    if (secondOutcome.ok) {
      return { value: secondOutcome.value, usage, model: second.message.model, repaired: true, ...requestIdField(second.requestId) };
    }
    const issues = summarizeIssues(secondOutcome.issues);
    throw new ModelOutputError(
      `model output for step ${req.stepId} did not match schema ${req.schemaName}, even after one repair attempt: ${issues.join("; ")}`,
      { model: second.message.model, stepId: req.stepId, issues, output: lastOutput(second.message, req.schemaName), ...requestIdField(second.requestId) },
    );
  }

  async function converse(req: ConverseRequest): Promise<ConverseResult> {
    const params: MessageCreateParamsNonStreaming = {
      model: req.model,
      max_tokens: req.maxTokens,
      system: renderSystem(req.system),
      messages: renderConversation(req.context, req.instruction, req.turns),
      tools: req.tools.map(renderTool),
      tool_choice: toToolChoice(req.toolChoice),
    };
    const { message, requestId } = await send(params, req.stepId);
    const content = toAssistantContent(message.content);
    return {
      content,
      toolCalls: content.filter((b): b is ToolCall => b.type === "tool_use"),
      stopReason: toStopReason(message.stop_reason),
      usage: toUsage(message),
      model: message.model,
      ...requestIdField(requestId),
    };
  }

  return { generateStructured, converse };
}

function requestIdField(requestId: string | undefined): { requestId?: string } {
  return requestId === undefined ? {} : { requestId };
}

function lastOutput(message: Message, toolName: string): unknown {
  const toolUse = message.content.find((b) => b.type === "tool_use" && b.name === toolName);
  if (toolUse && toolUse.type === "tool_use") return toolUse.input;
  return message.content
    .filter((b) => b.type === "text")
    .map((b) => (b.type === "text" ? b.text : ""))
    .join("\n");
}

/**
 * Does the answer hold a valid call of the forced tool? A refusal or a
 * context overflow is final; anything else (missing call, invalid input,
 * cut off at max_tokens) gets the repair attempt.
 */
function evaluate<T>(message: Message, req: StructuredRequest<T>): { ok: true; value: T } | { ok: false; issues: OutputIssue[] } {
  finalStopReason(message, req);
  const toolUse = message.content.find((b) => b.type === "tool_use" && b.name === req.schemaName);
  if (!toolUse || toolUse.type !== "tool_use") {
    return { ok: false, issues: [{ path: "(root)", code: "missing_tool_call", message: `no call to ${req.schemaName} in the answer` }, ...(message.stop_reason === "tool_use" ? [] : [incomplete(message, req)])] };
  }
  const outcome = validateOutput(req.schema, toolUse.input);
  if (!outcome.ok && message.stop_reason !== "tool_use") outcome.issues.push(incomplete(message, req));
  return outcome;
}

/**
 * Every stop reason, for a structured answer. Final: `refusal` (the model
 * will not answer: a ModelOutputError with its words) and
 * `model_context_window_exceeded` (a PermanentModelError naming the budget
 * to lower). Everything else gets the one repair attempt when the answer is
 * not valid: `max_tokens` (cut off; the repair asks for less), and
 * `stop_sequence`, `pause_turn` or none, which Baton's requests never ask
 * for (no stop sequences, no server tools) and so read as an answer that
 * stopped early. `end_turn` and `tool_use` are how an answer ends.
 */
function finalStopReason<T>(message: Message, req: StructuredRequest<T>): void {
  if (message.stop_reason === "refusal") {
    const text = String(lastOutput(message, req.schemaName));
    throw new ModelOutputError(`model refused to answer for step ${req.stepId}${text ? `: ${text.slice(0, 300)}` : ""}`, {
      model: message.model,
      stepId: req.stepId,
      issues: ["the model refused"],
      output: text,
    });
  }
  if (message.stop_reason === "model_context_window_exceeded") {
    throw new PermanentModelError(
      "context-too-long",
      `the prompt and answer do not fit the context window of model ${message.model}: lower budgets.${req.stepId} in .github/baton.yml`,
      { model: message.model, stepId: req.stepId },
    );
  }
}

/** Why an answer that did not validate may be incomplete, from how it stopped. */
function incomplete<T>(message: Message, req: StructuredRequest<T>): OutputIssue {
  switch (message.stop_reason) {
    case "max_tokens":
      return { path: "(root)", code: "max_tokens", message: `output cut off at max_tokens (${req.maxTokens})` };
    case "pause_turn":
      return { path: "(root)", code: "pause_turn", message: "the answer was paused before it was complete" };
    case "stop_sequence":
      return { path: "(root)", code: "stop_sequence", message: "the answer stopped at a stop sequence before it was complete" };
    default:
      return { path: "(root)", code: "stopped", message: `the answer stopped (${message.stop_reason ?? "no stop reason"}) before it was complete` };
  }
}
