import { z } from "zod";

/**
 * What the model must answer for a review, as data. Baton decides what
 * becomes an inline comment, what is a duplicate and what the check run
 * concludes; the model only judges the change.
 */

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for sorting and for `review.failOn`. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export const MAX_FINDINGS = 50;

const requirementSchema = z.object({
  requirement: z.string().min(1).max(300).describe("One requirement of the spec, quoted or closely paraphrased (one row per requirement, in the spec's order)."),
  status: z
    .enum(["met", "partial", "missing", "not-applicable"])
    .describe("met: the diff implements it; partial: part of it is missing or wrong; missing: nothing in the diff implements it; not-applicable: not meant for this change."),
  evidence: z.string().max(500).describe("Where in the diff (path:line) it is met, or what is missing. Short."),
});

const adrSchema = z.object({
  adr: z.string().min(1).max(80).describe('The ADR as "ADR <number>" (e.g. "ADR 12"), or its file name when it has no number.'),
  status: z.enum(["conforms", "deviates", "not-applicable"]).describe("Whether the diff follows the decision and its module guidance."),
  note: z.string().max(500).describe("Why: the guidance followed or the deviation, with path:line when there is one."),
});

const findingSchema = z.object({
  severity: z
    .enum(SEVERITIES)
    .describe("critical: data loss, security hole or outage; high: a bug or a violated ADR/spec requirement; medium: a likely problem or a known pitfall; low: a minor issue worth fixing."),
  path: z.string().min(1).max(400).describe("Path of the changed file, exactly as in the diff header (new side)."),
  line: z.number().int().min(1).describe("Line number on the new side of the diff (the number shown in the numbered diff), on or next to the problem."),
  title: z.string().min(3).max(140).describe("The problem in one short sentence, without the path or line (it identifies the finding across pushes)."),
  body: z.string().min(1).max(3000).describe("What is wrong, why it matters, and the fix. Markdown; cite the spec, ADR or pitfall when that is the source."),
  source: z
    .string()
    .min(1)
    .max(120)
    .describe('Where the rule comes from: "spec", "adr:<number>" (e.g. "adr:12"), "pitfall:<entry id or title>", or "general" for problems found without the context.'),
});

export const reviewAnswerSchema = z.object({
  summary: z.string().min(1).max(2000).describe("Two to five sentences: what the change does and the overall verdict against the spec and ADRs."),
  specCompliance: z
    .array(requirementSchema)
    .max(40)
    .describe("The spec, requirement by requirement. Empty when no spec was given."),
  adrConformance: z.array(adrSchema).max(20).describe("One entry per ADR given in the context. Empty when no ADR was given."),
  findings: z
    .array(findingSchema)
    .max(MAX_FINDINGS)
    .describe("Real problems in the changed lines only, most severe first. Empty when there are none: do not pad with nitpicks."),
});

export type ReviewAnswer = z.output<typeof reviewAnswerSchema>;
export type ReviewFinding = ReviewAnswer["findings"][number];
export type SpecRequirement = ReviewAnswer["specCompliance"][number];
export type AdrConformance = ReviewAnswer["adrConformance"][number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}
