import { describeStepWords, STEP_COMMAND, stepIdOf } from "../config/step-names.js";

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
    // A step's command answers to every name of the step (`/baton arch`, `/baton learn`), as `/baton context` does.
    const step = stepIdOf(word);
    switch (step ? STEP_COMMAND[step] : word.toLowerCase()) {
      case "":
      case "help":
        return { name: "help" };
      case "architect":
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
        // Both already trimmed: argText is, and `\s+` takes every space before the lesson.
        const lesson = m ? m[2]! : argText;
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

type CommandName = Exclude<BatonCommand["name"], "unknown">;

interface CommandDoc {
  /** As typed, e.g. `/baton context [step]`. */
  usage: string;
  where: string;
  what: string;
}

/**
 * Every command, as people read it: `/baton help` and the README's table are
 * rendered from this one list (a test keeps the README equal to it), and the
 * type makes a new command without its line a compile error.
 */
export const COMMAND_DOCS: Readonly<Record<CommandName, CommandDoc>> = {
  architect: { usage: "/baton architect", where: "issue", what: "architecture review: proposes an ADR for the issue as a pull request" },
  dev: { usage: "/baton dev", where: "issue", what: "dev step: implements the issue under its accepted ADR, as a pull request" },
  review: { usage: "/baton review", where: "pull request", what: "reviews the PR now, against its spec, ADRs and pitfalls" },
  context: { usage: "/baton context [step]", where: "issue or PR", what: "posts the manifest of what the step would receive, without calling the model" },
  remember: {
    usage: "/baton remember [--module m] <lesson>",
    where: "issue or PR",
    what: "a pitfall entry: on an open PR, proposed with the PR's other lessons when it merges; elsewhere, proposed at once; an unknown module is refused, listing the known ones",
  },
  accept: { usage: "/baton accept", where: "ADR pull request", what: "accepts its proposed ADR (as approving the PR does): status, date, supersession, index and pinned spec committed on the PR branch" },
  reject: { usage: "/baton reject", where: "ADR pull request", what: "marks its proposed ADR rejected" },
  trace: {
    usage: "/baton trace [#issue | ADR | spec file]",
    where: "issue or PR",
    what: "posts the chain: spec, ADRs (status, supersession), PRs that propose, implement or cite them, pitfalls learned, open findings, as a Mermaid graph and a table",
  },
  dismiss: { usage: "/baton dismiss <id>", where: "pull request", what: "dismisses a review finding by its id (shown in the review summary): it no longer counts for `review.failOn`" },
  help: { usage: "/baton help", where: "anywhere", what: "this table" },
};

/** The command table, with who may run each command (NEEDS_WRITE), and the names the steps answer to. */
export function renderCommandTable(): string {
  const rows = (Object.entries(COMMAND_DOCS) as [CommandName, CommandDoc][]).map(
    ([name, doc]) => `| \`${doc.usage.replace(/\|/g, "\\|")}\` | ${doc.where} | ${NEEDS_WRITE.has(name) ? "write access" : "anyone"} | ${doc.what} |`,
  );
  return [
    "| command | where | who | what it does |",
    "|---|---|---|---|",
    ...rows,
    "",
    `A step's command, and \`/baton context\`, take any name of the step: ${describeStepWords()}.`,
  ].join("\n");
}

export const HELP_TEXT = `**Baton commands** (comment on an issue or pull request)\n\n${renderCommandTable()}`;
