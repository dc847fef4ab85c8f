/**
 * `herald dev` re-compiles on every save and runs the new graph: the runtime is stopped (work in
 * flight finishes) and a new one started on the same store, which makes the new graph current.
 * New instances start on it; instances in flight stay on the version they started on (the
 * store keeps every graph). The API server keeps one `HeraldRuntime`: this one, which forwards
 * to whichever runtime is current and holds calls while the two change places.
 */
import type { Runtime } from '../orchestrator/create-runtime.js';
import type { HeraldRuntime } from '../runtime-api.js';

export interface SwappableRuntime extends HeraldRuntime {
  readonly current: Runtime;
  /** Waits for calls in flight, stops the current runtime, then uses what `next` starts. */
  swap(next: () => Promise<Runtime>): Promise<void>;
}

export function createSwappableRuntime(first: Runtime): SwappableRuntime {
  let current = first;
  let gate: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const use = async <T>(call: (r: Runtime) => Promise<T>): Promise<T> => {
    await gate;
    inFlight++;
    try {
      return await call(current);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };

  return {
    get current() {
      return current;
    },
    get graph() {
      return current.graph;
    },
    ingest: (event) => use((r) => r.ingest(event)),
    getInstance: (id) => use((r) => r.getInstance(id)),
    stopInstance: (id, reason) => use((r) => r.stopInstance(id, reason)),
    findInstances: (q) => use((r) => r.findInstances(q)),
    putSubject: (profile) => use((r) => r.putSubject(profile)),
    getSubject: (id) => use((r) => r.getSubject(id)),
    optOut: (subjectId, entry) => use((r) => r.optOut(subjectId, entry)),
    searchArchive: (q) => use((r) => r.searchArchive(q)),
    getArchived: (id) => use((r) => r.getArchived(id)),
    receipt: (id, outcome, reason) => use((r) => r.receipt(id, outcome, reason)),
    providerCallback: (channel, callback) => use((r) => r.providerCallback(channel, callback)),
    // A count, not a call to hold during a swap: the runtime current now takes it.
    countRejected: (types) => current.countRejected(types),
    metrics: () => use((r) => r.metrics()),
    health: () => use((r) => r.health()),
    stop: () => use((r) => r.stop()),

    async swap(next) {
      let open!: () => void;
      const previous = gate;
      gate = new Promise((resolve) => (open = resolve));
      try {
        await previous;
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
        await current.stop();
        current = await next();
      } finally {
        open();
      }
    },
  };
}
