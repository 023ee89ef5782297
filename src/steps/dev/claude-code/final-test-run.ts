import { spawn } from "node:child_process";
import { commandEnv } from "./session-env.js";

/**
 * The final test result: Baton runs the declared `test` command itself on
 * the files it is about to commit (after out-of-bounds changes are undone),
 * so the pull request says what the tests do on the commit, not what the
 * session claims. It runs with no credential in its environment, under a
 * time limit, through a shell (the declared line may use one).
 */
export type TestResult = { status: "passed"; command: string; exitCode: 0 } | { status: "failed"; command: string; exitCode: number | null; why: string; tail: string } | { status: "not run"; why: string };

const TIME_LIMIT_MS = 15 * 60 * 1000;
const TAIL_CHARS = 2000;

export async function runFinalTests(root: string, command: string | undefined, env: NodeJS.ProcessEnv, timeLimitMs = TIME_LIMIT_MS): Promise<TestResult> {
  if (!command) return { status: "not run", why: "no test command is declared (dev.commands.test, or a test script in package.json)" };
  let output = "";
  const child = spawn(command, { cwd: root, env: commandEnv(env), shell: true, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-TAIL_CHARS * 4);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The whole process group: a test runner's own children go too.
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }, timeLimitMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code));
  });
  clearTimeout(timer);
  if (exitCode === 0 && !timedOut) return { status: "passed", command, exitCode: 0 };
  const why = timedOut ? `stopped after ${Math.round(timeLimitMs / 60000)} minutes` : exitCode === null ? "could not be started" : `exit code ${exitCode}`;
  return { status: "failed", command, exitCode: timedOut ? null : exitCode, why, tail: output.slice(-TAIL_CHARS) };
}
