import { STEP_IDS, type StepId } from "./config-schema.js";

/**
 * One vocabulary for the steps, wherever a person names one (`baton context
 * <step>`, `/baton context <step>`, the commands themselves): the step's id,
 * or the word its command uses. Every place that takes a step name reads it here.
 */
const ALIASES: Readonly<Record<string, StepId>> = {
  "architecture-review": "architecture-review",
  architecture: "architecture-review",
  architect: "architecture-review",
  arch: "architecture-review",
  dev: "dev",
  develop: "dev",
  review: "review",
  learning: "learning",
  learn: "learning",
  remember: "learning",
};

/** The step a word names (any case), or null. */
export function stepIdOf(word: string): StepId | null {
  const key = word.trim().toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null;
}

/** "architecture-review (architect), dev, review, learning (remember)": for help and refusals. */
export function describeStepNames(): string {
  return STEP_IDS.map((id) => {
    const command = id === "architecture-review" ? "architect" : id === "learning" ? "remember" : null;
    return command ? `${id} (or ${command})` : id;
  }).join(", ");
}
