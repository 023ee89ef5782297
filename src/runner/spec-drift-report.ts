import type { SpecDrift } from "../context-store/specs/pinned-spec.js";
import type { StepOutcome } from "../steps/step-types.js";
import { inlineCode } from "../util/posted-text.js";

/**
 * What the dev pull request and its check run say when the issue was edited
 * after its ADR was accepted: that the accepted text was built, and the edit
 * as a difference, so that nobody mistakes the edit for what was built.
 */
export function specDriftMarkdown(issueNumber: number, pinnedPath: string, drift: SpecDrift): string {
  const lines = [
    `> [!WARNING]`,
    `> **Issue #${issueNumber} was edited after its ADR was accepted.** This change follows the spec as accepted (${inlineCode(pinnedPath)}, the issue as of ${inlineCode(drift.pinnedUpdatedAt)}), not the edit (issue as of ${inlineCode(drift.nowUpdatedAt)}). To build the edited spec, update ${inlineCode(pinnedPath)} through a pull request, then run the dev step again.`,
    "",
  ];
  if (drift.patch === null) {
    lines.push("_The edit is too large to show as a difference: compare the issue with the pinned file._");
  } else {
    // A fence longer than any backtick run in the text, so the issue's own fences cannot close it.
    const fence = "`".repeat(Math.max(3, ...(drift.patch.match(/`+/g) ?? []).map((r) => r.length + 1)));
    lines.push("<details><summary>What changed in the issue since it was accepted</summary>", "", `${fence}diff`, drift.patch, fence, "", "</details>");
  }
  return lines.join("\n");
}

/** The outcome with the drift said first: in the pull request's body and in the check run's summary. */
export function withSpecDrift(outcome: StepOutcome, markdown: string): StepOutcome {
  return {
    ...outcome,
    summary: `${markdown}\n\n${outcome.summary}`,
    intents: outcome.intents.map((i) => (i.kind === "pull-request" ? { ...i, body: `${markdown}\n\n${i.body}` } : i)),
  };
}
