import { z } from "zod";
import { CONFIG_GLOB_MAX_LENGTH, configGlobProblem } from "../policy/glob-limits.js";
import { DEFAULT_PROTECTED_PATHS } from "../policy/protected-paths.js";
import { canonicalStepKeys, STEP_IDS } from "./step-names.js";

/**
 * The one schema for `.github/baton.yml`. Everything Baton reads from a
 * repository's configuration goes through here; `baton.schema.json` (for
 * editors) is generated from it by `npm run schema`.
 */

/** The current default model. Older Claude models are being retired, so this follows the SDK's model list. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

export { STEP_IDS, type StepId } from "./step-names.js";

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
  "source:outline",
] as const;
export type InputSelector = (typeof INPUT_SELECTORS)[number];

export const OUTPUT_KINDS = ["adr", "guidance", "branch", "commit", "pull-request", "review", "comment", "pitfalls", "check-run"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Who does the dev step's work: a Claude Code session or Baton's built-in tool loop. */
export const DEV_RUNNERS = ["claude-code", "builtin"] as const;
export type DevRunner = (typeof DEV_RUNNERS)[number];

/**
 * The runner a dev step uses: the configured one, else a Claude Code session
 * where Baton has a checkout of the repository (the CLI, the Action), and the
 * built-in runner on the hosted app, which never runs a repository's code.
 */
export function devRunnerFor(config: { dev: { runner?: DevRunner } }, hasCheckout: boolean): DevRunner {
  return config.dev.runner ?? (hasCheckout ? "claude-code" : "builtin");
}

// Globs are matched on the main thread against paths a committer chooses: shapes that backtrack badly are refused here.
const glob = z
  .string()
  .min(1, "a glob cannot be empty")
  .max(CONFIG_GLOB_MAX_LENGTH)
  .superRefine((value, ctx) => {
    // Over the length limit: .max() above says so already.
    const problem = value.length <= CONFIG_GLOB_MAX_LENGTH ? configGlobProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: `the glob ${problem.message}`, params: { fix: problem.fix } });
  });
const tokens = z.number().int().min(1000, "a budget below 1000 tokens leaves no room for the prompt").max(1_000_000);
const dailyTokens = z.number().int().min(1000, "a daily cap below 1000 tokens would stop every step");

/**
 * A section keyed by step (`budgets`, `models`, `steps`): any word for a step
 * (`architect:`, `remember:`) is read as the step's id, so the rest of Baton
 * sees one name. Two keys naming one step are an error at the later key.
 */
