/** The worker thread of the bounded markdown pool (see worker-pool.ts): runs one task at a time. */
import { parentPort } from "node:worker_threads";
import { currentThreadId } from "../util/thread-priority.js";
import { MARKDOWN_TASKS, type MarkdownTaskName } from "./markdown-tasks.js";

const port = parentPort;
if (port) {
  port.on("message", (message: { id: number; name: MarkdownTaskName; args: unknown[] }) => {
    try {
      const task = MARKDOWN_TASKS[message.name] as (...args: unknown[]) => unknown;
      if (typeof task !== "function") throw new Error(`unknown markdown task ${String(message.name)}`);
      port.postMessage({ id: message.id, ok: true, value: task(...message.args) });
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // The thread's kernel id lets the pool lower its priority when a task runs long.
  port.postMessage({ ready: true, tid: currentThreadId() });
}
