import type { Command } from "commander";
import { describeStepNames, stepIdOf } from "../../config/step-names.js";
import { manifestToJson, manifestToMarkdown } from "../../graph/render-manifest.js";
import { CliError, type CliIo } from "../cli-io.js";
import { resolveLocalContext } from "../../local/local-context.js";

export function registerContextCommand(program: Command, io: CliIo): void {
  program
    .command("context")
    .description("Print the manifest of what a step would receive on this checkout (no model call)")
    .argument("<step>", `one of ${describeStepNames()}`)
    .option("--base <ref>", "review: the base to diff against (default: the default branch: origin/HEAD, else main or master)")
    .option("--spec <file>", "a spec file committed in the repository")
    .option("--issue-text <file>", "a file holding the spec text (e.g. an issue body)")
    .option("--adr <pathOrNumber...>", "ADRs to link (paths or numbers)")
    .option("--json", "print the manifest as JSON")
    .action(async (stepArg: string, opts: { base?: string; spec?: string; issueText?: string; adr?: string[]; json?: boolean }) => {
      const step = stepIdOf(stepArg);
      if (step === null) throw new CliError(`unknown step "${stepArg}": use one of ${describeStepNames()}`);
      const resolved = await resolveLocalContext({
        cwd: io.cwd,
        step,
        base: opts.base,
        spec: opts.spec,
        issueText: opts.issueText,
        adrs: opts.adr?.map((a) => (/^\d+$/.test(a) ? Number(a) : a)),
      });
      resolved.close();
      io.out(opts.json ? manifestToJson(resolved.manifest) : manifestToMarkdown(resolved.manifest));
    });
}
