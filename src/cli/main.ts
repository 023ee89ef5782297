import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { CliError, processIo, type CliIo } from "./cli-io.js";
import { stepIdOf } from "../config/step-names.js";

type Registrar = (program: Command, io: CliIo) => void;

/**
 * Command groups, loaded only when named: `baton adr list` need not load the
 * model clients, the steps and the markdown writer (a second of start-up).
 */
const GROUPS: Record<string, () => Promise<Registrar>> = {
  adr: async () => (await import("./commands/adr-commands.js")).registerAdrCommands,
  lint: async () => (await import("./commands/lint-command.js")).registerLintCommand,
  context: async () => (await import("./commands/context-command.js")).registerContextCommand,
  steps: async () => (await import("./commands/step-commands.js")).registerStepCommands,
  trace: async () => (await import("./commands/trace-command.js")).registerTraceCommand,
};
const GROUP_OF: Record<string, string> = { adr: "adr", lint: "lint", context: "context", architect: "steps", dev: "steps", review: "steps", remember: "steps", trace: "trace" };

/** The program, with the command group that `argv` names (all of them for help, or when none is named). */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const program = new Command("baton")
    .description("Baton: AI engineering steps that hand context to each other through ADRs and pitfalls")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const first = argv.find((a) => !a.startsWith("-"));
  // `baton arch`, `baton learn`: a step's command answers to every name of the step (step-names.ts).
  const group = first === undefined ? undefined : (GROUP_OF[first] ?? (stepIdOf(first) ? "steps" : undefined));
  const wanted = group !== undefined ? [group] : first === "action" ? [] : Object.keys(GROUPS);
  for (const name of wanted) (await GROUPS[name]!())(program, io);
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
    await (await buildProgram(io, argv)).parseAsync(argv, { from: "user" });
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
