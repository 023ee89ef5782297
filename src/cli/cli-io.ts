/** What the CLI touches outside itself, so tests can drive it in-process. */
export interface CliIo {
  cwd: string;
  out(line: string): void;
  err(line: string): void;
  today(): string;
  env: NodeJS.ProcessEnv;
}

/** An error the user can act on: printed without a stack trace, exit code 1 (or `exitCode`). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * `baton adr list | head`: the reader closes the pipe early. That is the
 * reader's choice, not an error: stop quietly, as other command-line tools do.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export function processIo(): CliIo {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return {
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    today: () => new Date().toISOString().slice(0, 10),
    env: process.env,
  };
}
