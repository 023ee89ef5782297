import { defaultConfig, devRunnerFor, type BatonConfig, type DevRunner, type StepId } from "../config/config-schema.js";
import { escapeGlob } from "../policy/glob-limits.js";
import { devAlwaysDenied } from "../policy/path-policy.js";
import type { StepDeclaration } from "./step-declaration.js";

/**
 * The default graph. Inputs are listed in priority order: when the budget is
 * short, the last ones are truncated or left out first.
 */
const BASE: Record<StepId, Omit<StepDeclaration, "budget" | "model" | "deniedPaths" | "writablePaths"> & { writablePaths?: string[] }> = {
  "architecture-review": {
    id: "architecture-review",
    version: "1.0.0",
    description: "Turns a spec into an ADR with module guidance, opened as a pull request.",
    inputs: ["spec", "adr:linked", "adr:related", "module-map", "adr:index", "source:outline", "tree-outline"],
    outputs: ["adr", "guidance", "branch", "commit", "pull-request", "comment", "check-run"],
  },
  dev: {
    id: "dev",
    version: "1.0.0",
    description: "Implements the spec under the accepted ADR, as a branch, a commit and a pull request.",
    // A Claude Code session reads the code itself: its declaration drops source:modules (declareSteps).
    inputs: ["spec", "adr:linked", "guidance:modules", "pitfalls:modules", "module-map", "source:modules", "tree-outline"],
    outputs: ["branch", "commit", "pull-request", "comment", "check-run"],
  },
  review: {
    id: "review",
    version: "1.0.0",
    description: "Reviews a pull request against its spec, its ADRs and the pitfalls of the modules it changes.",
    // The diff comes before other ADRs' guidance: a review without its diff is no review.
    inputs: ["spec", "adr:linked", "pitfalls:modules", "diff", "guidance:modules", "adr:related"],
    outputs: ["review", "comment", "check-run"],
    writablePaths: [],
  },
  learning: {
    id: "learning",
    version: "1.0.0",
    description: "Turns a lesson a maintainer confirms into a pitfall entry, proposed as a pull request.",
    inputs: ["pitfalls:modules", "module-map"],
    outputs: ["pitfalls", "branch", "commit", "pull-request", "comment", "check-run"],
  },
};

/** Where each step may write files, before configuration. */
function writableFor(id: StepId, config: BatonConfig, adrFolder: string): { writable: string[]; denied: string[]; alwaysDenied?: string[] } {
  switch (id) {
    case "architecture-review":
      // An architecture review writes only ADRs (and the index) under the ADR folder.
      return { writable: [`${escapeGlob(adrFolder)}/**`], denied: [] };
    case "dev":
      // Decisions and Baton's own rules are changed by people (or the architecture step), never by dev.
      return { writable: config.dev.allowPaths, denied: [...new Set([...config.dev.protectedPaths, ...config.dev.denyPaths])], alwaysDenied: devAlwaysDenied(adrFolder) };
    case "learning":
      return { writable: [`${escapeGlob(config.folders.pitfalls)}/**`], denied: [] };
    case "review":
      return { writable: [], denied: ["**"] };
  }
}

/**
 * The declared steps of a repository: the defaults adjusted by `.github/baton.yml`.
 * `devRunner`: the runner the dev step will use (a Claude Code session reads
 * the code itself, so its declaration has no `source:modules`).
 */
export function declareSteps(config: BatonConfig, adrFolder = config.folders.adr ?? "docs/adr", devRunner: DevRunner = devRunnerFor(config, false)): Record<StepId, StepDeclaration> {
  const out = {} as Record<StepId, StepDeclaration>;
  for (const id of Object.keys(BASE) as StepId[]) {
    const base = BASE[id];
    const override = config.steps[id] ?? {};
    const { writable, denied, alwaysDenied } = writableFor(id, config, adrFolder);
    out[id] = {
      id,
      version: base.version,
      description: base.description,
      inputs: override.inputs ?? (id === "dev" && devRunner === "claude-code" ? base.inputs.filter((i) => i !== "source:modules") : base.inputs),
      outputs: base.outputs,
      budget: override.budget ?? config.budgets[id],
      model: override.model ?? config.models[id] ?? config.models.default,
      writablePaths: writable,
      deniedPaths: denied,
      ...(alwaysDenied ? { alwaysDeniedPaths: alwaysDenied } : {}),
      ...dailyCaps(config, id),
    };
  }
  return out;
}

function dailyCaps(config: BatonConfig, id: StepId): Pick<StepDeclaration, "dailyTokens"> {
  const repository = config.budgets.dailyTokens;
  const step = id === "learning" ? undefined : config.budgets.dailyTokensPerStep?.[id];
  return repository === undefined && step === undefined ? {} : { dailyTokens: { repository, step } };
}

/**
 * A step's default declaration narrowed to commenting: for Baton's answers
 * that are no step's output (replies, refusals, what blocked or broke a step).
 */
export function commentOnlyStep(id: StepId, description?: string): StepDeclaration {
  const step = declareSteps(defaultConfig())[id];
  return { ...step, outputs: ["comment"], ...(description ? { description, inputs: [] } : {}) };
}

export function isStepEnabled(config: BatonConfig, id: StepId): boolean {
  return config.steps[id]?.enabled !== false;
}

/**
 * Baton's own edits on an ADR pull request (the decision on a proposed ADR,
 * its number): the architecture review's declaration, narrowed to a commit,
 * the pull request's title and a comment, writing only the ADR folder and the pinned specs
 * (`<specs folder>/pinned/`). No model is called.
 */
export function adrLifecycleStep(steps: Record<StepId, StepDeclaration>, config: BatonConfig): StepDeclaration {
  const arch = steps["architecture-review"];
  return { ...arch, description: "Records the decision on a proposed ADR on its pull request.", inputs: [], outputs: ["commit", "pull-request", "comment"], writablePaths: [...arch.writablePaths, `${pinnedSpecsFolder(config)}/**`] };
}

/** Where the text of an issue spec is pinned when its ADR is accepted. */
export function pinnedSpecsFolder(config: BatonConfig): string {
  return `${config.folders.specs.replace(/\/+$/, "")}/pinned`;
}

/**
 * Baton's upkeep of its own learning pull requests (bringing them up to date
 * with the default branch, closing one with nothing left to add): the
 * learning step's declaration narrowed to a commit, the pull request and a
 * comment, writing only the pitfalls folder, as the learning step does.
 */
export function learningUpkeepStep(steps: Record<StepId, StepDeclaration>): StepDeclaration {
  return { ...steps.learning, description: "Keeps Baton's open learning pull requests up to date with the default branch.", inputs: [], outputs: ["commit", "pull-request", "comment"] };
}
