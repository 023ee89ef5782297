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
  rule: z.string().max(300).default("").describe("The MUST / MUST NOT rule of the ADR's module guidance this row judges, quoted; empty for the ADR as a whole."),
  status: z.enum(["conforms", "deviates", "not-applicable"]).describe("Whether the diff follows the decision and its module guidance."),
  note: z.string().max(500).describe("Why: the guidance followed or the deviation, with path:line when there is one."),
});

const findingSchema = z.object({
  severity: z
    .enum(SEVERITIES)
    .describe("critical: data loss, security hole or outage; high: a bug or a violated ADR/spec requirement; medium: a likely problem or a known pitfall; low: a minor issue worth fixing."),
  path: z.string().min(1).max(400).describe("Path of the changed file, exactly as in the diff header (new side)."),
  startLine: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("First new-side line of the code the finding is about, when it spans several lines; omit for one line."),
  line: z.number().int().min(1).describe("Last (or only) new-side line of the code the finding is about, as numbered in the diff."),
  code: z
    .string()
    .min(1)
    .max(2000)
    .describe("The new-side code of lines startLine..line, copied exactly from the diff (without line numbers or +/- markers). Findings whose code is not in the diff are dropped."),
  title: z.string().min(3).max(140).describe("The problem in one short sentence, without the path or line."),
  body: z.string().min(1).max(3000).describe("What is wrong, why it matters, and the fix. Markdown; cite the spec, ADR or pitfall when that is the source."),
  suggestion: z
    .string()
    .max(4000)
    .optional()
    .describe("Optional: the replacement for lines startLine..line exactly as they should read (the whole lines, with their indentation), when the fix is local to them. GitHub offers it as a one-click commit."),
  confidence: z.number().min(0).max(1).describe("How sure you are that this is a real problem, from 0 to 1, after checking the code shown (1: certain)."),
  lesson: z
    .string()
    .max(400)
    .optional()
    .describe("Optional: the rule behind this finding that would apply beyond this pull request, in one imperative sentence (a future pitfall entry), e.g. \"Clamp every pagination limit before querying.\""),
  source: z
    .string()
    .min(1)
    .max(120)
    .describe('Where the rule comes from: "spec", "adr:<number>" (e.g. "adr:12"), "pitfall:<entry id or title>", or "general" for problems found without the context.'),
});

/**
 * The order of the properties is the order the model writes them in: the
 * findings first, then the judgement of the spec and ADRs, and the verdict
 * (the summary) last, so the verdict follows from what was found.
 */
export const reviewAnswerSchema = z.object({
  findings: z
    .array(findingSchema)
    .max(MAX_FINDINGS)
    .describe("Real problems in the changed lines only, most severe first. Empty when there are none: do not pad with nitpicks."),
  resolved: z
    .array(z.string().min(1).max(40))
    .max(200)
    .default([])
    .describe("Ids of open findings listed as already reported that this push fixes. Leave out any you are not sure of."),
  specCompliance: z
    .array(requirementSchema)
    .max(40)
    .describe("The spec, requirement by requirement. Empty when no spec was given."),
  adrConformance: z
    .array(adrSchema)
    .max(60)
    .describe("The ADRs given, rule by rule: one entry per MUST / MUST NOT rule of their module guidance (or per ADR when its guidance has no rules). Empty when no ADR was given."),
  summary: z.string().min(1).max(2000).describe("Last, your verdict: two to five sentences on what the change does and how it stands against the spec and ADRs, given the findings above."),
});

export type ReviewAnswer = z.output<typeof reviewAnswerSchema>;
export type ReviewFinding = ReviewAnswer["findings"][number];
export type SpecRequirement = ReviewAnswer["specCompliance"][number];
export type AdrConformance = ReviewAnswer["adrConformance"][number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}
