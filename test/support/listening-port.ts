import type { ChildProcess } from "node:child_process";

/**
 * The one way a test, benchmark or the loopback run learns the port of a
 * server process it started: the process is started with PORT=0, listens
 * on whatever port the kernel gives it, and says which in its log. No port
 * is ever picked beforehand (binding a port, closing it and handing the
 * number on lets any other process take it in between).
 *
 * The lines read (info level, text or JSON log format):
 * - Baton's webhook server (`npm start`, `npm run dev` with credentials):
 *   "Baton is listening for webhooks on http://HOST:PORT/path";
 * - Probot's own server (the setup page of `npm run dev` without
 *   credentials): "Listening on http://HOST:PORT".
 */
const LISTENING = /(?:Baton is listening for webhooks on|Listening on) https?:\/\/(?:\[[^\]]*\]|[^\s:/"]+):(\d+)/;

/** The port in a process's output so far, if it has said. */
export function portInOutput(output: string): number | undefined {
  const found = LISTENING.exec(output);
  return found ? Number(found[1]) : undefined;
}

/**
 * Resolves with the port once the child says it listens; rejects when it
 * exits first or says nothing within `timeoutMs` (a guard, not a wait),
 * with what it printed.
 */
export function listeningPort(child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      reject(new Error(`the process had exited (${child.signalCode ?? `code ${child.exitCode}`}) before it listened`));
      return;
    }
    let output = "";
    const finish = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(port!);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = portInOutput(output);
      if (port !== undefined) finish(undefined, port);
      // Keep the tail: a line split across chunks is still found; a chatty process does not grow this.
      else if (output.length > 64_000) output = output.slice(-16_000);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`the process exited (${signal ?? `code ${code}`}) before it listened:\n${output.slice(-4000)}`));
    const timer = setTimeout(() => finish(new Error(`the process did not say it listens within ${timeoutMs} ms (is LOG_LEVEL above info?):\n${output.slice(-4000)}`)), timeoutMs);
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}
