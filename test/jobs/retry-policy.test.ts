import { describe, expect, it } from "vitest";
import { createRetryPolicy, defaultIsTransient, retryAfterMs, retryDelayMs } from "../../src/jobs/retry-policy.js";
import { httpError } from "./helpers.js";

describe("defaultIsTransient", () => {
  const cases: [string, unknown, boolean][] = [
    ["500", httpError(500), true],
    ["502", httpError(502), true],
    ["529 (Anthropic overloaded)", Object.assign(new Error("Overloaded"), { status: 529 }), true],
    ["429", httpError(429), true],
    ["408", httpError(408), true],
    ["403 secondary rate limit message", httpError(403, "You have exceeded a secondary rate limit. Please wait a few minutes."), true],
    ["403 with retry-after", httpError(403, "Forbidden", { "retry-after": "60" }), true],
    ["403 with x-ratelimit-remaining: 0", httpError(403, "API rate limit exceeded for installation", { "x-ratelimit-remaining": "0" }), true],
    ["403 resource not accessible", httpError(403, "Resource not accessible by integration", { "x-ratelimit-remaining": "4999" }), false],
    ["404", httpError(404), false],
    ["422", httpError(422, "Validation Failed"), false],
    ["401", httpError(401), false],
    ["ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), true],
    ["ETIMEDOUT", Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }), true],
    ["EAI_AGAIN", Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" }), true],
    ["fetch failed with a cause", new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }), true],
    ["bare fetch failed", new TypeError("fetch failed"), true],
    ["Anthropic connection error", Object.assign(new Error("Connection error."), { name: "APIConnectionError" }), true],
    ["a plain Error", new Error("model answer did not match the schema"), false],
    ["a thrown string", "boom", false],
    ["undefined", undefined, false],
    ["transient: true wins over status", Object.assign(httpError(400), { transient: true }), true],
    ["transient: false wins over status", Object.assign(httpError(503), { transient: false }), false],
  ];
  it.each(cases)("%s", (_name, error, expected) => {
    expect(defaultIsTransient(error)).toBe(expected);
  });

  it("reads headers from a fetch Headers object (Anthropic SDK errors)", () => {
    const error = Object.assign(new Error("rate limited"), { status: 403, headers: new Headers({ "retry-after": "3" }) });
    expect(defaultIsTransient(error)).toBe(true);
    expect(retryAfterMs(error)).toBe(3000);
  });
});

describe("retryAfterMs", () => {
  it("prefers an explicit retryAfterMs", () => {
    expect(retryAfterMs(Object.assign(new Error(), { retryAfterMs: 1234 }))).toBe(1234);
  });
  it("reads retry-after in seconds or as an HTTP date", () => {
    expect(retryAfterMs(httpError(429, "x", { "retry-after": "12" }))).toBe(12_000);
    const now = () => Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(httpError(429, "x", { "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }), now)).toBe(30_000);
  });
  it("waits for the rate-limit reset when none remain", () => {
    const now = () => 1_700_000_000_000;
    const error = httpError(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000045" });
    expect(retryAfterMs(error, now)).toBe(45_000);
  });
  it("is undefined without any hint", () => {
    expect(retryAfterMs(httpError(503))).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe("retryDelayMs", () => {
  it("doubles from the base delay, caps, and adds bounded jitter", () => {
    const policy = createRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 5000, jitterRatio: 0.5, random: () => 0 });
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
    const jittery = createRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 5000, jitterRatio: 0.5, random: () => 0.999 });
    expect(retryDelayMs(jittery, 1)).toBe(1500);
  });
  it("uses the server's wait, capped by maxRetryAfterMs", () => {
    const policy = createRetryPolicy({ maxRetryAfterMs: 60_000, random: () => 0 });
    expect(retryDelayMs(policy, 1, Object.assign(new Error(), { retryAfterMs: 5000 }))).toBe(5000);
    expect(retryDelayMs(policy, 1, Object.assign(new Error(), { retryAfterMs: 3_600_000 }))).toBe(60_000);
  });
  it("validates the policy", () => {
    expect(() => createRetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(createRetryPolicy().maxAttempts).toBe(4);
  });
});
