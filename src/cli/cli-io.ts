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

export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    today: () => new Date().toISOString().slice(0, 10),
    env: process.env,
  };
}
