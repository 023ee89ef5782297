import type { InputSelector } from "../config/config-schema.js";
import type { ManifestOmission } from "./manifest.js";

/**
 * One piece of context a selector offers to a step, before budgeting.
 * `text` is what the model will see (already delimited when untrusted).
 */
export interface ContextCandidate {
  selector: InputSelector;
  label: string;
  identity: string;
  text: string;
  /** Whether a prefix of the text is still useful (a long spec, a source file, the ADR index, a pitfall file) and may be cut to fit. */
  truncatable: boolean;
  /** Trusted repository content (cacheable) vs untrusted text from issues, comments and diffs. */
  trusted: boolean;
  /**
   * Code or a diff: sent exactly as committed (never through the prose
   * sanitiser), invisible characters shown as `<U+XXXX>`. Untrusted text
   * that is not code is prose and loses its hidden markup.
   */
  code?: boolean;
  /** What the manifest should say about this input beyond its size: hunks extended, characters revealed. */
  details?: string[];
  /**
   * How to make this input smaller than plain truncation would (the diff drops
   * whole lock files before cutting hunks). Returns the fitted text, why it
   * was cut, and the parts it left out, each to be listed in the manifest.
   */
  fitTo?: (tokens: number) => FittedText;
  /** Parts never sent even when the input is taken whole (binary or lock files of a diff), for the manifest. */
  partsLeftOut?: ManifestOmission[];
}

export interface FittedText {
  text: string;
  reason: string;
  omitted: ManifestOmission[];
  /** Replaces the candidate's `details` for the fitted text. */
  details?: string[];
}

/** A candidate that fits: what is sent to the model. */
export interface ContextBlock extends ContextCandidate {
  tokens: number;
  truncated?: { fromTokens: number; reason: string };
}
