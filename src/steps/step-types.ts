import { slugify as adrSlug } from "../context-store/adr/adr-numbering.js";
import type { ResolvedContext } from "../graph/resolve-context.js";
import type { PromptBlock, Usage } from "../model/model-client.js";
export { addUsage, ZERO_USAGE } from "../model/model-client.js";
import type { Intent } from "../writer/intents.js";
import type { WriteResult } from "../writer/write-result.js";

/** The repository a step runs for. */
export interface RepoRef {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** Web URL base, e.g. https://github.com (differs on GitHub Enterprise). */
  htmlUrl?: string;
}

/**
 * What a step produced: intents (not yet written), and the report for the
 * check run or the terminal. `followUp` builds intents that need what the
 * writer did (the issue comment that links the PR just opened).
 */
export interface StepOutcome {
  intents: Intent[];
  title: string;
  /** Markdown: what was done and why; the manifest is appended by the runner. */
  summary: string;
  conclusion: "success" | "neutral" | "failure" | "action_required";
  usage: Usage;
  model: string;
  followUp?: (results: WriteResult[]) => Intent[];
  /** Review only: the new findings, for local output formats (JSON, SARIF) and exit codes. */
  findings?: {
    id?: string;
    severity: "critical" | "high" | "medium" | "low";
    path: string;
    startLine?: number;
    line: number;
    code?: string;
    confidence?: number;
    title: string;
    body: string;
    source: string;
    lesson?: string;
  }[];
  /** Review only: the review as Markdown, for the terminal. */
  reportMarkdown?: string;
}

/** The resolved context as prompt blocks: trusted repository content is cacheable, the rest is marked untrusted. */
export function promptBlocks(context: ResolvedContext): PromptBlock[] {
  return context.blocks.map((b) => ({
    label: b.identity.startsWith(b.selector) ? b.identity : `${b.selector} ${b.identity}`,
    text: b.text,
    cache: b.trusted,
    // Code (the diff above all) is never run through the prose sanitiser, however untrusted.
    untrusted: !b.trusted && b.code !== true,
    ...(b.code === true ? { code: true } : {}),
  }));
}

/** A branch-safe slug: the ADR file-name slug (ASCII words, cut at a word), shorter. */
export function slugify(text: string, max = 40): string {
  return adrSlug(text, max, "untitled");
}
