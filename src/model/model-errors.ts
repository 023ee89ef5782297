import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { TRANSIENT_NETWORK_CODES } from "../util/network-errors.js";

/**
 * Model failures fall into two kinds, and the job queue only needs to know
 * which: transient ones (rate limits, overload, 5xx, network) are worth
 * retrying later; permanent ones (bad key, unknown model, prompt too long)
 * will fail the same way until someone changes configuration, so the message
 * says what to change. The model answering nonsense is a third thing,
 * ModelOutputError.
 */

export interface ModelErrorDetails {
  model?: string;
  stepId?: string;
  status?: number;
  requestId?: string;
  cause?: unknown;
}

export abstract class ModelError extends Error {
  readonly model: string | undefined;
  readonly stepId: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: ModelErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.model = details.model;
    this.stepId = details.stepId;
    this.status = details.status;
    this.requestId = details.requestId;
  }
}

/** Worth retrying later. `retryAfterMs` is the server's hint (`retry-after`), when it gave one. */
export class TransientModelError extends ModelError {
  readonly transient = true as const;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ModelErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

export type PermanentErrorKind =
  | "authentication"
  | "permission"
  | "billing"
  | "model-not-found"
  | "context-too-long"
  | "invalid-request"
  | "configuration";

/** Will fail the same way until configuration changes; the message says what to change. */
export class PermanentModelError extends ModelError {
  readonly transient = false as const;
  readonly kind: PermanentErrorKind;

  constructor(kind: PermanentErrorKind, message: string, details: ModelErrorDetails = {}) {
    super(message, details);
    this.kind = kind;
  }
}

/** The model answered, but not in the required shape, even after the repair attempt. */
export class ModelOutputError extends ModelError {
  /** Human-readable issues, `path: message`. */
  readonly issues: string[];
  /** What the model produced last (the tool input, or its text when it called no tool). */
  readonly output: unknown;

  constructor(message: string, details: ModelErrorDetails & { issues: string[]; output: unknown }) {
    super(message, details);
    this.issues = details.issues;
    this.output = details.output;
  }
}

const TRANSIENT_STATUSES = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

/**
 * Should a job that failed with `err` be retried later? True for our
 * TransientModelError, for the SDK's connection errors and retryable
 * statuses (429, 5xx, 529), and for any error carrying such an HTTP
 * `status` (Octokit's RequestError too) or a network error code.
 */
export function isTransientError(err: unknown): boolean {
  if (err instanceof TransientModelError) return true;
  if (err instanceof ModelError) return false;
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionError) return true;
  if (typeof err !== "object" || err === null) return false;
  const status = (err as { status?: unknown }).status;
  if (typeof status === "number") return TRANSIENT_STATUSES.has(status) || status >= 500;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isTransientError(cause);
}

/** The server's retry hint, when the error carries one. */
export function retryAfterMsOf(err: unknown): number | undefined {
  return err instanceof TransientModelError ? err.retryAfterMs : undefined;
}

/**
 * `retry-after-ms` (Anthropic sends it), else `retry-after` as seconds or an
 * HTTP date. Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface ClassifyContext {
  model?: string;
  stepId?: string;
  baseURL?: string;
}

function isPromptTooLong(message: string): boolean {
  return /prompt is too long|too many tokens|context (length|window)|maximum context|exceeds? the (model'?s )?(context|maximum)/i.test(message);
}

function budgetHint(ctx: ClassifyContext): string {
  return ctx.stepId ? `lower budgets.${ctx.stepId} in .github/baton.yml` : "lower the step's budget in .github/baton.yml";
}

function modelHint(ctx: ClassifyContext): string {
  const key = ctx.stepId ? `models.${ctx.stepId} or models.default` : "models.default";
  return `set ${key} in .github/baton.yml to a current model`;
}

function endpointHint(ctx: ClassifyContext): string {
  return ctx.baseURL && !ctx.baseURL.startsWith("https://api.anthropic.com") ? ` (endpoint: ${ctx.baseURL}, from ANTHROPIC_BASE_URL)` : "";
}

/**
 * Turn whatever the SDK threw into a TransientModelError or a
 * PermanentModelError with an actionable message. Our own errors and
 * anything unrecognised (a bug in Baton) pass through unchanged.
 */
export function classifyModelError(err: unknown, ctx: ClassifyContext = {}): unknown {
  if (err instanceof ModelError) return err;
  const base = { model: ctx.model, stepId: ctx.stepId, cause: err };
  const model = ctx.model ?? "the configured model";

  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionError) {
    const what = err instanceof APIConnectionTimeoutError ? "timed out" : "could not connect";
    return new TransientModelError(`Anthropic request ${what}${endpointHint(ctx)}: ${err.message}`, base);
  }
  if (err instanceof APIError) {
    const status = err.status;
    const details = { ...base, status, requestId: err.requestID ?? undefined };
    const apiMessage = err.apiMessage ?? err.message;
    const type = err.type ?? "unknown_error";
    const code = err.errorCode ?? "";

    if (/spend_limit|billing/.test(code) || status === 402 || type === "billing_error") {
      return new PermanentModelError(
        "billing",
        `Anthropic refused the request for billing reasons (${status} ${type}${code ? `, ${code}` : ""}): ${apiMessage}. Check the organisation's credit and spend limits in the Anthropic Console.`,
        details,
      );
    }
    if (status === undefined || TRANSIENT_STATUSES.has(status) || status >= 500) {
      const retryAfterMs = parseRetryAfter(err.headers);
      const why = status === 429 ? "rate limited" : status === 529 || type === "overloaded_error" ? "overloaded" : "temporarily failing";
      return new TransientModelError(`Anthropic is ${why} (${status ?? "no status"} ${type}): ${apiMessage}`, { ...details, retryAfterMs });
    }
    if (status === 401) {
      return new PermanentModelError(
        "authentication",
        `Anthropic rejected the API key (401 ${type})${endpointHint(ctx)}: set ANTHROPIC_API_KEY to a valid key (Anthropic Console → API keys). Server said: ${apiMessage}`,
        details,
      );
    }
    if (status === 403) {
      return new PermanentModelError(
        "permission",
        `Anthropic denied access (403 ${type}) for model ${model}: the API key's organisation or workspace may not use it; ${modelHint(ctx)} or use a key with access. Server said: ${apiMessage}`,
        details,
      );
    }
    if (status === 404) {
      return new PermanentModelError(
        "model-not-found",
        `model ${model} not found (404 ${type})${endpointHint(ctx)}: ${modelHint(ctx)}, e.g. claude-sonnet-5-5. Server said: ${apiMessage}`,
        details,
      );
    }
    if (status === 413 || isPromptTooLong(apiMessage)) {
      return new PermanentModelError(
        "context-too-long",
        `the prompt is too long for model ${model} (${status} ${type}): ${budgetHint(ctx)}, or choose a model with a larger context window. Server said: ${apiMessage}`,
        details,
      );
    }
    return new PermanentModelError(
      "invalid-request",
      `Anthropic rejected the request (${status} ${type}) for model ${model}: ${apiMessage}. If the model name is right, this is likely a bug in Baton: please report it with the request id ${err.requestID ?? "(none)"}.`,
      details,
    );
  }
  if (err instanceof AnthropicError) {
    // Raised by the SDK before any request: missing credentials, options it refuses.
    return new PermanentModelError("configuration", `Anthropic client configuration: ${err.message}`, base);
  }
  return err;
}
