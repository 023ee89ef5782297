import { readFileSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Work on untrusted input that runs past its grace period is moved to the
 * lowest CPU priority, so that on a busy machine the event loop is not
 * competing for a core with Baton's own runaway parse or match (measured in
 * docs/performance.md, "Hostile input"). Linux keeps a nice value per
 * thread, and `setpriority` accepts a thread's id; elsewhere the call would
 * lower the whole process, so it is not made.
 */

/** How long untrusted work runs at normal priority: real inputs finish well within it. */
export const DEMOTE_AFTER_MS = 500;
/** The lowest priority a thread can have (nice 19). */
export const LOWEST_PRIORITY = 19;

/**
 * The kernel's id of the calling thread, or null where per-thread priority
 * is not available. Called inside a worker thread, which posts it back.
 */
export function currentThreadId(): number | null {
  if (process.platform !== "linux") return null;
  try {
    const tid = Number(readFileSync("/proc/thread-self/stat", "utf8").split(" ", 1)[0]);
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Moves one thread (by its kernel id) to the lowest priority; false when it could not be done. */
export function lowerThreadPriority(tid: number | null): boolean {
  if (tid === null || process.platform !== "linux") return false;
  try {
    setPriority(tid, LOWEST_PRIORITY);
    return true;
  } catch {
    // The thread has already ended, or the system refuses: the work stays bounded by its time limit.
    return false;
  }
}
