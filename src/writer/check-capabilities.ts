import type { OutputKind } from "../config/config-schema.js";
import type { StepDeclaration } from "../graph/step-declaration.js";
import { stepPathPolicy } from "../policy/path-policy.js";
import type { Intent } from "./intents.js";

/** Which declared output an intent needs. */
const NEEDS: Record<Intent["kind"], OutputKind> = {
  commit: "commit",
  "pull-request": "pull-request",
  "close-pull-request": "pull-request",
  comment: "comment",
  review: "review",
};

export class CapabilityError extends Error {
  constructor(
    readonly stepId: string,
    readonly violations: string[],
  ) {
    super(`step ${stepId} tried to do what it did not declare:\n${violations.map((v) => `- ${v}`).join("\n")}`);
  }
}

/**
 * The declaration is the capability boundary. Returns the violations (empty
 * when every intent is allowed); `assertCapabilities` throws them. Paths are
 * decided by the one path policy (`src/policy/path-policy.ts`), and must
 * already be in its canonical form: a writer writes the path it was given.
 */
export function capabilityViolations(step: StepDeclaration, intents: Intent[]): string[] {
  const violations: string[] = [];
  const policy = stepPathPolicy(step);
  for (const intent of intents) {
    const needed = NEEDS[intent.kind];
    if (!step.outputs.includes(needed)) violations.push(`${intent.kind}: the step does not declare the output "${needed}"`);
    if (intent.kind === "commit") {
      for (const file of intent.files) {
        const decision = policy.check(file.path);
        if (!decision.allowed) violations.push(decision.reason);
        else if (decision.path !== file.path) violations.push(`${JSON.stringify(file.path)}: not in canonical form (write it as ${decision.path})`);
      }
    }
  }
  return violations;
}

export function assertCapabilities(step: StepDeclaration, intents: Intent[]): void {
  const violations = capabilityViolations(step, intents);
  if (violations.length) throw new CapabilityError(step.id, violations);
}
