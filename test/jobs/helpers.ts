/** A promise with its resolve/reject exposed, to control ordering in tests without timers. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise continuation run (one macrotask turn; not a timed wait). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function httpError(status: number, message = `HTTP ${status}`, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, response: { status, headers } });
}