function stepKeyed<T extends z.ZodType>(section: T) {
  return z.preprocess((value, ctx) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const { mapping, clashes } = canonicalStepKeys(value as Record<string, unknown>);
    for (const clash of clashes) {
      ctx.addIssue({
        code: "custom",
        path: [clash.key],
        message: `"${clash.key}" and "${clash.first}" both name the ${clash.step} step`,
        params: { fix: `keep one of the two keys (the step's name is "${clash.step}")`, at: "key" },
        input: value,
      });
    }
    return mapping;
  }, section);
}

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
    budgets: stepKeyed(
      z
        .object({
          "architecture-review": tokens.default(60_000),
          dev: tokens.default(120_000),
          review: tokens.default(80_000),
          learning: tokens.default(20_000),
          dailyTokens: dailyTokens
            .optional()
            .describe("Model tokens (sent and received) this repository may use per day (UTC), all steps together. A step that could take it past this does not call the model: its check run ends neutral and says so."),
          dailyTokensPerStep: stepKeyed(
            z.object({ "architecture-review": dailyTokens.optional(), dev: dailyTokens.optional(), review: dailyTokens.optional() }).strict(),
          )
            .optional()
            .describe("The same cap per step, per day (UTC), for this repository."),
        })
        .strict(),
    )
      .prefault({})
      .describe("Token budget of each step's context (inputs are ranked and truncated to fit), and daily caps on the tokens the repository's steps use."),
    models: stepKeyed(
      z
        .object({
          default: z.string().min(1).default(DEFAULT_MODEL).describe("Claude model for steps without their own."),
          "architecture-review": z.string().min(1).optional(),
          dev: z.string().min(1).optional(),
          review: z.string().min(1).optional(),
          learning: z.string().min(1).optional(),
        })
        .strict(),
    )
      .prefault({})
      .describe("Claude model per step; `default` applies to steps without their own."),
    review: z
      .object({
        maxInlineComments: z.number().int().min(0).max(100).default(20).describe("At most this many inline comments per review."),
        ignore: z.array(glob).default([]).describe("Paths never sent to the model (still listed in the manifest)."),
        failOn: z.enum(["none", "low", "medium", "high", "critical"]).default("none").describe("Conclusion of the check run: failure when a finding at or above this severity is found."),
        minConfidence: z.number().min(0).max(1).default(0.5).describe("Findings the model is less confident of than this (0–1) are dropped; the summary says how many."),
        wholeFileLines: z.number().int().min(0).max(5000).default(200).describe("A changed file of at most this many lines is sent whole, so the model sees all of it (0: never)."),
        enclosingBlockLines: z
          .number()
          .int()
          .min(0)
          .max(5000)
          .default(300)
          .describe("Each hunk is extended to its enclosing function or class when that block has at most this many lines (0: GitHub's 3 lines of context only)."),
        verify: z.boolean().default(true).describe("Re-check each high or critical finding against the code in a second model call before posting it."),
      })
      .strict()
      .prefault({}),
    dev: z
      .object({
        maxTurns: z.number().int().min(1).max(200).default(30).describe("Model turns the dev step may take."),
        maxFiles: z.number().int().min(1).max(500).default(40).describe("Files the dev step may change."),
        allowPaths: z.array(glob).default(["**"]).describe("Where the dev step may write."),
        denyPaths: z.array(glob).default([]).describe("More globs the dev step may never write, added to protectedPaths (wins over allowPaths)."),
        protectedPaths: z
          .array(glob)
          .default([...DEFAULT_PROTECTED_PATHS])
          .describe("Files that CI, git or developer tools run or obey, which the dev step may not write (default: .github/**, CI configs, .gitmodules, .gitattributes, hooks…). Setting it replaces the list: use it to narrow; use denyPaths to add."),
        runner: z
          .enum(DEV_RUNNERS)
          .optional()
          .describe(
            "Who does the dev work: `claude-code`, a Claude Code session in a checkout (the hosted app hands it to the repository's Baton workflow), or `builtin`, Baton's own tool loop over the API (cannot run commands). Unset: claude-code where Baton has a checkout (the CLI, the Action), builtin on the hosted app.",
          ),
        commands: z
          .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "command names are letters, digits, '.', '_' or '-'"), z.string().trim().min(1, "a command line cannot be empty").max(500))
          .optional()
          .describe(
            "Commands a Claude Code session may run, by name (`test`, `lint`, `build`…), each an exact command line; any other command is refused. `test` also gives the final test result. Default: the package.json scripts test, lint, typecheck and build that exist (`npm test`, `npm run lint`…).",
          ),
        pushTo: z
          .enum(["branch", "fork"])
          .optional()
          .describe(
            "Where the dev commit goes. `branch`: a branch of this repository; its CI runs the model's code with this repository's secrets. `fork`: a branch of `dev.fork`; the pull request comes from the fork, whose workflows GitHub runs without secrets (and holds for a maintainer's approval when the repository requires it). Default: `fork` when `dev.fork` is set, else `branch`.",
          ),
        fork: z
          .string()
          .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, "write the fork as owner/repository, e.g. baton-bot/widgets")
          .optional()
          .describe("The fork the dev step pushes to (owner/repository): a fork of this repository where Baton is also installed."),
      })
      .strict()
      .superRefine((dev, ctx) => {
        if (dev.pushTo === "fork" && !dev.fork) {
          ctx.addIssue({ code: "custom", path: ["fork"], message: "dev.pushTo is fork, but no fork is named: set dev.fork to owner/repository (a fork of this repository where Baton is installed), or set dev.pushTo to branch" });
        }
      })
      .prefault({}),
    learning: z
      .object({
        fromFindings: z.boolean().default(true).describe("When a reviewed pull request merges, propose the lessons of the findings it fixed as pitfalls (with the /baton remember lessons given on it), in one pull request."),
        maxEntriesPerModule: z.number().int().min(3).max(500).default(30).describe("Past this many entries in a module's pitfall file, the learning pull request proposes merging its oldest entries."),
      })
      .strict()
      .prefault({}),
    steps: stepKeyed(z.partialRecord(z.enum(STEP_IDS), stepOverride)).default({}).describe("Adjust the declared steps."),
  })
  .strict();

export type BatonConfig = z.output<typeof batonConfigSchema>;
export type BatonConfigInput = z.input<typeof batonConfigSchema>;

export function defaultConfig(): BatonConfig {
  return batonConfigSchema.parse({});
}
