import type { InputSelector, OutputKind, StepId } from "../config/config-schema.js";

/**
 * A step is a declaration: what it consumes (input selectors, in priority
 * order: budget goes to the first ones first), what it may produce, and how
 * many tokens of context it gets. The declaration is both the contract and
 * the capability boundary: the writer refuses any intent whose kind is not
 * among `outputs`, and any path outside `writablePaths`.
 */
export interface StepDeclaration {
  id: StepId;
  /** Bumped when the step's prompt or output schema changes; recorded in manifests. */
  version: string;
  description: string;
  inputs: InputSelector[];
  outputs: OutputKind[];
  /** Token budget for the context (not counting the model's answer). */
  budget: number;
  /** Daily caps on model tokens (`budgets.dailyTokens`, `budgets.dailyTokensPerStep`), checked before a run. */
  dailyTokens?: { repository?: number; step?: number };
  model: string;
  /** Globs of paths the step may write (files committed). Empty: no file writes. */
  writablePaths: string[];
  /** Globs the step may never write, even when matched by writablePaths (the repository's configuration). */
  deniedPaths: string[];
  /** Globs the step may never write whatever the configuration says (`devAlwaysDenied` for dev). */
  alwaysDeniedPaths?: string[];
}
