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

/** How long a thread (by its kernel id) has run on a CPU, in ms; null off Linux or once the thread has ended. */
export function threadCpuMs(tid: number | null): number | null {
  if (tid === null || process.platform !== "linux") return null;
  try {
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ", 1)[0]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/** Work starved of CPU on a saturated machine is still stopped after this many times its limit in wall time. */
export const WALL_BACKSTOP_FACTOR = 5;
const POLL_MS = 50;

/**
 * Watches one piece of untrusted work on its thread. Its grace period and
 * its time limit count the CPU time the thread has used, not wall time: on
 * a busy machine a legitimate parse waiting for a core is neither lowered
 * nor stopped for the wait, and a lowered runaway still ends once it has
 * had its limit of CPU, or at WALL_BACKSTOP_FACTOR × its limit of wall time.
 * Where a thread's CPU time cannot be read (off Linux, or before the thread
 * says which it is), both count wall time.
 */
export function watchUntrustedWork(opts: { limitMs: number; tid: () => number | null; onDemote: () => boolean; onExpire: () => void }): { stop(): void } {
  const started = performance.now();
  const first = opts.tid();
  // A reused thread has run before: count from now. A new thread's CPU counts from its start.
  let base: number | null = first === null ? null : threadCpuMs(first);
  let demoted = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    timer = null;
    const elapsed = performance.now() - started;
    const cpu = threadCpuMs(opts.tid());
    if (cpu !== null && base === null) base = 0;
    const used = cpu === null || base === null ? elapsed : cpu - base;
    if (used >= opts.limitMs || elapsed >= opts.limitMs * WALL_BACKSTOP_FACTOR) return opts.onExpire();
    // Retried at each poll until it is done (a new thread may not have said which it is yet).
    if (!demoted && used >= DEMOTE_AFTER_MS) demoted = opts.onDemote();
    timer = setTimeout(tick, POLL_MS);
  };
  timer = setTimeout(tick, Math.min(POLL_MS, opts.limitMs));
  return {
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
