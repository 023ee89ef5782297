import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Option, type Command } from "commander";
import { manifestToMarkdown } from "../../graph/render-manifest.js";
import { applyIntentsLocally, isWorkingTreeClean } from "../../local/local-writer.js";
import { resolveLocalContext, type LocalContext } from "../../local/local-context.js";
import { localModel } from "../../local/model-from-env.js";
import { reviewExitCode, reviewToMarkdown, reviewToSarif, SEVERITY_ORDER, type FailOn } from "../../local/review-formats.js";
import { runArchitectureReviewStep } from "../../steps/architecture-review/architecture-review-step.js";
import { runDevStep } from "../../steps/dev/dev-step.js";
import type { DevOutcome } from "../../steps/dev/dev-pull-request.js";
import { runClaudeCodeDevStep } from "../../steps/dev/claude-code/claude-code-dev-step.js";
import { DEV_RUNNERS, devRunnerFor, type DevRunner } from "../../config/config-schema.js";
import { unknownModulesMessage } from "../../steps/learning/lesson-modules.js";
import { runLearningStep } from "../../steps/learning/learning-step.js";
import { commandAliasesOf } from "../../config/step-names.js";
import { runReviewStep } from "../../steps/review/review-step.js";
import type { RepoRef } from "../../steps/step-types.js";
import { CliError, type CliIo } from "../cli-io.js";
import { gitRoot } from "../working-tree.js";
import { currentBranch } from "../../local/git-branch.js";
import type { BlobContent, RepoSnapshot } from "../../snapshot/repo-snapshot.js";

interface ModelOptions {
  recorded?: string;
  record?: string;
  quiet?: boolean;
  json?: boolean;
}

function progress(io: CliIo, opts: ModelOptions) {
  return (line: string) => {
    if (!opts.quiet) io.err(`baton: ${line}`);
  };
}

function localRepo(root: string): RepoRef {
  return { owner: "local", repo: basename(root), defaultBranch: currentBranch(root) ?? "main" };
}

function describeContext(ctx: LocalContext, say: (l: string) => void): void {
  say(`${ctx.step.id}: context from ${ctx.manifest.commit.slice(0, 12)}: ${ctx.manifest.inputs.length} inputs, ${ctx.manifest.usedTokens} of ${ctx.manifest.budget} tokens${ctx.manifest.omitted.length ? `, ${ctx.manifest.omitted.length} left out` : ""}`);
}

const withModelOptions = (cmd: Command) =>
  cmd
    .option("--recorded <file>", "replay model answers from a recording instead of calling Claude")
    .option("--record <file>", "call Claude and save its answers to a recording")
    .option("--quiet", "no progress on stderr")
    .option("--json", "print a JSON result");

