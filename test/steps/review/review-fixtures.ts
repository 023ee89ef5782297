import { defaultConfig, type BatonConfig } from "../../../src/config/config-schema.js";
import type { AdrRecord } from "../../../src/context-store/adr/adr-record.js";
import type { ContextBlock } from "../../../src/graph/context-candidate.js";
import { declareSteps } from "../../../src/graph/default-steps.js";
import type { Manifest } from "../../../src/graph/manifest.js";
import { manifestToMarkdown } from "../../../src/graph/render-manifest.js";
import type { ResolvedContext } from "../../../src/graph/resolve-context.js";
import type { ConverseRequest, ConverseResult, ModelClient, StructuredRequest, StructuredResult } from "../../../src/model/model-client.js";
import { parseUnifiedDiff, type DiffFile } from "../../../src/steps/review/diff-files.js";
import type { ReviewAnswer } from "../../../src/steps/review/review-schema.js";
import type { ReviewStepInput } from "../../../src/steps/review/review-step.js";

export const BASE_SHA = "1111111111111111111111111111111111111111";
export const FIRST_SHA = "2222222222222222222222222222222222222222";
export const HEAD_SHA = "3333333333333333333333333333333333333333";
export const CONTEXT_COMMIT = "9999999999999999999999999999999999999999";

/** A PR that adds tax to invoice totals and a refund endpoint. */
export const PR_DIFF = `diff --git a/src/billing/invoice.ts b/src/billing/invoice.ts
index 3b18e51..a9c0d2f 100644
--- a/src/billing/invoice.ts
+++ b/src/billing/invoice.ts
@@ -40,8 +40,10 @@ export function total(invoice: Invoice): Money {
   let sum = 0;
   for (const line of invoice.lines) {
-    sum += line.quantity * line.unitPrice;
+    sum += line.quantity * line.unitPrice * 1.0;
   }
-  return new Money(sum, invoice.currency);
+  const tax = sum * TAX_RATE;
+  const rounded = Math.round(sum + tax);
+  return new Money(rounded, invoice.currency);
 }
 
 export function isEmpty(invoice: Invoice): boolean {
diff --git a/src/api/refunds.ts b/src/api/refunds.ts
new file mode 100644
index 0000000..7c4a8d0
--- /dev/null
+++ b/src/api/refunds.ts
@@ -0,0 +1,7 @@
+import { db } from "../db.js";
+
+export async function refund(req: Request): Promise<Response> {
+  const body = await req.json();
+  await db.query("UPDATE invoices SET refunded = true WHERE id = " + body.id);
+  return new Response("ok");
+}
`;

export function prDiffFiles(): DiffFile[] {
  return parseUnifiedDiff(PR_DIFF);
}

const ADR_12_TEXT = `---
status: accepted
date: 2026-10-02
modules: [billing, api]
spec: "#12"
---
# 12. Money is integer cents, rounded half-even

## Decision
Amounts are integer cents. Rounding is half-even, done once, in billing/rounding.ts.

## Module guidance
### billing
Never use floating-point arithmetic on money; call roundHalfEven.
### api
Endpoints never build SQL by string concatenation; use db.sql tagged templates.
`;

const PITFALLS_TEXT = `# Pitfalls: billing

## P-3 Math.round is not half-even
Learned in #40 (review comment), 2026-09-14. Math.round rounds half up; invoices must round half-even.
`;

const SPEC_TEXT = `Issue #12: Add tax to invoice totals

- R1: invoice totals include tax at TAX_RATE
- R2: amounts are rounded half-even to the cent
- R3: refunds can be issued through the API`;

function adrRecord(): AdrRecord {
  return {
    file: "0012-money-is-integer-cents.md",
    number: 12,
    title: "Money is integer cents, rounded half-even",
    status: "accepted",
    rawStatus: "accepted",
    supersededBy: [],
    supersedes: [],
    date: "2026-10-02",
    modules: ["billing", "api"],
    spec: "#12",
    sections: [],
    guidance: { billing: "Never use floating-point arithmetic on money; call roundHalfEven.", api: "Endpoints never build SQL by string concatenation." },
    warnings: [],
  };
}

function block(selector: ContextBlock["selector"], label: string, identity: string, text: string, trusted: boolean): ContextBlock {
  return { selector, label, identity, text, truncatable: false, trusted, tokens: Math.ceil(text.length / 4) };
}

