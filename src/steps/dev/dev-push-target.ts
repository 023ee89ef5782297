import type { BatonConfig } from "../../config/config-schema.js";
import { inlineCode } from "../../util/posted-text.js";

/**
 * Where the dev commit goes, and what that means for CI. A pull request's
 * workflows run its code: from a branch of the repository, with the
 * repository's secrets; from a fork, without them (GitHub gives `pull_request`
 * workflows of a fork a read-only token and no secrets, and holds them for a
 * maintainer's approval when the repository asks for it). The model wrote
 * this code, steered by an issue anyone could have written: see ADR 0010.
 */
export type DevPushTarget = { kind: "branch" } | { kind: "fork"; repository: string; owner: string };

/** `dev.pushTo`, or `fork` when only `dev.fork` is set, else `branch`. */
export function devPushTarget(dev: BatonConfig["dev"]): DevPushTarget {
  const mode = dev.pushTo ?? (dev.fork ? "fork" : "branch");
  if (mode === "fork" && dev.fork) return { kind: "fork", repository: dev.fork, owner: dev.fork.slice(0, dev.fork.indexOf("/")) };
  return { kind: "branch" };
}

/** The plain statement the dev pull request carries about who runs its code, and with what. */
export function ciNotice(target: DevPushTarget, repository: string): string {
  if (target.kind === "fork") {
    return [
      "> [!NOTE]",
      `> **CI runs this pull request.** Its commit was written by a model and pushed to the fork ${inlineCode(target.repository)}, so GitHub treats it as a fork's pull request: \`pull_request\` workflows get a read-only token and none of ${inlineCode(repository)}'s secrets, and wait for a maintainer's approval if the repository requires approval for fork pull requests. \`pull_request_target\` workflows still run with secrets: they must not check out this code.`,
    ].join("\n");
  }
  return [
    "> [!WARNING]",
    `> **CI runs this pull request with this repository's secrets.** Its commit was written by a model and pushed to a branch of ${inlineCode(repository)}, so every \`pull_request\` and \`push\` workflow runs it as it would a maintainer's branch. Read the diff before CI does anything that matters, or set \`dev.fork\` (see docs/security.md) so that model code runs without secrets until a maintainer approves.`,
  ].join("\n");
}
