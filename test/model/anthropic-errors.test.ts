import { APIConnectionError, InternalServerError, RateLimitError } from "@anthropic-ai/sdk";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAnthropicModelClient } from "../../src/model/anthropic-model-client.js";
import type { StructuredRequest } from "../../src/model/model-client.js";
import { isTransientError, ModelOutputError, parseRetryAfter, PermanentModelError, TransientModelError } from "../../src/model/model-errors.js";
import { ANTHROPIC, errorBody, interceptMessages, messageResponse } from "./anthropic-fixtures.js";

const schema = z.object({ title: z.string() });

function request(model = "claude-sonnet-5-5"): StructuredRequest<{ title: string }> {
  return {
    stepId: "architecture-review",
    model,
    system: "You write ADRs.",
    context: [],
    instruction: "Write the ADR.",
    schema,
    schemaName: "write_adr",
    schemaDescription: "The ADR.",
    maxTokens: 1024,
  };
}

const client = () => createAnthropicModelClient({ apiKey: "sk-ant-test", maxRetries: 0, nativeStructuredOutput: false });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("model error classification", () => {
  it("429 with retry-after is transient and carries retryAfterMs", async () => {
    nock(ANTHROPIC)
      .post("/v1/messages")
      .reply(429, errorBody("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), { "retry-after": "7", "request-id": "req_429" });

    const error = await failure(client().generateStructured(request()));

    expect(error).toBeInstanceOf(TransientModelError);
    const e = error as TransientModelError;
    expect(e.retryAfterMs).toBe(7000);
    expect(e.status).toBe(429);
    expect(e.requestId).toBe("req_429");
    expect(e.stepId).toBe("architecture-review");
    expect(e.message).toContain("rate limited");
    expect(isTransientError(e)).toBe(true);
    expect(e.cause).toBeInstanceOf(RateLimitError);
  });

  it("529 overloaded_error is transient", async () => {
    nock(ANTHROPIC).post("/v1/messages").reply(529, errorBody("overloaded_error", "Overloaded"));

    const error = await failure(client().generateStructured(request()));

    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as TransientModelError).message).toContain("overloaded");
    expect((error as TransientModelError).retryAfterMs).toBeUndefined();
    expect(isTransientError(error)).toBe(true);
  });

  it.each([500, 502, 503, 504])("%i is transient", async (status) => {
    nock(ANTHROPIC).post("/v1/messages").reply(status, errorBody("api_error", "Internal server error"));
    const error = await failure(client().generateStructured(request()));
    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as TransientModelError).status).toBe(status);
  });

  it("a connection failure is transient", async () => {
    nock(ANTHROPIC).post("/v1/messages").replyWithError({ code: "ECONNRESET", message: "socket hang up" });
    const error = await failure(client().generateStructured(request()));
    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as Error).cause).toBeInstanceOf(APIConnectionError);
  });

  it("401 is permanent and says to set ANTHROPIC_API_KEY", async () => {
    nock(ANTHROPIC).post("/v1/messages").reply(401, errorBody("authentication_error", "invalid x-api-key"));

    const error = await failure(client().generateStructured(request()));

    expect(error).toBeInstanceOf(PermanentModelError);
    const e = error as PermanentModelError;
    expect(e.kind).toBe("authentication");
    expect(e.message).toMatch(/^Anthropic rejected the API key .*set ANTHROPIC_API_KEY/);
    expect(e.message).toContain("invalid x-api-key");
    expect(isTransientError(e)).toBe(false);
  });

  it("404 names the model and the setting to change", async () => {
    nock(ANTHROPIC).post("/v1/messages").reply(404, errorBody("not_found_error", "model: claude-3-opus-20240229"));

    const error = await failure(client().generateStructured(request("claude-3-opus-20240229")));

    expect(error).toBeInstanceOf(PermanentModelError);
    const e = error as PermanentModelError;
    expect(e.kind).toBe("model-not-found");
    expect(e.message).toContain("model claude-3-opus-20240229 not found");
    expect(e.message).toContain("models.architecture-review or models.default in .github/baton.yml");
  });

  it("a prompt that is too long is permanent and points at the step budget", async () => {
    nock(ANTHROPIC).post("/v1/messages").reply(400, errorBody("invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum"));

    const error = await failure(client().generateStructured(request()));

    expect(error).toBeInstanceOf(PermanentModelError);
    expect((error as PermanentModelError).kind).toBe("context-too-long");
    expect((error as Error).message).toContain("lower budgets.architecture-review in .github/baton.yml");
  });

  it("403 and other 400s are permanent", async () => {
    nock(ANTHROPIC).post("/v1/messages").reply(403, errorBody("permission_error", "Your API key does not have permission to use the specified resource."));
    nock(ANTHROPIC).post("/v1/messages").reply(400, errorBody("invalid_request_error", "tools.0.input_schema: JSON schema is invalid"));

    const forbidden = await failure(client().generateStructured(request()));
    const invalid = await failure(client().generateStructured(request()));

    expect((forbidden as PermanentModelError).kind).toBe("permission");
    expect((invalid as PermanentModelError).kind).toBe("invalid-request");
    expect((invalid as Error).message).toContain("tools.0.input_schema: JSON schema is invalid");
  });

  it("no API key at all is a permanent error on the first call, not at start-up", async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, token: process.env.ANTHROPIC_AUTH_TOKEN };
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_AUTH_TOKEN;
    try {
      const keyless = createAnthropicModelClient();
      const error = await failure(keyless.generateStructured(request()));
      expect(error).toBeInstanceOf(PermanentModelError);
      expect((error as PermanentModelError).kind).toBe("authentication");
      expect((error as Error).message).toContain("set ANTHROPIC_API_KEY");
    } finally {
      if (saved.key !== undefined) process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.token !== undefined) process.env.ANTHROPIC_AUTH_TOKEN = saved.token;
    }
  });
});

