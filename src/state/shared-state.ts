/**
 * The little state Baton shares between its processes: counters with an
 * expiry (reply limits, token use per day), small record sets (the check
 * runs a job has open), and per-group pauses. In one process it lives in
 * memory (records optionally mirrored to a file so they survive a restart);
 * with REDIS_URL it lives in Redis (redis-state.ts), shared by every
 * webhook and worker process.
 */
export interface SharedState {
  /** Adds `by` to the counter and returns its new value; a counter created here expires after `ttlMs`. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /** Current values (0 for a missing or expired counter). */
  read(keys: string[]): Promise<number[]>;
  /** Sets the counter to `value` unless it already holds more; it expires after `ttlMs`. */
  raise(key: string, value: number, ttlMs: number): Promise<void>;
  /** Records: small JSON strings by field, in a named set. */
  put(set: string, field: string, value: string): Promise<void>;
  remove(set: string, field: string): Promise<void>;
  list(set: string): Promise<Map<string, string>>;
  close(): Promise<void>;
}