export function registerStepCommands(program: Command, io: CliIo): void {
  withModelOptions(program.command("architect").aliases(commandAliasesOf("architecture-review")).description("Architecture review on this checkout: writes the ADR (and any supersession, and the index) into the working tree"))
    .option("--spec <file>", "a spec committed in the repository")
    .option("--issue-text <file>", "a file holding the spec text")
    .action(async (opts: ModelOptions & { spec?: string; issueText?: string }) => {
      if (!opts.spec && !opts.issueText) throw new CliError("name the spec: --spec docs/specs/x.md or --issue-text FILE");
      const say = progress(io, opts);
      const root = gitRoot(io.cwd);
      const ctx = await resolveLocalContext({ cwd: root, step: "architecture-review", spec: opts.spec, issueText: opts.issueText });
      try {
        describeContext(ctx, say);
        const model = await localModel(io.env, { ...opts, stepId: "architecture-review", commits: [ctx.manifest.commit, ctx.head] });
        say(`model: ${model.source}`);
        const spec = opts.spec ? { kind: "file" as const, path: opts.spec.replace(/^\.\//, "") } : { kind: "text" as const, label: basename(opts.issueText!).replace(/\.[a-z]+$/i, ""), text: "" };
        const outcome = await runArchitectureReviewStep(
          { context: ctx, snapshot: ctx.snapshot, repo: localRepo(root), spec, config: ctx.config, today: io.today(), manifestMarkdown: manifestToMarkdown(ctx.manifest) },
          model.client,
        );
        await model.finish();
        const written = await applyIntentsLocally(root, ctx.step, outcome.intents, { commit: false });
        ctx.manifest.model = outcome.model;
        if (opts.json) io.out(JSON.stringify({ title: outcome.title, written: written.written, usage: outcome.usage, manifest: ctx.manifest }, null, 2));
        else io.out([manifestToMarkdown(ctx.manifest), "", `### ${outcome.title}`, "", ...written.written.map((p) => `- wrote ${p}`)].join("\n"));
      } finally {
        ctx.close();
      }
    });

  withModelOptions(program.command("dev").aliases(commandAliasesOf("dev")).description("Dev step on this checkout: implements the ADR on a new local branch baton/dev/<slug> and commits"))
    .requiredOption("--adr <file>", "the accepted ADR to implement (e.g. docs/adr/0007-x.md)")
    .addOption(new Option("--runner <runner>", "claude-code: a Claude Code session in this checkout; builtin: Baton's own tool loop (default: dev.runner, else claude-code)").choices([...DEV_RUNNERS]))
    .action(async (opts: ModelOptions & { adr: string; runner?: DevRunner }) => {
      const say = progress(io, opts);
      const root = gitRoot(io.cwd);
      if (!isWorkingTreeClean(root)) throw new CliError("the working tree has uncommitted changes: commit or stash them first (the dev step commits on a new branch)");
      const adrPath = opts.adr.replace(/^\.\//, "");
      const ctx = await resolveLocalContext({ cwd: root, step: "dev", adrs: [adrPath], devRunner: opts.runner });
      try {
        const adr = ctx.linked.find((a) => a.path === adrPath);
        if (!adr) throw new CliError(`${adrPath} is not an ADR committed at HEAD (commit it first)`);
        if (adr.record.status !== "accepted") say(`note: ${adrPath} is ${adr.record.status}, not accepted`);
        const runner = opts.runner ?? devRunnerFor(ctx.config, true);
        describeContext(ctx, say);
        const input = { context: ctx, snapshot: ctx.snapshot, repo: localRepo(root), work: { kind: "local" as const, title: adr.record.title }, adr, config: ctx.config, manifestMarkdown: manifestToMarkdown(ctx.manifest), workingTree: root };
        let outcome: DevOutcome;
        if (runner === "claude-code") {
          if (opts.recorded || opts.record) throw new CliError("--recorded and --record replay the builtin runner's model answers: add --runner builtin, or point ANTHROPIC_BASE_URL at a scripted endpoint for a Claude Code session");
          say(`model: ${ctx.step.model} in a Claude Code session (runner: claude-code, in ${root})`);
          outcome = await runClaudeCodeDevStep({ ...input, root, env: io.env, say });
        } else {
          const model = await localModel(io.env, { ...opts, stepId: "dev", commits: [ctx.manifest.commit, ctx.head] });
          say(`model: ${model.source} (runner: builtin)`);
          outcome = await runDevStep(input, model.client);
          await model.finish();
        }
        const written = await applyIntentsLocally(root, ctx.step, outcome.intents, { commit: true });
        ctx.manifest.model = outcome.model;
        if (opts.json) io.out(JSON.stringify({ runner, branch: written.branch ?? null, commit: written.commit ?? null, changed: outcome.changedPaths, finished: outcome.finished, usage: outcome.usage, manifest: ctx.manifest }, null, 2));
        else
          io.out(
            [manifestToMarkdown(ctx.manifest), "", `### ${outcome.title}`, "", outcome.summary, "", written.commit ? `Committed ${written.commit.slice(0, 12)} on ${written.branch}` : "Nothing committed."].join("\n"),
          );
      } finally {
        ctx.close();
      }
    });

  withModelOptions(program.command("review").description("Review git diff base...HEAD against the spec, ADRs and pitfalls read from the base"))
    .option("--base <ref>", "the base to diff against (default: the default branch: origin/HEAD, else main or master)")
    .option("--format <format>", "markdown, json or sarif", "markdown")
    .option("--fail-on <severity>", `exit 1 when a finding is at or above: ${["none", ...SEVERITY_ORDER].join(", ")}`, "none")
    .option("--adr <pathOrNumber...>", "ADRs the change implements")
    .action(async (opts: ModelOptions & { base?: string; format: string; failOn: string; adr?: string[] }) => {
      if (!["markdown", "json", "sarif"].includes(opts.format)) throw new CliError(`--format ${opts.format}: use markdown, json or sarif`);
      if (!["none", ...SEVERITY_ORDER].includes(opts.failOn)) throw new CliError(`--fail-on ${opts.failOn}: use none, low, medium, high or critical`);
      const say = progress(io, opts);
      const root = gitRoot(io.cwd);
      const ctx = await resolveLocalContext({ cwd: root, step: "review", base: opts.base, adrs: opts.adr?.map((a) => (/^\d+$/.test(a) ? Number(a) : a)) });
      try {
        describeContext(ctx, say);
        const model = await localModel(io.env, { ...opts, stepId: "review", commits: [ctx.manifest.commit, ctx.head] });
        say(`model: ${model.source}`);
        // The report embeds the manifest before the answer comes back: name a replayed model already.
        if (model.model) ctx.manifest.model = model.model;
        const outcome = await runReviewStep(
          {
            context: ctx,
            repo: localRepo(root),
            pull: { number: 0, title: `${opts.base ?? ctx.baseRef}...HEAD`, headSha: ctx.head, baseSha: ctx.manifest.commit },
            diffFiles: ctx.diffFiles,
            headFiles: ctx.headFiles,
            incremental: false,
            previous: null,
            config: ctx.config,
            manifestMarkdown: manifestToMarkdown(ctx.manifest),
          },
          model.client,
        );
        await model.finish();
        ctx.manifest.model = outcome.model;
        const findings = outcome.findings ?? [];
        if (opts.format === "sarif") io.out(JSON.stringify(reviewToSarif(findings, { version: ctx.step.version, model: outcome.model, env: io.env }), null, 2));
        else if (opts.format === "json" || opts.json) io.out(JSON.stringify({ title: outcome.title, findings, usage: outcome.usage, manifest: ctx.manifest }, null, 2));
        else io.out(reviewToMarkdown(outcome.reportMarkdown ?? outcome.summary, findings));
        const code = reviewExitCode(findings, opts.failOn as FailOn);
        if (code) throw new CliError(`${findings.length} findings; at least one at or above ${opts.failOn}`, code);
      } finally {
        ctx.close();
      }
    });

  program
    .command("remember")
    .aliases(commandAliasesOf("learning"))
    .description("Append a lesson to the pitfalls of a module (docs/pitfalls/<module>.md) in the working tree")
    .argument("<lesson>", 'the lesson; "… because …" records why it matters')
    .requiredOption("--module <name...>", "module(s) the lesson belongs to")
    .option("--source <url>", "where it was learned (PR or review comment URL)")
    .option("--json", "print a JSON result")
    .action(async (lesson: string, opts: { module: string[]; source?: string; json?: boolean }) => {
      const root = gitRoot(io.cwd);
      const ctx = await resolveLocalContext({ cwd: root, step: "learning" });
      try {
        // Modules with a pitfall file are known too: a lesson may go where lessons already are.
        const known = [...new Set([...ctx.moduleMap.modules.map((m) => m.name), ...ctx.store.pitfallPaths.keys()])];
        const refusal = unknownModulesMessage(opts.module, known, "plain");
        if (refusal) throw new CliError(refusal);
        const outcome = await runLearningStep({
          context: ctx,
          // The lesson is appended to the file as it is in the working tree, so lessons not yet committed are kept.
          snapshot: workingTreeReader(root, ctx.snapshot),
          repo: localRepo(root),
          lesson,
          modules: opts.module,
          source: opts.source ? { url: opts.source } : {},
          today: io.today(),
          replyTo: null,
          pitfallsFolder: ctx.config.folders.pitfalls,
        });
        const written = await applyIntentsLocally(root, ctx.step, outcome.intents, { commit: false });
        if (opts.json) io.out(JSON.stringify({ written: written.written, title: outcome.title }, null, 2));
        else io.out(written.written.length ? written.written.map((p) => `wrote ${p}`).join("\n") : outcome.summary);
      } finally {
        ctx.close();
      }
    });
}

/** The snapshot's listing, with file contents read from the working tree (files the user authors, not trusted context). */
function workingTreeReader(root: string, snapshot: RepoSnapshot): RepoSnapshot {
  return {
    commit: snapshot.commit,
    listFiles: () => snapshot.listFiles(),
    async readFiles(paths) {
      const out = new Map<string, BlobContent>();
      for (const path of paths) {
        const full = join(root, path);
        if (!existsSync(full)) continue;
        const bytes = readFileSync(full);
        out.set(path, { path, sha: "working-tree", text: bytes.toString("utf8"), size: bytes.length });
      }
      return out;
    },
  };
}