export function reviewContext(config: BatonConfig = defaultConfig()): ResolvedContext {
  const step = declareSteps(config).review;
  const blocks: ContextBlock[] = [
    block("spec", "Issue #12: Add tax to invoice totals", "issue#12@2026-11-25T10:00:00Z", SPEC_TEXT, false),
    block("adr:linked", "ADR 12: Money is integer cents, rounded half-even", "docs/adr/0012-money-is-integer-cents.md@abc123", ADR_12_TEXT, true),
    block("pitfalls:modules", "Pitfalls: billing", "docs/pitfalls/billing.md@def456", PITFALLS_TEXT, true),
    { ...block("diff", `Diff ${BASE_SHA.slice(0, 12)}..${HEAD_SHA.slice(0, 12)} (2 files)`, `diff ${BASE_SHA.slice(0, 12)}..${HEAD_SHA.slice(0, 12)}`, PR_DIFF, false), code: true },
  ];
  const manifest: Manifest = {
    step: { id: step.id, version: step.version },
    model: step.model,
    commit: CONTEXT_COMMIT,
    budget: step.budget,
    usedTokens: blocks.reduce((sum, b) => sum + b.tokens, 0),
    inputs: blocks.map((b) => ({ selector: b.selector, label: b.label, identity: b.identity, tokens: b.tokens })),
    omitted: [],
    notes: ["modules concerned: api, billing"],
  };
  const record = adrRecord();
  const stored = { path: "docs/adr/0012-money-is-integer-cents.md", sha: "abc123", record };
  return {
    step,
    blocks,
    manifest,
    store: {
      commit: CONTEXT_COMMIT,
      adrFolder: "docs/adr",
      adrFolderReason: "default folder",
      adrs: [stored],
      pitfallPaths: new Map([["billing", { path: "docs/pitfalls/billing.md", sha: "def456" }]]),
      warnings: [],
    },
    moduleMap: {
      modules: [
        { name: "api", globs: ["src/api/**"] },
        { name: "billing", globs: ["src/billing/**"] },
      ],
      inferred: false,
    },
    modules: ["api", "billing"],
    linked: [stored],
  };
}

export function withReview(overrides: Partial<BatonConfig["review"]>): BatonConfig {
  const config = defaultConfig();
  return { ...config, review: { ...config.review, ...overrides } };
}

export function stepInput(overrides: Partial<ReviewStepInput> = {}): ReviewStepInput {
  const config = overrides.config ?? defaultConfig();
  const context = overrides.context ?? reviewContext(config);
  return {
    context,
    repo: { owner: "acme", repo: "shop", defaultBranch: "main" },
    pull: { number: 15, title: "Add tax to invoice totals", headSha: HEAD_SHA, baseSha: BASE_SHA },
    diffFiles: prDiffFiles(),
    incremental: false,
    previous: null,
    config,
    manifestMarkdown: manifestToMarkdown(context.manifest, { heading: "Context used" }),
    ...overrides,
  };
}

/** A model answer that cites real diff lines, one line outside the diff, and a file outside the diff. */
export function cannedAnswer(overrides: Partial<ReviewAnswer> = {}): ReviewAnswer {
  return {
    summary: "Adds tax to totals and a refund endpoint. Rounding does not follow ADR 12 and the endpoint is open to SQL injection.",
    specCompliance: [
      { requirement: "R1: invoice totals include tax at TAX_RATE", status: "met", evidence: "src/billing/invoice.ts:45" },
      { requirement: "R2: amounts are rounded half-even", status: "missing", evidence: "Math.round at src/billing/invoice.ts:45" },
      { requirement: "R3: refunds through the API", status: "partial", evidence: "src/api/refunds.ts exists, no auth" },
    ],
    adrConformance: [{ adr: "ADR 12", rule: "billing MUST NOT use floating-point arithmetic on money", status: "deviates", note: "float arithmetic and Math.round in billing" }],
    resolved: [],
    findings: [
      {
        severity: "critical",
        path: "src/api/refunds.ts",
        line: 5,
        code: '  await db.query("UPDATE invoices SET refunded = true WHERE id = " + body.id);',
        confidence: 0.95,
        suggestion: "  await db.sql`UPDATE invoices SET refunded = true WHERE id = ${body.id}`;",
        lesson: "Never build SQL by string concatenation; use db.sql tagged templates.",
        title: "SQL built by string concatenation",
        body: "`body.id` goes straight into SQL. Use the `db.sql` tagged template (ADR 12, api guidance).",
        source: "adr:12",
      },
      {
        severity: "high",
        path: "src/billing/invoice.ts",
        line: 45,
        code: "const rounded = Math.round(sum + tax);",
        confidence: 0.9,
        title: "Math.round is not half-even",
        body: "Totals must round half-even; call roundHalfEven.",
        source: "pitfall:P-3",
      },
      {
        severity: "medium",
        path: "src/billing/invoice.ts",
        line: 300,
        code: 'import { TAX_RATE } from "./tax.js";',
        confidence: 0.8,
        title: "TAX_RATE is not imported",
        body: "TAX_RATE is used but never imported in this file.",
        source: "general",
      },
      {
        severity: "low",
        path: "src/billing/rounding.ts",
        line: 3,
        code: "export function roundHalfEven(x: number): number {",
        confidence: 0.7,
        title: "roundHalfEven lacks tests",
        body: "The helper the ADR relies on has no tests.",
        source: "general",
      },
    ],
    ...overrides,
  };
}

/** The fake model at the interface boundary: records each request, returns the canned answer. */
export class FakeModel implements ModelClient {
  readonly requests: StructuredRequest<unknown>[] = [];
  /** `verdicts`: the answer to the verification pass (none refuted by default). */
  constructor(
    private readonly answer: ReviewAnswer,
    private readonly verdicts: { id: string; verdict: "confirmed" | "refuted"; reason: string }[] = [],
  ) {}

  async generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    this.requests.push(req as StructuredRequest<unknown>);
    // Validate like the real client does, so a fixture that breaks the schema fails the test.
    const value = req.schema.parse(req.schemaName === "verify_findings" ? { verdicts: this.verdicts } : this.answer);
    return { value, usage: { inputTokens: 4200, outputTokens: 900, cacheReadTokens: 1000, cacheWriteTokens: 0 }, model: req.model, repaired: false };
  }

  async converse(_req: ConverseRequest): Promise<ConverseResult> {
    throw new Error("the review step never converses");
  }
}
