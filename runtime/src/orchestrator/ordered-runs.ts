/**
 * Runs async tasks with the order that matters and no more: tasks that share a key run one
 * after another in the order they were given, tasks that share none at once. Keys `[]`: not
 * ordered at all. Keys `null`: a barrier — it waits for every ordered task before it, and every
 * ordered task after waits for it. A task whose predecessor rejected does not run and rejects
 * with the same reason, so nothing ordered after a failure overtakes it.
 *
 * One mechanism for both places where events are ordered by engine/event-order-keys.ts: a
 * `POST /events` batch (api/events-routes.ts) and the scheduler's `event` jobs. Entries are
 * forgotten once their task settles, so a long-lived instance holds only what is in flight.
 */
export interface OrderedRuns {
  run<T>(keys: readonly string[] | null, task: () => Promise<T>): Promise<T>;
}

export function createOrderedRuns(): OrderedRuns {
  const tails = new Map<string, Promise<unknown>>();
  /** Ordered tasks since the last barrier, not settled yet: what the next barrier waits for. */
  const open = new Set<Promise<unknown>>();
  let barrier: Promise<unknown> | null = null;
  return {
    run(keys, task) {
      if (keys !== null && keys.length === 0) return task();
      const before = [...(barrier ? [barrier] : []), ...(keys === null ? open : keys.flatMap((k) => tails.get(k) ?? []))];
      const p = before.length === 0 ? task() : Promise.all(before).then(task);
      if (keys === null) {
        barrier = p;
        open.clear();
        tails.clear();
      } else {
        open.add(p);
        for (const k of keys) tails.set(k, p);
      }
      const forget = () => {
        open.delete(p);
        for (const k of keys ?? []) if (tails.get(k) === p) tails.delete(k);
        if (barrier === p) barrier = null;
      };
      p.then(forget, forget);
      return p;
    },
  };
}
