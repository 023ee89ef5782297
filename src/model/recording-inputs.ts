import { createHash } from "node:crypto";
import type { PromptBlock } from "./model-client.js";

/**
 * What a recorded answer was given: one entry per context block, keyed by
 * the block's label and valued by a digest of its text. A replay compares
 * the request's blocks with these, so a recording replays only on the
 * inputs it was made on (issue 12: the demo's review replayed on any
 * repository, findings included).
 *
 * Commit ids are not content: the same files committed again (a rebase, the
 * demo's sample repository created anew) give new commits. Labels and texts
 * name commits (`tree@<sha>`, `diff <base>..<head>`), so the commits of the
 * run are replaced by a placeholder before keying and hashing. Blob ids
 * (`path@<blobsha>`) are content, but they are dropped from the key too, so
 * that a changed file reads as "changed", not as one input gone and another
 * new; the digest of its text still tells the difference.
 */
export type RecordedInputs = Record<string, string>;

const COMMIT_PLACEHOLDER = "<commit>";
/** Digest length in hex: 64 bits tell inputs apart and keep a recording readable. */
const DIGEST_HEX = 16;
/** At most this many inputs named per kind of difference; the rest are counted. */
const NAMED = 5;

function withoutCommits(text: string, commits: readonly string[]): string {
  let out = text;
  // Full ids first, then the 12-character form that manifests and labels use.
  for (const commit of commits) if (commit) out = out.split(commit).join(COMMIT_PLACEHOLDER);
  for (const commit of commits) if (commit.length > 12) out = out.split(commit.slice(0, 12)).join(COMMIT_PLACEHOLDER);
  return out;
}

function inputKey(label: string, commits: readonly string[]): string {
  return withoutCommits(label, commits).replace(/@[0-9a-f]{7,64}(?![0-9a-f])/g, "");
}

export function fingerprintInputs(context: readonly PromptBlock[], commits: readonly string[] = []): RecordedInputs {
  const inputs: RecordedInputs = {};
  for (const block of context) {
    const base = inputKey(block.label, commits);
    let key = base;
    for (let n = 2; key in inputs; n++) key = `${base} (${n})`;
    inputs[key] = createHash("sha256").update(withoutCommits(block.text, commits)).digest("hex").slice(0, DIGEST_HEX);
  }
  return inputs;
}

function named(keys: string[]): string {
  const shown = keys.slice(0, NAMED).join(", ");
  return keys.length > NAMED ? `${shown} and ${keys.length - NAMED} more` : shown;
}

/** The differences between what an answer was recorded on and what this run would send, in words; empty when they match. */
export function describeInputDifferences(recorded: RecordedInputs, here: RecordedInputs): string[] {
  const changed = Object.keys(here).filter((k) => k in recorded && recorded[k] !== here[k]);
  const onlyHere = Object.keys(here).filter((k) => !(k in recorded));
  const onlyRecorded = Object.keys(recorded).filter((k) => !(k in here));
  const out: string[] = [];
  if (changed.length) out.push(`changed: ${named(changed)}`);
  if (onlyHere.length) out.push(`only here: ${named(onlyHere)}`);
  if (onlyRecorded.length) out.push(`only in the recording: ${named(onlyRecorded)}`);
  return out;
}
