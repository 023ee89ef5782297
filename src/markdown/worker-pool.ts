import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { scavengeWithoutHelperThreads } from "../util/main-thread-gc.js";
import { lowerThreadPriority, watchUntrustedWork } from "../util/thread-priority.js";

/**
 * A few worker threads that run pure functions on untrusted input with a
 * time limit each. The limit counts from the moment a task reaches a loaded,
 * idle worker (not while it waits in the queue or while a worker starts),
 * and a task past it ends with its worker: `terminate()` stops even a
 * synchronous parse that would never return, and a fresh worker takes its
 * place when the next task needs one. A task that has used `DEMOTE_AFTER_MS`
 * of CPU is moved to the lowest CPU priority, so a runaway parse does not
 * compete with the event loop for a core; its worker is not reused. Both
 * count the thread's CPU time, so a parse waiting for a core on a busy
 * machine is not stopped for the wait (`watchUntrustedWork`).
 * The main thread only posts messages, so it never blocks on input.
 */

export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`took longer than ${limitMs} ms`);
    this.name = "TimeLimitError";
  }
}

interface Task {
  id: number;
  name: string;
  args: unknown[];
  timeLimitMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The worker thread's kernel id (Linux), to lower its priority; null elsewhere. */
  tid: number | null;
  task: Task | null;
  /** The running task's grace period and time limit, in CPU time of the thread (thread-priority.ts). */
  watch: { stop(): void } | null;
  /** Lowered to the lowest priority: the thread cannot be raised again, so it ends after its task. */
  demoted: boolean;
}

type Reply = { ready: true; tid: number | null } | { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * How to start the worker module: compiled JavaScript runs as it is; the
 * TypeScript source (tests, `tsx`) is loaded through tsx's ESM hooks, which
 * a worker does not inherit from `--import` (Node 20).
 */
function startWorker(entry: URL): Worker {
  scavengeWithoutHelperThreads();
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry);
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;

  constructor(
    private readonly entry: URL,
    private readonly size = Math.max(1, Math.min(2, availableParallelism())),
  ) {}

  run<T>(name: string, args: unknown[], timeLimitMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name, args, timeLimitMs, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Ends every worker (tests, shutdown); queued tasks are refused. */
  async close(): Promise<void> {
    for (const task of this.queue.splice(0)) task.reject(new Error("the markdown worker pool was closed"));
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot, new Error("the markdown worker pool was closed"))));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && slot.task === null) this.start(slot, this.queue.shift()!);
    }
    if (this.queue.length > this.slots.filter((s) => !s.ready).length && this.slots.length < this.size) this.spawn();
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    slot.watch = watchUntrustedWork({
      limitMs: task.timeLimitMs,
      tid: () => slot.tid,
      onDemote: () => (slot.demoted = lowerThreadPriority(slot.tid)),
      onExpire: () => {
        slot.watch = null;
        void this.retire(slot, new TimeLimitError(task.timeLimitMs)).then(() => this.dispatch());
      },
    });
    slot.worker.postMessage({ id: task.id, name: task.name, args: task.args });
  }

  private spawn(): void {
    const slot: Slot = { worker: startWorker(this.entry), ready: false, tid: null, task: null, watch: null, demoted: false };
    this.slots.push(slot);
    slot.worker.on("message", (reply: Reply) => {
      if ("ready" in reply) {
        slot.ready = true;
        slot.tid = reply.tid;
        slot.worker.unref();
        this.dispatch();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      this.clearTimers(slot);
      slot.task = null;
      slot.worker.unref();
      if (reply.ok) task.resolve(reply.value);
      else task.reject(new Error(reply.error));
      // A demoted thread would run the next task at the lowest priority: end it, a fresh one starts when needed.
      if (slot.demoted) void this.retire(slot, new Error("unused"));
      this.dispatch();
    });
    slot.worker.on("error", (error) => {
      void this.retire(slot, error instanceof Error ? error : new Error(String(error))).then(() => this.dispatch());
    });
    slot.worker.on("exit", () => {
      if (this.slots.includes(slot)) void this.retire(slot, new Error("the markdown worker stopped")).then(() => this.dispatch());
    });
  }

  private clearTimers(slot: Slot): void {
    slot.watch?.stop();
    slot.watch = null;
  }

  private async retire(slot: Slot, error: Error): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.clearTimers(slot);
    const task = slot.task;
    slot.task = null;
    if (task) task.reject(error);
    else if (!slot.ready) for (const queued of this.queue.splice(0)) queued.reject(error);
    await slot.worker.terminate().catch(() => undefined);
  }
}
