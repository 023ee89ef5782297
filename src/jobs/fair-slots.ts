/**
 * A counting semaphore that serves its waiters group by group in turn
 * (round-robin), first come first served within a group. With one group
 * it is a plain FIFO semaphore. A group with a long backlog therefore
 * delays another group's first waiter by at most one slot release.
 */
export interface FairSlots {
  acquire(group: string): Promise<void>;
  release(): void;
}

export function createFairSlots(limit: number): FairSlots {
  let free = limit;
  const waiting = new Map<string, (() => void)[]>();
  /** Groups with waiters, in the order they will be served. */
  const turn: string[] = [];
  return {
    acquire(group) {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const list = waiting.get(group);
        if (list) list.push(resolve);
        else {
          waiting.set(group, [resolve]);
          turn.push(group);
        }
      });
    },
    release() {
      const group = turn.shift();
      if (group === undefined) {
        free++;
        return;
      }
      const list = waiting.get(group)!;
      const next = list.shift()!;
      if (list.length) turn.push(group);
      else waiting.delete(group);
      next();
    },
  };
}
