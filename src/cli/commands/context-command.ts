import type { Command } from "commander";
import { STEP_IDS, type StepId } from "../../config/config-schema.js";
import { manifestToJson, manifestToMarkdown } from "../../graph/render-manifest.js";
import { CliError, type CliIo } from "../cli-io.js";
import { resolveLocalContext } from "../../local/local-context.js";

export function registerContextCommand(program: Command, io: CliIo): void {
  program
    .command("context")
    .description("Print the manifest of what a step would receive on this checkout (no model call)")
    .argument("<step>", `one of ${STEP_IDS.join(", ")}`)
    .option("--base <ref>", "review: the base to diff against (default HEAD~1: the latest commit)")
    .option("--spec <file>", "a spec file committed in the repository")
    .option("--issue-text <file>", "a file holding the spec text (e.g. an issue body)")
    .option("--adr <pathOrNumber...>", "ADRs to link (paths or numbers)")
    .option("--json", "print the manifest as JSON")
    .action(async (stepArg: string, opts: { base?: string; spec?: string; issueText?: string; adr?: string[]; json?: boolean }) => {
      if (!(STEP_IDS as readonly string[]).includes(stepArg)) throw new CliError(`unknown step "${stepArg}": use one of ${STEP_IDS.join(", ")}`);
      const resolved = await resolveLocalContext({
        cwd: io.cwd,
        step: stepArg as StepId,
        base: opts.base,
        spec: opts.spec,
        issueText: opts.issueText,
        adrs: opts.adr?.map((a) => (/^\d+$/.test(a) ? Number(a) : a)),
      });
      resolved.close();
      io.out(opts.json ? manifestToJson(resolved.manifest) : manifestToMarkdown(resolved.manifest));
    });
}
