import nock from "nock";

/**
 * Real Messages API shapes (https://docs.anthropic.com/en/api/messages), so
 * the SDK parses them as it would in production.
 */

export const ANTHROPIC = "https://api.anthropic.com";

export type ResponseBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface MessageResponseOptions {
  id?: string;
  model?: string;
  content: ResponseBlock[];
  stop_reason?: "end_turn" | "tool_use" | "max_tokens" | "refusal" | "model_context_window_exceeded";
  usage?: Partial<{ input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }>;
}

export function messageResponse(opts: MessageResponseOptions) {
  return {
    id: opts.id ?? "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: opts.model ?? "claude-sonnet-5-5",
    content: opts.content,
    stop_reason: opts.stop_reason ?? "tool_use",
    stop_sequence: null,
    usage: {
      input_tokens: 2095,
      output_tokens: 503,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...opts.usage,
    },
  };
}

export function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" };
}

/** Intercepts POST /v1/messages once, pushing the parsed request body into `bodies`. */
export function interceptMessages(bodies: unknown[], base = ANTHROPIC): nock.Interceptor {
  return nock(base).post("/v1/messages", (body) => {
    bodies.push(body);
    return true;
  });
}
