import { z } from "zod";

/**
 * The one schema for `.github/baton.yml`. Everything Baton reads from a
 * repository's configuration goes through here; `baton.schema.json` (for
 * editors) is generated from it by `npm run schema`.
 */

/** The current default model. Older Claude models are being retired, so this follows the SDK's model list. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

export const STEP_IDS = ["architecture-review", "dev", "review", "learning"] as const;
export type StepId = (typeof STEP_IDS)[number];

export const INPUT_SELECTORS = [
  "spec",
  "adr:linked",
  "adr:related",
  "adr:index",
  "pitfalls:modules",
  "guidance:modules",
  "module-map",
  "tree-outline",
  "diff",
  "source:modules",
] as const;
export type InputSelector = (typeof INPUT_SELECTORS)[number];

export const OUTPUT_KINDS = ["adr", "guidance", "branch", "commit", "pull-request", "review", "comment", "pitfalls", "check-run"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

const glob = z.string().min(1, "a glob cannot be empty");
const tokens = z.number().int().min(1000, "a budget below 1000 tokens leaves no room for the prompt").max(1_000_000);
const dailyTokens = z.number().int().min(1000, "a daily cap below 1000 tokens would stop every step");

const stepOverride = z
  .object({
    enabled: z.boolean().optional().describe("Set to false to turn the step off for this repository."),
    inputs: z.array(z.enum(INPUT_SELECTORS)).optional().describe("Replace the step's declared inputs (in priority order)."),
    budget: tokens.optional().describe("Token budget for the step's context."),
    model: z.string().min(1).optional().describe("Claude model for this step."),
  })
  .strict();

export const batonConfigSchema = z
  .object({
    modules: z
      // No /i flag: JSON Schema patterns have no flags, and editors must accept what zod accepts.
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "module names are letters, digits, '.', '_' or '-', starting with a letter or digit"), z.array(glob).min(1, "list at least one glob"))
      .optional()
      .describe(
        "Module name → path globs (picomatch; `!glob` excludes; a plain folder path means the folder and everything below it). When absent, modules are inferred from src/<x>, packages/<x>, apps/<x>, services/<x>, libs/<x>, lib/<x>, cmd/<x>, internal/<x>, pkg/<x>, crates/<x>.",
      ),
    folders: z
      .object({
        adr: z.string().min(1).optional().describe("ADR folder. When absent: .adr-dir, then docs/adr, doc/adr, docs/decisions, docs/architecture/decisions."),
        pitfalls: z.string().min(1).default("docs/pitfalls").describe("Pitfalls folder: one <module>.md file per module."),
        specs: z.string().min(1).default("docs/specs").describe("Specs committed as Markdown files."),
      })
      .strict()
      .prefault({}),
    triggers: z
      .object({
        architectureLabel: z.string().min(1).default("needs-architecture").describe("Issue label that starts the architecture review."),
        devLabel: z.string().min(1).default("ready-for-dev").describe("Issue label that starts the dev step."),
        skipLabel: z.string().min(1).default("baton:skip").describe("PR or issue label that keeps Baton out."),
        smallChangeLines: z.number().int().min(0).default(10).describe("PRs with at most this many changed lines skip the graph (0 reviews everything)."),
        reviewDrafts: z.boolean().default(false).describe("Review draft pull requests too."),
        reviewOnPush: z.boolean().default(true).describe("Review again when commits are pushed to the pull request."),
      })
      .strict()
      .prefault({}),
    budgets: z
      .object({
        "architecture-review": tokens.default(60_000),
        dev: tokens.default(120_000),
        review: tokens.default(80_000),
        learning: tokens.default(20_000),
        dailyTokens: dailyTokens
          .optional()
          .describe("Model tokens (sent and received) this repository may use per day (UTC), all steps together. A step that could take it past this does not call the model: its check run ends neutral and says so."),
        dailyTokensPerStep: z
          .object({ "architecture-review": dailyTokens.optional(), dev: dailyTokens.optional(), review: dailyTokens.optional() })
          .strict()
          .optional()
          .describe("The same cap per step, per day (UTC), for this repository."),
      })
      .strict()
      .prefault({})
      .describe("Token budget of each step's context (inputs are ranked and truncated to fit), and daily caps on the tokens the repository's steps use."),
    models: z
      .object({
        default: z.string().min(1).default(DEFAULT_MODEL).describe("Claude model for steps without their own."),
        "architecture-review": z.string().min(1).optional(),
        dev: z.string().min(1).optional(),
        review: z.string().min(1).optional(),
        learning: z.string().min(1).optional(),
      })
      .strict()
      .prefault({})
      .describe("Claude model per step; `default` applies to steps without their own."),
    review: z
      .object({
        maxInlineComments: z.number().int().min(0).max(100).default(20).describe("At most this many inline comments per review."),
        ignore: z.array(glob).default([]).describe("Paths never sent to the model (still listed in the manifest)."),
        failOn: z.enum(["none", "low", "medium", "high", "critical"]).default("none").describe("Conclusion of the check run: failure when a finding at or above this severity is found."),
      })
      .strict()
      .prefault({}),
    dev: z
      .object({
        maxTurns: z.number().int().min(1).max(200).default(30).describe("Model turns the dev step may take."),
        maxFiles: z.number().int().min(1).max(500).default(40).describe("Files the dev step may change."),
        allowPaths: z.array(glob).default(["**"]).describe("Where the dev step may write."),
        denyPaths: z.array(glob).default([".github/workflows/**", "docs/adr/**"]).describe("Where the dev step may never write (wins over allowPaths)."),
      })
      .strict()
      .prefault({}),
    steps: z.partialRecord(z.enum(STEP_IDS), stepOverride).default({}).describe("Adjust the declared steps."),
  })
  .strict();

export type BatonConfig = z.output<typeof batonConfigSchema>;
export type BatonConfigInput = z.input<typeof batonConfigSchema>;

export function defaultConfig(): BatonConfig {
  return batonConfigSchema.parse({});
}
