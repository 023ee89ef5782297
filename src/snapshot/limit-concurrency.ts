/**
 * Run at most `limit` tasks at a time; each call returns the task's promise
 * right away, so callers can register it (e.g. as in-flight) before it starts.
 * GitHub asks integrators not to fire many concurrent requests (secondary
 * rate limits), hence a small bound rather than Promise.all over everything.
 */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(limit));
  let active = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    active--;
    const next = waiting.shift();
    if (next !== undefined) next();
  };

  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active++;
        // Wrapped so a task that throws synchronously still releases its slot.
        new Promise<T>((r) => r(task())).then(resolve, reject).finally(release);
      };
      if (active < max) start();
      else waiting.push(start);
    });
}
