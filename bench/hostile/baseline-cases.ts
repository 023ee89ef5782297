import { Worker } from "node:worker_threads";
import type { HostileCase } from "./hostile-case.js";

/**
 * The noise floor: what the heartbeat sees when Baton does nothing on the
 * main thread. On a machine shared with other processes the OS deschedules
 * the event loop now and then; a block of this size in another row is the
 * machine's, not Baton's.
 */
export const baselineCases: HostileCase[] = [
  { inputClass: "baseline", name: "nothing for 2 s (main thread idle)", limit: "—", run: () => new Promise((resolve) => setTimeout(resolve, 2000)) },
  {
    inputClass: "baseline",
    name: "a worker thread busy for 2 s, then terminated",
    limit: "—",
    run: () =>
      new Promise<void>((resolve) => {
        const worker = new Worker("for (;;) {}", { eval: true });
        setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
      }),
  },
];