describe("isTransientError", () => {
  it("recognises SDK errors, HTTP statuses and network codes the job queue may see", () => {
    const headers = new Headers();
    expect(isTransientError(new RateLimitError(429, errorBody("rate_limit_error", "slow down"), undefined, headers))).toBe(true);
    expect(isTransientError(new InternalServerError(503, undefined, "unavailable", headers))).toBe(true);
    expect(isTransientError(new APIConnectionError({ message: "boom" }))).toBe(true);
    expect(isTransientError({ status: 502 })).toBe(true);
    expect(isTransientError({ status: 404 })).toBe(false);
    expect(isTransientError(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isTransientError(new Error("wrapper", { cause: Object.assign(new Error("x"), { code: "ETIMEDOUT" }) }))).toBe(true);
    expect(isTransientError(new PermanentModelError("authentication", "bad key", { status: 401 }))).toBe(false);
    expect(isTransientError(new ModelOutputError("bad output", { issues: [], output: null }))).toBe(false);
    expect(isTransientError(new Error("plain"))).toBe(false);
    expect(isTransientError("string")).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  it("reads retry-after-ms, seconds and HTTP dates", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "1500", "retry-after": "9" }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after": "2.5" }), now)).toBe(2500);
    expect(parseRetryAfter(new Headers({ "retry-after": "Sun, 01 Mar 2026 12:00:30 GMT" }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("ANTHROPIC_BASE_URL", () => {
  const saved = process.env.ANTHROPIC_BASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = saved;
  });

  it("sends requests to the endpoint named by the environment", async () => {
    process.env.ANTHROPIC_BASE_URL = "http://127.0.0.1:9999";
    const bodies: unknown[] = [];
    interceptMessages(bodies, "http://127.0.0.1:9999").reply(
      200,
      messageResponse({ model: "claude-sonnet-5-5", content: [{ type: "tool_use", id: "toolu_1", name: "write_adr", input: { title: "Queue" } }] }),
    );

    const result = await createAnthropicModelClient({ apiKey: "sk-local", maxRetries: 0, nativeStructuredOutput: false }).generateStructured(request());

    expect(result.value).toEqual({ title: "Queue" });
    expect(bodies).toHaveLength(1);
  });

  it("lets the baseURL option win over the environment, and names the endpoint on errors", async () => {
    process.env.ANTHROPIC_BASE_URL = "http://127.0.0.1:9999";
    nock("http://127.0.0.1:8888").post("/v1/messages").reply(401, errorBody("authentication_error", "invalid key"));

    const error = await failure(createAnthropicModelClient({ apiKey: "sk-local", baseURL: "http://127.0.0.1:8888", maxRetries: 0, nativeStructuredOutput: false }).generateStructured(request()));

    expect(error).toBeInstanceOf(PermanentModelError);
    expect((error as Error).message).toContain("http://127.0.0.1:8888");
  });
});
