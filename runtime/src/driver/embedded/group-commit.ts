/**
 * Group commit. Writes whose calls arrive in the same turn of the event loop — units of work,
 * ledger begins — are applied in one SQLite transaction, each in its own savepoint: a unit
 * that conflicts is rolled back alone and reported `{ ok: false }`, the others commit
 * together. Every promise settles after the COMMIT, so a resolved write is durable, and
 * writes apply in the order they were called, so the outcome is the one sequential commits
 * would give.
 *
 * Why: in WAL mode the cost of a commit is mostly the pages it appends to the -wal file
 * (every b-tree page a write touches, ~4 KiB each, once per transaction). Writes in flight
 * together touch the same pages (the jobs index, the last page of each table), so one
 * transaction for many writes a fraction of the bytes: measured 4-5x more units per second
 * when the runtime has a few hundred jobs in flight (docs/operations.md).
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { CommitOutcome, UnitOfWork } from '../driver.js';
import { COMMITTED, conflictOf } from './apply-unit.js';

/** Upper bound of writes per transaction, so one flush never holds the write lock for long. */
export const MAX_GROUP = 512;

export interface GroupCommit {
  commit(unit: UnitOfWork): Promise<CommitOutcome>;
  /**
   * Runs `write` inside the next group's transaction and resolves with its value once that
   * transaction is committed. A throw rolls back what `write` did (it runs in a savepoint)
   * and rejects.
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

type Settled = { readonly value: unknown } | { readonly error: unknown };

/** `committed` runs after each transaction that committed (the checkpointer's cue). */
export function makeGroupCommit(db: Database, applyUnit: Transaction<(unit: UnitOfWork) => void>, committed: () => void = () => {}): GroupCommit {
  let pending: Pending[] = [];
  let scheduled: NodeJS.Immediate | null = null;

  const applyGroup = db.transaction((group: readonly Pending[]): Settled[] =>
    group.map((p): Settled => {
      try {
        return { value: p.write() };
      } catch (err) {
        // A failure SQLite answered by rolling back the whole transaction (disk full, I/O
        // error): nothing of the group stands, so every write of it fails with the error.
        if (!db.inTransaction) throw err;
        // A bug in one write (a value JSON cannot hold, say): its savepoint is undone, the group goes on.
        return { error: err };
      }
    }),
  );

  const flush = (): void => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    while (pending.length > 0) {
      const group = pending.slice(0, MAX_GROUP);
      pending = pending.slice(group.length);
      let settled: Settled[];
      try {
        // IMMEDIATE takes the write lock up front: a process reading the file waits on
        // busy_timeout instead of failing a lock upgrade mid-group.
        settled = applyGroup.immediate(group);
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      committed();
      settled.forEach((outcome, i) => {
        const p = group[i]!;
        if ('error' in outcome) p.reject(outcome.error);
        else p.resolve(outcome.value);
      });
    }
  };

  const run = <T>(write: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate, not a microtask: the group spans every I/O callback of this loop turn.
      scheduled ??= setImmediate(flush);
    });

  return {
    commit: (unit) =>
      run((): CommitOutcome => {
        try {
          applyUnit(unit); // nested in the group's transaction: a savepoint
          return COMMITTED;
        } catch (err) {
          const conflict = conflictOf(err);
          if (conflict !== undefined) return conflict;
          throw err;
        }
      }),
    run,
    flush,
  };
}
