import { z } from "zod";

/** What the model must answer for an architecture review: the ADR, as data (Baton writes the file). */
export const architectureAnswerSchema = z.object({
  title: z.string().min(3).max(120).describe("The decision, as a short imperative title (e.g. 'Store sessions in Redis')."),
  context: z.string().min(1).describe("Context and problem statement: what forces this decision, citing the spec."),
  options: z
    .array(z.object({ name: z.string().min(1).max(120), description: z.string().max(2000).optional() }))
    .min(1)
    .max(6)
    .describe("Options considered, the chosen one included."),
  decision: z.string().min(1).describe("The chosen option and why, in a few sentences."),
  consequences: z.array(z.string().min(1)).max(12).describe("Bullets starting 'Good, because …' or 'Bad, because …'."),
  modules: z.array(z.string().min(1)).max(12).describe("Names of modules from the module map that this decision affects."),
  guidance: z
    .array(z.object({ module: z.string().min(1), guidance: z.string().min(1) }))
    .describe("One entry per affected module: what code in that module must do or avoid under this decision."),
  supersedes: z.array(z.number().int().nonnegative()).max(5).describe("Numbers of existing ADRs this decision replaces (from the ADR index); empty if none."),
});

export type ArchitectureAnswer = z.infer<typeof architectureAnswerSchema>;
