/**
 * At most `limit` async tasks at once; the others wait, in the order they came, until one
 * finishes. Ingest runs events through it (ingest-event.ts): an event being routed holds its
 * routing, instance, deliveries and unit until its group commit, and a client that posts
 * hundreds at once would otherwise have them all in memory together, long enough to outlive the
 * young generation's collections (docs/operations.md, "Capacity"); waiting, an event is only
 * itself.
 */
export interface BoundedRuns {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running, and waiting for a place (`herald_ingest_events` in /metrics). */
  readonly running: number;
  readonly waiting: number;
}

export function createBoundedRuns(limit: number): BoundedRuns {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`a bound of runs must be a whole number from 1, got ${limit}`);
  let running = 0;
  // A queue with a moving head: shift() would copy the array once per task under a flood.
  let queue: (() => void)[] = [];
  let head = 0;

  const finished = (): void => {
    running--;
    if (head < queue.length) {
      const start = queue[head]!;
      queue[head++] = undefined as unknown as () => void;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      running++;
      start();
    }
  };

  const start = <T>(task: () => Promise<T>): Promise<T> => {
    let p: Promise<T>;
    try {
      p = task();
    } catch (error) {
      p = Promise.reject(error);
    }
    return p.finally(finished);
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      if (running < limit) {
        running++;
        return start(task);
      }
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          start(task).then(resolve, reject);
        });
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length - head;
    },
  };
}
