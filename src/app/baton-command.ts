import { stepIdOf } from "../config/step-names.js";

/** The comment commands Baton understands, parsed from the first line that starts with `/baton`. */
export type BatonCommand =
  | { name: "help" }
  | { name: "architect" }
  | { name: "dev" }
  | { name: "review" }
  | { name: "context"; step?: "architecture-review" | "dev" | "review" }
  | { name: "remember"; lesson: string; module?: string }
  | { name: "accept" }
  | { name: "reject" }
  | { name: "trace"; ref?: string }
  | { name: "dismiss"; ids: string[] }
  | { name: "unknown"; word: string };

/** Commands that need write access: those that call the model, and `dismiss`, which can turn the review gate green. */
export const SPENDS_TOKENS = new Set<BatonCommand["name"]>(["architect", "dev", "review", "remember", "dismiss"]);

/** Commands that need write access: those that spend tokens, and those that decide (they commit for the commenter). */
export const NEEDS_WRITE = new Set<BatonCommand["name"]>([...SPENDS_TOKENS, "accept", "reject"]);

export function parseBatonCommand(body: string): BatonCommand | null {
  // Quoted text (`> /baton dev`) and code blocks are not commands.
  let inFence = false;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) inFence = !inFence;
    if (inFence || !/^\/baton(\s|$)/i.test(line)) continue;
    const rest = line.slice("/baton".length).trim();
    const [word = "help", ...args] = rest.split(/\s+/);
    const argText = rest.slice(word.length).trim();
    switch (word.toLowerCase()) {
      case "":
      case "help":
        return { name: "help" };
      case "architect":
      case "architecture":
      case "architecture-review":
        return { name: "architect" };
      case "dev":
        return { name: "dev" };
      case "review":
        return { name: "review" };
      case "accept":
        return { name: "accept" };
      case "reject":
        return { name: "reject" };
      case "trace":
        return args[0] ? { name: "trace", ref: args[0].slice(0, 200) } : { name: "trace" };
      case "context": {
        const step = args[0] === undefined ? null : stepIdOf(args[0]);
        return { name: "context", step: step === "learning" || step === null ? undefined : step };
      }
      case "remember": {
        // `/baton remember --module api <lesson>` or `/baton remember <lesson>`
        const m = /^--module[=\s]+(\S+)\s+([\s\S]+)$/.exec(argText);
        const lesson = (m ? m[2]! : argText).trim();
        return { name: "remember", lesson, module: m?.[1] };
      }
      case "dismiss":
        // Finding ids as the summary shows them: 8 hex characters, several allowed.
        return { name: "dismiss", ids: args.map((a) => a.replace(/^`|`$/g, "").toLowerCase()).filter((a) => /^[0-9a-f]{8}$/.test(a)) };
      default:
        return { name: "unknown", word };
    }
  }
  return null;
}

export const HELP_TEXT = `**Baton commands** (comment on an issue or pull request)

| command | where | what it does |
|---|---|---|
| \`/baton architect\` | issue | architecture review: proposes an ADR as a pull request |
| \`/baton dev\` | issue | dev step: implements the issue under its accepted ADR, as a pull request |
| \`/baton review\` | pull request | reviews the PR against its spec, ADRs and pitfalls |
| \`/baton context [step]\` | issue or PR | posts the manifest of what the step would receive (no model call) |
| \`/baton remember [--module m] <lesson>\` | pull request | proposes a pitfall entry from a lesson learned here |
| \`/baton dismiss <id>\` | pull request | dismisses a review finding by its id: it no longer counts for \`review.failOn\` |
| \`/baton accept\` | ADR pull request | accepts its proposed ADR (as approving the PR does): status, date, supersession, index, pinned spec |
| \`/baton reject\` | ADR pull request | marks its proposed ADR rejected |
| \`/baton trace [#issue \\| ADR \\| spec file]\` | issue or PR | posts the chain: spec, ADRs, pull requests, pitfalls learned, open findings (graph and table) |
| \`/baton help\` | anywhere | this table |

Commands that call the model, \`dismiss\`, \`accept\` and \`reject\` need write access to the repository.`;
