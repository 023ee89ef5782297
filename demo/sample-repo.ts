import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { renderAdrIndex } from "../src/context-store/adr/adr-index.js";
import { parseAdr } from "../src/context-store/adr/parse-adr.js";
import { renderAdr } from "../src/context-store/adr/write-adr.js";
import { appendPitfall } from "../src/context-store/pitfalls/write-pitfalls.js";
import { gitEnv } from "../src/snapshot/git-process.js";

/**
 * The sample repository the demo runs Baton on: a tiny HTTP API ("acme-shop")
 * with three modules, two ADRs already accepted, one pitfall file and the
 * spec the demo turns into an ADR, code and a review. Everything the
 * recorded model answers say about it (paths, line numbers, names) refers to
 * the files below: change them together with demo/recording.json.
 */

export const SPEC_PATH = "docs/specs/rate-limiting.md";

const BATON_YML = `# Baton's configuration for this repository: one module map for every step.
modules:
  api: [src/api]
  web: [src/web]
  billing: [src/billing]
`;

const PACKAGE_JSON = `{
  "name": "acme-shop",
  "version": "1.4.0",
  "private": true,
  "type": "module",
  "scripts": {
    "start": "node --experimental-strip-types src/api/server.ts",
    "test": "node test/imports.test.mjs"
  }
}
`;

/** The sample's test: every relative import of src/ names a file that exists (runs on any Node, no dependencies). */
const IMPORTS_TEST = `import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name));
    else if (e.name.endsWith(".ts")) files.push(join(dir, e.name));
  }
};
walk("src");
const missing = [];
for (const file of files) {
  for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "(\\.{1,2}\\/[^"]+)"/g)) {
    const target = join(dirname(file), spec.replace(/\\.js$/, ".ts"));
    if (!existsSync(target)) missing.push(\`\${file}: \${spec}\`);
  }
}
if (missing.length) {
  console.log(\`imports: \${missing.length} broken\\n\${missing.join("\\n")}\`);
  process.exit(1);
}
console.log(\`imports: \${files.length} files, every relative import resolves\`);
`;

const README = `# acme-shop

The Acme shop: a public HTTP API (\`src/api\`), the web storefront (\`src/web\`)
and invoicing (\`src/billing\`). Decisions live in \`docs/adr\`, lessons in
\`docs/pitfalls\`, specs in \`docs/specs\`.
`;

const API_SERVER = `import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { authenticate } from "./auth.js";
import { listProducts } from "./products.js";

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") return sendJson(res, 200, { ok: true });

  const key = authenticate(req);
  if (!key) return sendJson(res, 401, { error: "invalid_api_key" });

  if (req.method === "GET" && url.pathname === "/v1/products") return sendJson(res, 200, listProducts());
  sendJson(res, 404, { error: "not_found" });
}

export const server = createServer(handle);
`;

const API_AUTH = `import type { IncomingMessage } from "node:http";

/** An API key as handlers see it: never the secret itself (ADR 2). */
export interface ApiKey {
  keyId: string;
  accountId: string;
  plan: "free" | "pro";
}

// Loaded from the accounts service at start-up in production.
const KEYS = new Map<string, ApiKey>([
  ["sk_test_4f9a", { keyId: "key_01", accountId: "acct_acme", plan: "pro" }],
  ["sk_test_77c2", { keyId: "key_02", accountId: "acct_globex", plan: "free" }],
]);

/** Resolves the \`x-api-key\` header once per request; null when missing or unknown. */
export function authenticate(req: IncomingMessage): ApiKey | null {
  const header = req.headers["x-api-key"];
  const secret = Array.isArray(header) ? header[0] : header;
  return (secret && KEYS.get(secret)) || null;
}
`;

const API_PRODUCTS = `export interface Product {
  sku: string;
  name: string;
  priceCents: number;
}

const PRODUCTS: Product[] = [
  { sku: "ANV-001", name: "Anvil", priceCents: 4999 },
  { sku: "RKT-002", name: "Rocket skates", priceCents: 12900 },
];

export function listProducts(): Product[] {
  return PRODUCTS;
}
`;

const WEB_APP = `/** The storefront's API client. */
export async function fetchProducts(apiKey: string): Promise<unknown> {
  const res = await fetch("/v1/products", { headers: { "x-api-key": apiKey } });
  if (!res.ok) throw new Error(\`products: HTTP \${res.status}\`);
  return res.json();
}
`;

const BILLING_INVOICE = `export interface InvoiceLine {
  sku: string;
  quantity: number;
  unitCents: number;
}

/** Totals are integers in cents: never floats. */
export function invoiceTotal(lines: InvoiceLine[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
}
`;

const ADR_0001 = `# 1. Record architecture decisions

Date: 2024-03-04

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard in
http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions

## Consequences

See Michael Nygard's article, linked above. New ADRs are proposed as pull
requests; merging the pull request accepts the decision.
`;

