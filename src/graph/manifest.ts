import type { InputSelector } from "../config/config-schema.js";

/**
 * The manifest says exactly what a step was given: every input with its
 * pinned identity and token count, what was truncated or left out and why,
 * the model and the step version. It travels with every output (check run,
 * PR body, review) so staleness can be detected and people can see what the
 * model saw.
 */
export interface ManifestInput {
  selector: InputSelector;
  /** Human label, e.g. "ADR 12: Use Postgres". */
  label: string;
  /** Pinned identity: `path@blobsha`, `issue#12@2026-11-25T10:00:00Z`, `diff base..head`. */
  identity: string;
  tokens: number;
  /** Present when the input was cut to fit: its size before the cut and why. */
  truncated?: { fromTokens: number; reason: string };
  /** What else is worth knowing about what was sent: hunks extended to their function, hidden characters made visible. */
  details?: string[];
}

export interface ManifestOmission {
  selector: InputSelector;
  label: string;
  identity: string;
  tokens: number;
  reason: string;
}

export interface Manifest {
  step: { id: string; version: string };
  model: string;
  /** Commit the trusted context was read from (the base / default branch). */
  commit: string;
  budget: number;
  usedTokens: number;
  inputs: ManifestInput[];
  omitted: ManifestOmission[];
  /** How things were found: inferred modules, ADR folder, missing inputs. */
  notes: string[];
}
