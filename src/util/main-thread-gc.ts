import { setFlagsFromString } from "node:v8";

/**
 * V8 scavenges (collects the young generation) with helper threads that
 * every isolate of the process shares, and the event loop waits for the
 * helpers that took part. While a worker thread runs a runaway parse or
 * match, those helpers are busy with its garbage or descheduled on a loaded
 * machine, and the event loop was seen waiting on them for 20 to 105 ms at
 * a time (a futex, neither running nor waiting for a CPU). Scavenging on
 * each isolate's own thread removes the wait; on the young generation it
 * costs no measurable time (docs/performance.md, "Hostile input").
 * Called before the first worker on untrusted input starts; the flag is
 * process-wide and read at each scavenge.
 */
let applied = false;
export function scavengeWithoutHelperThreads(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString("--no-parallel-scavenge");
}
