import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SharedState } from "./shared-state.js";

export interface MemoryStateOptions {
  now?: () => number;
  /**
   * A JSON file the record sets are written to on every change and read
   * from at start, so the check runs a crashed process left open are still
   * known after the restart. Counters stay in memory.
   */
  recordsFile?: string;
}

/** SharedState for one process. */
export function createMemoryState(options: MemoryStateOptions = {}): SharedState {
  const now = options.now ?? Date.now;
  const counters = new Map<string, { value: number; expiresAt: number }>();
  const sets = new Map<string, Map<string, string>>();
  const file = options.recordsFile;
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>>;
      for (const [name, fields] of Object.entries(saved)) sets.set(name, new Map(Object.entries(fields)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`could not read Baton's state file ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const save = () => {
    if (!file) return;
    const data: Record<string, Record<string, string>> = {};
    for (const [name, fields] of sets) data[name] = Object.fromEntries(fields);
    mkdirSync(dirname(file), { recursive: true });
    // Written aside then renamed: a crash mid-write leaves the previous file whole.
    writeFileSync(`${file}.tmp`, JSON.stringify(data));
    renameSync(`${file}.tmp`, file);
  };
  const live = (key: string) => {
    const c = counters.get(key);
    if (c && c.expiresAt <= now()) {
      counters.delete(key);
      return undefined;
    }
    return c;
  };
  return {
    async increment(key, by, ttlMs) {
      const c = live(key) ?? { value: 0, expiresAt: now() + ttlMs };
      c.value += by;
      counters.set(key, c);
      return c.value;
    },
    async raise(key, value, ttlMs) {
      const c = live(key);
      if (!c || c.value < value) counters.set(key, { value, expiresAt: now() + ttlMs });
    },
    async read(keys) {
      return keys.map((k) => live(k)?.value ?? 0);
    },
    async put(set, field, value) {
      const fields = sets.get(set) ?? sets.set(set, new Map()).get(set)!;
      fields.set(field, value);
      save();
    },
    async remove(set, field) {
      if (sets.get(set)?.delete(field)) save();
    },
    async list(set) {
      return new Map(sets.get(set) ?? []);
    },
    async close() {},
  };
}