const ADR_0002 = renderAdr({
  number: 2,
  title: "Authenticate API requests with per-account API keys",
  status: "accepted",
  date: "2024-05-21",
  modules: ["api"],
  spec: null,
  supersedes: [],
  supersededBy: [],
  context: "The public API is used by partners' servers, not by browsers with a session. We need to know which account makes each request, revoke access per partner, and bill by usage.",
  options: [
    { name: "Per-account API keys in an `x-api-key` header", description: "Simple for partners; keys are revocable one by one." },
    { name: "OAuth 2 client credentials", description: "Standard, but partners would need a token endpoint and refresh logic for a read-mostly API." },
  ],
  decision: "Chosen option: per-account API keys, because partners integrate in minutes and a key can be revoked without touching other partners.",
  consequences: ["Good, because every request is attributable to an account and a key.", "Bad, because a leaked key works until it is revoked: keys must never be logged."],
  guidance: {
    api: "Resolve the key once, in `authenticate()` (`src/api/auth.ts`); handlers receive the `ApiKey` and never read the `x-api-key` header themselves. Anything stored per client is keyed by `keyId`, never by the secret.",
  },
});

const SPEC = `# Rate-limit the public API per API key

Partners' batch jobs sometimes call \`/v1/*\` thousands of times a minute and
slow the API down for everyone. We want a fair share per API key.

## Requirements

1. Each API key may make at most 60 requests per minute to \`/v1/*\`, with
   short bursts allowed.
2. A request over the limit gets \`429 Too Many Requests\`, a \`Retry-After\`
   header (whole seconds) and the body \`{ "error": "rate_limited" }\`.
3. Every \`/v1/*\` response carries \`X-RateLimit-Limit\` and
   \`X-RateLimit-Remaining\`.
4. \`/healthz\` is never limited.

## Out of scope

- Limits per plan (free / pro) come later; keep the limit in one place.
- We run a single API instance today: no new infrastructure for now, but do
  not rule out a shared store when we scale out.
`;

/** Pitfalls as `/baton remember` would have written them, from two earlier PRs. */
function pitfallsApi(): string {
  let text: string | null = null;
  text = appendPitfall(text, "api", {
    title: "In-memory maps in the API server must be bounded",
    lesson: "The API process runs for weeks between deploys. A `Map` keyed by something clients control (API key, IP, path) grows for as long as the process lives: evict stale entries, or cap the size.",
    why: "an unbounded per-client cache took the API down with an out-of-memory crash in March.",
    source: { url: "https://github.com/acme/shop/pull/41#discussion_r1570233" },
    date: "2024-03-18",
  }).content;
  text = appendPitfall(text, "api", {
    title: "Never put an API key's secret in logs or error bodies",
    lesson: "Log and key state by `keyId` (from `authenticate()`), never by the `x-api-key` value.",
    why: "a partner's live key was readable in our log archive for a month.",
    source: { url: "https://github.com/acme/shop/pull/57" },
    date: "2024-06-02",
  }).content;
  return text;
}

function adrIndex(): string {
  return renderAdrIndex([parseAdr("0001-record-architecture-decisions.md", ADR_0001), parseAdr("0002-authenticate-api-requests-with-api-keys.md", ADR_0002)]);
}

export function sampleFiles(): Record<string, string> {
  return {
    "README.md": README,
    "package.json": PACKAGE_JSON,
    "test/imports.test.mjs": IMPORTS_TEST,
    ".github/baton.yml": BATON_YML,
    "src/api/server.ts": API_SERVER,
    "src/api/auth.ts": API_AUTH,
    "src/api/products.ts": API_PRODUCTS,
    "src/web/app.ts": WEB_APP,
    "src/billing/invoice.ts": BILLING_INVOICE,
    "docs/adr/0001-record-architecture-decisions.md": ADR_0001,
    "docs/adr/0002-authenticate-api-requests-with-api-keys.md": ADR_0002,
    "docs/adr/README.md": adrIndex(),
    "docs/pitfalls/api.md": pitfallsApi(),
    [SPEC_PATH]: SPEC,
  };
}

/** Runs git in the sample repository, isolated from the user's global hooks and signing settings. */
export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Creates the sample repository in a new temporary folder and returns its path. */
export function createSampleRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "baton-demo-"));
  git(root, ["init", "-q", "-b", "main"]);
  for (const [key, value] of [
    ["user.name", "Ada Lead"],
    ["user.email", "ada@acme.example"],
    ["commit.gpgsign", "false"],
    ["core.hooksPath", "/dev/null"],
  ] as const) {
    git(root, ["config", "--local", key, value]);
  }
  for (const [path, content] of Object.entries(sampleFiles())) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  git(root, ["add", "-A"]);
  git(root, ["commit", "-q", "-m", "Initial sample repository"]);
  return root;
}
