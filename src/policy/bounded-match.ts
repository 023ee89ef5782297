import { Worker } from "node:worker_threads";
import picomatch from "picomatch";
import { scavengeWithoutHelperThreads } from "../util/main-thread-gc.js";
import { lowerThreadPriority, watchUntrustedWork } from "../util/thread-priority.js";

/**
 * Globs and regular expressions that a model chooses run here: capped in
 * length, compiled on the main thread (parsing is linear in their length),
 * and matched in a worker thread that is terminated when it runs past the
 * time limit (and moved to the lowest CPU priority after `DEMOTE_AFTER_MS`,
 * so it does not compete with the event loop for a core). A catastrophic
 * pattern (`*a*a*a*a*a*a*a*a*b`, `^(a+)+$`) costs the worker its time
 * limit and the model an error it can act on; the event
 * loop, and every other installation's job, never waits for it.
 */

export const MODEL_GLOB_MAX_LENGTH = 200;
export const MODEL_REGEX_MAX_LENGTH = 200;
/** However pathological the model's glob or regular expression, matching gives up after this long. */
export const MATCH_TIME_LIMIT_MS = 2000;
/** Lines longer than this are skipped by search (minified files); what is shown of a hit is cut at 200. */
const MAX_LINE_LENGTH = 2000;

/** An input over a limit: names the input and the limit, so the caller reports it and goes on without it. */
export class BoundedInputError extends Error {
  constructor(
    readonly input: string,
    readonly limit: string,
    message: string,
  ) {
    super(message);
    this.name = "BoundedInputError";
  }
}

/**
 * Paths cross to the worker as one NUL-joined string (git paths hold no NUL),
 * which the structured clone copies in one piece: 100,000 separate strings
 * would cost the main thread tens of milliseconds. Texts cross as they are
 * (a few thousand strings): joining megabytes would cost more than it saves.
 */
type Job = { kind: "paths"; source: string; flags: string; paths: string } | { kind: "lines"; source: string; flags: string; paths: string; texts: string[]; max: number; maxLine: number };

// Plain JavaScript, evaluated by the worker: no import to resolve, so it runs the same under tsx, vitest and the built dist/.
const WORKER_CODE = `
const { parentPort, workerData: job } = require("node:worker_threads");
// The thread's kernel id (Linux), so that the caller can lower its priority if it runs long (as currentThreadId in src/util/thread-priority.ts).
let tid = null;
try { if (process.platform === "linux") tid = Number(require("node:fs").readFileSync("/proc/thread-self/stat", "utf8").split(" ", 1)[0]) || null; } catch {}
parentPort.postMessage({ tid });
const re = new RegExp(job.source, job.flags);
const paths = job.paths.split("\\0");
if (job.kind === "paths") {
  const hits = [];
  for (let i = 0; i < paths.length; i++) if (re.test(paths[i])) hits.push(i);
  const indices = Int32Array.from(hits);
  parentPort.postMessage({ result: indices }, [indices.buffer]);
} else {
  const texts = job.texts;
  const out = [];
  outer: for (let f = 0; f < texts.length; f++) {
    const lines = texts[f].split("\\n");
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].length <= job.maxLine && re.test(lines[i])) {
        out.push(paths[f] + ":" + (i + 1) + ": " + lines[i].slice(0, 200));
        if (out.length >= job.max) break outer;
      }
    }
  }
  parentPort.postMessage({ result: out });
}
`;

class MatchTimeout extends Error {}

function runInWorker<T>(job: Job, timeoutMs: number): Promise<T> {
  scavengeWithoutHelperThreads();
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: job, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    let tid: number | null = null;
    const finish = (settle: () => void) => {
      watch.stop();
      void worker.terminate();
      settle();
    };
    // Grace period and limit in the thread's CPU time (wall time until it says which thread it is).
    const watch = watchUntrustedWork({
      limitMs: timeoutMs,
      tid: () => tid,
      onDemote: () => lowerThreadPriority(tid),
      onExpire: () => finish(() => reject(new MatchTimeout())),
    });
    worker.on("message", (message: { tid: number | null } | { result: T }) => {
      if (!("tid" in message)) return finish(() => resolve(message.result));
      tid = message.tid;
    });
    worker.once("error", (err) => finish(() => reject(err)));
    worker.once("exit", (code) => finish(() => reject(new Error(`the match worker stopped (exit code ${code})`))));
  });
}

const quoted = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** Compiles a model's glob (picomatch, dotfiles included) on the main thread, refusing what is over the length cap or invalid (`debug`: picomatch throws on an invalid glob instead of matching nothing). */
function compileModelGlob(glob: string): RegExp {
  if (glob.length > MODEL_GLOB_MAX_LENGTH) {
    throw new BoundedInputError("glob", `${MODEL_GLOB_MAX_LENGTH} characters`, `glob ${quoted(glob)} is ${glob.length} characters long; the limit is ${MODEL_GLOB_MAX_LENGTH}: use a shorter glob`);
  }
  try {
    return picomatch.makeRe(glob, { dot: true, debug: true } as picomatch.PicomatchOptions);
  } catch {
    throw new BoundedInputError("glob", "a valid glob", `glob ${quoted(glob)} is not a valid glob`);
  }
}

/** The paths a model's glob matches, in their order. */
export async function matchPaths(glob: string, paths: string[], timeoutMs = MATCH_TIME_LIMIT_MS): Promise<string[]> {
  const re = compileModelGlob(glob);
  if (paths.length === 0) return [];
  try {
    const indices = await runInWorker<Int32Array>({ kind: "paths", source: re.source, flags: re.flags, paths: paths.join("\0") }, timeoutMs);
    return Array.from(indices, (i) => paths[i]!);
  } catch (err) {
    if (err instanceof MatchTimeout) {
      throw new BoundedInputError("glob", `${timeoutMs} ms`, `glob ${quoted(glob)} was stopped after ${timeoutMs} ms (the time limit) against ${paths.length} paths: use a simpler glob`);
    }
    throw err;
  }
}

/** `path:line: text` for the lines where the model's regular expression matches, at most `max`. */
export async function searchLines(pattern: string, texts: [string, string][], max: number, timeoutMs = MATCH_TIME_LIMIT_MS): Promise<string[]> {
  if (pattern.length > MODEL_REGEX_MAX_LENGTH) {
    throw new BoundedInputError("pattern", `${MODEL_REGEX_MAX_LENGTH} characters`, `pattern ${quoted(pattern)} is ${pattern.length} characters long; the limit is ${MODEL_REGEX_MAX_LENGTH}: search for something shorter`);
  }
  try {
    new RegExp(pattern);
  } catch {
    throw new BoundedInputError("pattern", "a valid regular expression", `pattern ${quoted(pattern)} is not a valid regular expression`);
  }
  if (texts.length === 0) return [];
  try {
    const job: Job = { kind: "lines", source: pattern, flags: "", paths: texts.map(([path]) => path).join("\0"), texts: texts.map(([, text]) => text), max, maxLine: MAX_LINE_LENGTH };
    return await runInWorker<string[]>(job, timeoutMs);
  } catch (err) {
    if (err instanceof MatchTimeout) {
      throw new BoundedInputError("pattern", `${timeoutMs} ms`, `search for ${quoted(pattern)} was stopped after ${timeoutMs} ms (the time limit): use a simpler pattern`);
    }
    throw err;
  }
}
