/**
 * What the fake Anthropic endpoint answers to Baton's own steps, decided by
 * the tools a request offers: `write_adr` (architecture review), `submit_review`
 * (review) and the built-in dev loop's tools (`write_file`, `finish`…).
 */

export type Json = Record<string, unknown>;

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

export function reviewAnswer(target: { path: string; line: number; code: string } | null): Json {
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


/** The built-in dev loop: write the rate limiter, then, once a tool result came back, finish. */
export function builtinDevAnswer(toolResults: number): Json[] {
  return toolResults === 0
    ? [{ type: "text", text: "I will add the rate limiter the ADR describes." }, toolUse("write_file", { path: DEV_FILE_PATH, content: DEV_FILE_CONTENT })]
    : [toolUse("finish", { summary: `Added \`${DEV_FILE_PATH}\`: a token bucket per client, as ADR 1 decides.` })];
}

let toolUseCounter = 0;
export function toolUse(name: string, input: unknown, id?: string): Json {
  return { type: "tool_use", id: id ?? `toolu_fake_${(++toolUseCounter).toString(36).padStart(6, "0")}`, name, input };
}

/** All the text of a message's content (strings, text blocks, tool results), for matching. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join("\n");
  if (value && typeof value === "object") {
    const v = value as Json;
    if (typeof v.text === "string") return v.text;
    if ("content" in v) return textOf(v.content);
  }
  return "";
}

