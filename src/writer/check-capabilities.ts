import picomatch from "picomatch";
import type { OutputKind } from "../config/config-schema.js";
import type { StepDeclaration } from "../graph/step-declaration.js";
import type { Intent } from "./intents.js";

/** Which declared output an intent needs. */
const NEEDS: Record<Intent["kind"], OutputKind> = {
  commit: "commit",
  "pull-request": "pull-request",
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
 * when every intent is allowed); `assertCapabilities` throws them.
 */
export function capabilityViolations(step: StepDeclaration, intents: Intent[]): string[] {
  const violations: string[] = [];
  const writable = step.writablePaths.length ? picomatch(step.writablePaths, { dot: true }) : () => false;
  const denied = step.deniedPaths.length ? picomatch(step.deniedPaths, { dot: true }) : () => false;
  for (const intent of intents) {
    const needed = NEEDS[intent.kind];
    if (!step.outputs.includes(needed)) violations.push(`${intent.kind}: the step does not declare the output "${needed}"`);
    if (intent.kind === "commit") {
      for (const file of intent.files) {
        const path = file.path;
        if (path.startsWith("/") || path.split("/").includes("..") || path.includes("\0")) violations.push(`${path}: not a repository-relative path`);
        else if (denied(path)) violations.push(`${path}: the step may never write here (denied by ${step.deniedPaths.join(", ")})`);
        else if (!writable(path)) violations.push(`${path}: outside what the step may write (${step.writablePaths.join(", ") || "nothing"})`);
      }
    }
  }
  return violations;
}

export function assertCapabilities(step: StepDeclaration, intents: Intent[]): void {
  const violations = capabilityViolations(step, intents);
  if (violations.length) throw new CapabilityError(step.id, violations);
}
