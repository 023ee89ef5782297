import { z } from "zod";
import type { ModelClient, PromptBlock, Usage } from "../../model/model-client.js";
import { ZERO_USAGE } from "../../model/model-client.js";
import type { NewFinding } from "./review-findings.js";
import { SEVERITY_RANK } from "./review-schema.js";

/**
 * A second look before a high or critical finding is posted: the model
 * re-checks each one against the code it was given, with the same system
 * prompt and context (so the cached prefix is reused), and refutes what the
 * code contradicts. Lower findings are not re-checked: a wrong "low" costs a
 * reader a glance; a wrong "critical" fails the check run.
 */

export const VERIFY_SCHEMA_NAME = "verify_findings";
const VERIFY_MAX_TOKENS = 3000;

export const verifyAnswerSchema = z.object({
  verdicts: z
    .array(
      z.object({
        id: z.string().min(1).max(40).describe("The finding's id, as listed."),
        verdict: z.enum(["confirmed", "refuted"]).describe("refuted: the code shown contradicts the finding (the case is handled, the symbol exists, the claim is wrong); confirmed otherwise."),
        reason: z.string().min(1).max(500).describe("One sentence: the line or fact that decides it."),
      }),
    )
    .max(60)
    .describe("One verdict per finding listed."),
});

export interface Verification {
  kept: NewFinding[];
  removed: { finding: NewFinding; reason: string }[];
  usage: Usage;
  /** A model call was made. */
  checked: number;
}

export function needsVerification(f: { severity: NewFinding["severity"] }): boolean {
  return SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high;
}

export async function verifyFindings(
  findings: NewFinding[],
  call: { model: ModelClient; modelName: string; system: string; context: PromptBlock[] },
): Promise<Verification> {
  const toCheck = findings.filter(needsVerification);
  if (toCheck.length === 0) return { kept: findings, removed: [], usage: { ...ZERO_USAGE }, checked: 0 };
  const listed = toCheck
    .map((f) => [`- id ${f.id} [${f.severity}] ${f.path}:${f.startLine ? `${f.startLine}-` : ""}${f.line}: ${f.title}`, `  claim: ${f.body.replace(/\s+/g, " ")}`, `  code: ${f.code.replace(/\n/g, "\n        ")}`].join("\n"))
    .join("\n");
  const result = await call.model.generateStructured({
    stepId: "review",
    model: call.modelName,
    system: call.system,
    context: [...call.context, { label: "findings to verify (from the first pass of this review)", text: `${listed}\n`, untrusted: true }],
    instruction:
      "Before these findings are posted, verify each one listed in the block of findings to verify against the code in the diff and the context. " +
      "Refute a finding only when the code shown contradicts it; confirm it otherwise. Answer by calling the tool once with one verdict per id.",
    schema: verifyAnswerSchema,
    schemaName: VERIFY_SCHEMA_NAME,
    schemaDescription: "Confirm or refute each finding of the first pass.",
    maxTokens: VERIFY_MAX_TOKENS,
  });
  const refuted = new Map(result.value.verdicts.filter((v) => v.verdict === "refuted").map((v) => [v.id.trim().toLowerCase(), v.reason]));
  const removed = toCheck.flatMap((f) => (refuted.has(f.id) ? [{ finding: f, reason: refuted.get(f.id)! }] : []));
  return { kept: findings.filter((f) => !refuted.has(f.id) || !needsVerification(f)), removed, usage: result.usage, checked: toCheck.length };
}
