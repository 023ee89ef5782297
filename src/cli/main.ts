import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { registerAdrCommands } from "./commands/adr-commands.js";
import { registerContextCommand } from "./commands/context-command.js";
import { registerLintCommand } from "./commands/lint-command.js";
import { registerStepCommands } from "./commands/step-commands.js";
import { registerTraceCommand } from "./commands/trace-command.js";
import { CliError, processIo, type CliIo } from "./cli-io.js";

export function buildProgram(io: CliIo): Command {
  const program = new Command("baton")
    .description("Baton: AI engineering steps that hand context to each other through ADRs and pitfalls")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerAdrCommands(program, io);
  registerLintCommand(program, io);
  registerContextCommand(program, io);
  registerStepCommands(program, io);
  registerTraceCommand(program, io);
  program
    .command("action")
    .description("Run as a GitHub Action: handle the workflow's event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH)")
    .action(async () => {
      const { runAction } = await import("../action/run-action.js");
      const code = await runAction({ env: io.env });
      if (code) throw new CliError("the Baton action failed (see the messages above)", code);
    });
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`baton: ${err.message}`);
      return err.exitCode;
    }
    io.err(`baton: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
const viaBin = process.argv[1]?.endsWith("/bin/baton.js") || process.argv[1]?.endsWith("/baton");
if (invokedDirectly || viaBin) {
  process.exitCode = await runCli(process.argv.slice(2));
}
