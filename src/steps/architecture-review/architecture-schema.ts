import { z } from "zod";

/**
 * What the model must answer for an architecture review: the ADR in full
 * MADR, as data (Baton writes the file). A senior architect's ADR names the
 * forces (drivers), weighs at least two real options with their good and
 * bad points, says what was chosen and what follows from it, and how
 * compliance is confirmed; module guidance is rules the review can check.
 */

const ruleSchema = z.object({
  level: z.enum(["MUST", "MUST NOT"]).describe("MUST: code in the module has to do this; MUST NOT: code in the module may never do this."),
  rule: z.string().min(3).max(300).describe("The rule, one sentence, without the MUST / MUST NOT (e.g. 'clamp every pagination limit to 50 before querying')."),
  check: z.string().min(3).max(300).describe("How a reviewer checks it in a diff (e.g. 'every handler reading `limit` passes it through clampLimit()')."),
});

export const architectureAnswerSchema = z.object({
  title: z.string().min(3).max(120).describe("The decision, as a short imperative title (e.g. 'Store sessions in Redis')."),
  context: z.string().min(1).describe("Context and problem statement: what forces this decision, citing the spec."),
  drivers: z.array(z.string().min(3).max(300)).min(1).max(8).describe("Decision drivers: the forces and requirements the options are judged against, one each."),
  options: z
    .array(
      z.object({
        name: z.string().min(1).max(120),
        description: z.string().max(2000).optional(),
        good: z.array(z.string().min(3).max(400)).min(1).max(6).describe("What speaks for this option: the reasons only, one each (Baton writes them as 'Good, because <reason>')."),
        bad: z.array(z.string().min(3).max(400)).min(1).max(6).describe("What speaks against it: the reasons only, one each (Baton writes them as 'Bad, because <reason>')."),
      }),
    )
    .min(2)
    .max(6)
    .describe("At least two options really considered, the chosen one included, each with its good and bad points."),
  decision: z.string().min(1).describe("Decision outcome: the chosen option and why, against the drivers, in a few sentences."),
  consequences: z.array(z.string().min(1)).min(1).max(12).describe("Bullets starting 'Good, because …' or 'Bad, because …'."),
  confirmation: z.string().min(10).max(1500).describe("Confirmation: how compliance with this decision is checked (the review step applies the module rules below; name any test, lint or fitness function too)."),
  modules: z.array(z.string().min(1)).max(12).describe("Names of modules from the module map that this decision affects."),
  guidance: z
    .array(z.object({ module: z.string().min(1), rules: z.array(ruleSchema).min(1).max(10) }))
    .describe("One entry per affected module: MUST / MUST NOT rules for code in that module, each with the check the review applies."),
  supersedes: z.array(z.number().int().nonnegative()).max(5).describe("Numbers of existing ADRs this decision replaces (from the ADR index); empty if none."),
});

export type ArchitectureAnswer = z.infer<typeof architectureAnswerSchema>;
export type ModuleRule = z.infer<typeof ruleSchema>;

/** Module guidance as Markdown: one line per rule, the level in bold, then the check. The review reads it rule by rule. */
export function renderRules(rules: readonly ModuleRule[], clean: (text: string) => string = (t) => t): string {
  return rules.map((r) => `- **${r.level}** ${oneLine(clean(r.rule))}. _Check:_ ${oneLine(clean(r.check))}`.replace(/\.\. _Check/, ". _Check")).join("\n");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
