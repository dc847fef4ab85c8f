/**
 * Group commit. Units whose commit() calls arrive in the same turn of the event loop are
 * applied in one SQLite transaction, each unit in its own savepoint: a conflicting unit is
 * rolled back alone and reported `{ ok: false }`, the others commit together. Every promise
 * settles after the COMMIT, so `ok: true` still means "durable", and units apply in the
 * order commit() was called, so the outcome is the one sequential commits would give.
 *
 * Why: in WAL mode the cost of a commit is mostly the pages it appends to the -wal file
 * (every b-tree page a unit touches, ~4 KiB each, once per transaction). Units in flight
 * together touch the same pages (the jobs index, the last page of each table), so one
 * transaction for many units writes a fraction of the bytes: measured 4-5x more units per
 * second when the runtime has a few hundred jobs in flight (docs/operations.md).
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { CommitOutcome, UnitOfWork } from '../driver.js';
import { COMMITTED, conflictOf } from './apply-unit.js';

/** Upper bound of units per transaction, so one flush never holds the write lock for long. */
export const MAX_GROUP = 512;

export interface GroupCommit {
  commit(unit: UnitOfWork): Promise<CommitOutcome>;
  /** Apply every pending unit now (before close). */
  flush(): void;
}

interface Pending {
  readonly unit: UnitOfWork;
  readonly resolve: (outcome: CommitOutcome) => void;
  readonly reject: (err: unknown) => void;
}

type Settled = CommitOutcome | { readonly error: unknown };

export function makeGroupCommit(db: Database, applyUnit: Transaction<(unit: UnitOfWork) => void>): GroupCommit {
  let pending: Pending[] = [];
  let scheduled: NodeJS.Immediate | null = null;

  const applyGroup = db.transaction((group: readonly Pending[]): Settled[] =>
    group.map((p): Settled => {
      try {
        applyUnit(p.unit); // nested: a savepoint
        return COMMITTED;
      } catch (err) {
        const conflict = conflictOf(err);
        if (conflict !== undefined) return conflict;
        // A failure SQLite answered by rolling back the whole transaction (disk full, I/O
        // error): nothing of the group stands, so every unit of it fails with the error.
        if (!db.inTransaction) throw err;
        // A bug in one unit (a value JSON cannot hold, say): its savepoint is undone, the group goes on.
        return { error: err };
      }
    }),
  );

  const applyAlone = (p: Pending): void => {
    try {
      applyUnit.immediate(p.unit);
      p.resolve(COMMITTED);
    } catch (err) {
      const conflict = conflictOf(err);
      if (conflict !== undefined) p.resolve(conflict);
      else p.reject(err);
    }
  };

  const flush = (): void => {
    if (scheduled !== null) {
      clearImmediate(scheduled);
      scheduled = null;
    }
    while (pending.length > 0) {
      const group = pending.slice(0, MAX_GROUP);
      pending = pending.slice(group.length);
      if (group.length === 1) {
        applyAlone(group[0]!);
        continue;
      }
      let settled: Settled[];
      try {
        // IMMEDIATE takes the write lock up front: another process on the same file (a CLI
        // command, say) waits on busy_timeout instead of failing a lock upgrade mid-group.
        settled = applyGroup.immediate(group);
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      settled.forEach((outcome, i) => {
        const p = group[i]!;
        if ('error' in outcome) p.reject(outcome.error);
        else p.resolve(outcome);
      });
    }
  };

  return {
    commit(unit) {
      return new Promise<CommitOutcome>((resolve, reject) => {
        pending.push({ unit, resolve, reject });
        // setImmediate, not a microtask: the group spans every I/O callback of this loop turn.
        scheduled ??= setImmediate(flush);
      });
    },
    flush,
  };
}
