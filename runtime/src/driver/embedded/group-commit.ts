/**
 * Group commit. Writes whose calls arrive in the same turn of the event loop — units of work,
 * ledger begins — are applied in one SQLite transaction. A unit that conflicts writes nothing
 * (apply-unit.ts checks before it writes) and is reported `{ ok: false }`; the others commit
 * together. Should a write throw anyway, the transaction is rolled back whole and every write
 * of the group runs again in a transaction of its own, so only the failing one fails. Every
 * promise settles after the COMMIT, so a resolved write is durable, and writes apply in the
 * order they were called, so the outcome is the one sequential commits would give.
 *
 * Why: in WAL mode the cost of a commit is mostly the pages it appends to the -wal file
 * (every b-tree page a write touches, ~4 KiB each, once per transaction). Writes in flight
 * together touch the same pages (the jobs index, the last page of each table), so one
 * transaction for many writes a fraction of the bytes: measured 4-5x more units per second
 * when the runtime has a few hundred jobs in flight (docs/operations.md).
 */
import type { Database } from 'better-sqlite3';
import type { CommitOutcome, UnitOfWork } from '../driver.js';
import { conflictOf } from './apply-unit.js';

/** Upper bound of writes per transaction, so one flush never holds the write lock for long. */
export const MAX_GROUP = 512;

/**
 * While the store is busy — the last flush took BUSY_FLUSH_MS or more — a group keeps gathering
 * writes for as many turns of the event loop as bring new ones, up to as long as that flush took
 * (at most MAX_WINDOW_MS) or MAX_GROUP writes: a commit costs mostly per transaction, so under
 * load fewer, larger transactions carry more units per second. The first turn that brings no
 * new write ends the gathering, so the store never waits on an idle event loop; a lightly
 * loaded store commits in the next turn, adding no latency.
 */
export const BUSY_FLUSH_MS = 2;
export const MAX_WINDOW_MS = 4;

export interface GroupCommit {
  commit(unit: UnitOfWork): Promise<CommitOutcome>;
  /**
   * Runs `write` inside the next group's transaction and resolves with its value once that
   * transaction is committed. A throw rolls back what `write` did and rejects (it may run
   * twice: once in the group, once alone after the group failed).
   */
  run<T>(write: () => T): Promise<T>;
  /** Apply every pending write now (before close). */
  flush(): void;
}

interface Pending {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * `committed` runs after each transaction that committed (the checkpointer's cue). `busyFlushMs`
 * (default BUSY_FLUSH_MS): a flush this long marks the store busy; tests of the idle path give
 * Infinity, so a machine slowed by other work does not turn them into tests of the busy one.
 */
export function makeGroupCommit(
  db: Database,
  applyUnit: (unit: UnitOfWork) => CommitOutcome,
  committed: () => void = () => {},
  busyFlushMs: number = BUSY_FLUSH_MS,
): GroupCommit {
  let pending: Pending[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let lastFlushMs = 0;
  /** While busy: until when (performance.now()) the pending group may gather, and its size a turn ago. */
  let gatherUntil = 0;
  let sizeLastTurn = 0;

  const applyGroup = db.transaction((group: readonly Pending[]): unknown[] => group.map((p) => p.write()));

  /** After a group failed: each write alone, so one bad write (or a conflict a unit met against itself) fails alone. */
  const applyEach = (group: readonly Pending[]): void => {
    for (const p of group) {
      try {
        const value = db.transaction(p.write).immediate();
        committed();
        p.resolve(value);
      } catch (err) {
        const conflict = conflictOf(err);
        if (conflict !== undefined) p.resolve(conflict);
        else p.reject(err);
      }
    }
  };

  const flush = (): void => {
    if (scheduled !== null) clearImmediate(scheduled);
    scheduled = null;
    const started = performance.now();
    while (pending.length > 0) {
      const group = pending.slice(0, MAX_GROUP);
      pending = pending.slice(group.length);
      let values: unknown[];
      try {
        // IMMEDIATE takes the write lock up front: a process reading the file waits on
        // busy_timeout instead of failing a lock upgrade mid-group.
        values = applyGroup.immediate(group);
      } catch {
        applyEach(group);
        continue;
      }
      committed();
      values.forEach((value, i) => group[i]!.resolve(value));
    }
    lastFlushMs = performance.now() - started;
  };

  const onTurn = (): void => {
    scheduled = null;
    if (pending.length > sizeLastTurn && pending.length < MAX_GROUP && performance.now() < gatherUntil) {
      sizeLastTurn = pending.length;
      scheduled = setImmediate(onTurn);
      return;
    }
    flush();
  };

  const run = <T>(write: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (scheduled !== null) return;
      gatherUntil = lastFlushMs >= busyFlushMs ? performance.now() + Math.min(lastFlushMs, MAX_WINDOW_MS) : 0;
      sizeLastTurn = 0;
      // setImmediate, not a microtask: the group spans every I/O callback of this loop turn.
      scheduled = setImmediate(onTurn);
    });

  return {
    commit: (unit) => run(() => applyUnit(unit)),
    run,
    flush,
  };
}
