/**
 * Every write of the embedded store as a value (`StoreWrite`), and what applying one does,
 * inside the transaction of a group (group-commit.ts). Writes are values so that they can
 * cross to the writer thread (store-writer.ts) as messages; the same `applyWrite` runs them
 * there and, for `:memory:` stores and `writerThread: false`, on the caller's thread, so the
 * two ways of running the driver cannot drift apart.
 *
 * Each write is plain data in and plain data out (structured-clone safe); an error it throws
 * crosses back as an Error with the same message.
 */
import type { SubjectProfile } from '../../engine/types.js';
import type { CommitOutcome, Job, LedgerEntry, QueuedJob } from '../driver.js';
import type { UnitRows } from './encode-unit.js';
import { makeApplyUnit } from './apply-unit.js';
import { mergeSubject, type SubjectPatch } from './merge-subject.js';
import type { Statements } from './prepare-statements.js';

export type StoreWrite =
  /** A unit as encode-unit.ts encodes it; `now`: when its event ids count as seen. */
  | { readonly kind: 'commit'; readonly rows: UnitRows; readonly now: number }
  | { readonly kind: 'reserve'; readonly max: number; readonly now: number; readonly leaseMs: number }
  | { readonly kind: 'release'; readonly jobId: string; readonly runAt: number }
  | { readonly kind: 'ledger-begin'; readonly key: string; readonly now: number }
  | { readonly kind: 'put-subject'; readonly patch: SubjectPatch }
  /** `ir`: the graph's JSON. */
  | { readonly kind: 'save-graph'; readonly version: string; readonly ir: string; readonly at: number }
  | { readonly kind: 'set-current-graph'; readonly version: string }
  | { readonly kind: 'purge-deliveries'; readonly before: number }
  | { readonly kind: 'purge-counters'; readonly before: number };

/** What each kind of write resolves with. */
export interface WriteResults {
  readonly commit: CommitOutcome;
  readonly reserve: QueuedJob[];
  readonly release: void;
  readonly 'ledger-begin': LedgerEntry;
  readonly 'put-subject': SubjectProfile;
  readonly 'save-graph': void;
  readonly 'set-current-graph': void;
  /** How many deliveries one batch purged. */
  readonly 'purge-deliveries': number;
  /** 0 once every counter table has less than a batch left to purge. */
  readonly 'purge-counters': number;
}

export type WriteResult<W extends StoreWrite> = WriteResults[W['kind']];

/** Runs a write on whichever thread holds the writing connection; resolves once it is committed. */
export type RunWrite = <W extends StoreWrite>(write: W) => Promise<WriteResult<W>>;

/** Deliveries (or counter rows) purged per write: bounds how long one purge step holds the write lock. */
export const PURGE_BATCH = 1000;
export const CURRENT_GRAPH_KEY = 'current_graph_version';

/** `(write) => result`, to be called inside a transaction the caller rolls back when it throws. */
export function makeApplyWrite(s: Statements): (write: StoreWrite) => WriteResults[StoreWrite['kind']] {
  const applyUnit = makeApplyUnit(s);
  return (write) => {
    switch (write.kind) {
      case 'commit':
        return applyUnit(write.rows, write.now);
      case 'reserve':
        return reserve(s, write.max, write.now, write.leaseMs);
      case 'release':
        s.releaseJob.run(write.runAt, write.jobId);
        return undefined;
      case 'ledger-begin':
        return ledgerBegin(s, write.key, write.now);
      case 'put-subject': {
        // Read, merge, write in one transaction, so two merges never lose each other's fields.
        const row = s.getSubject.get(write.patch.id);
        const merged = mergeSubject(row === undefined ? undefined : (JSON.parse(row.json) as SubjectProfile), write.patch);
        s.putSubject.run(merged.id, JSON.stringify(merged));
        return merged;
      }
      case 'save-graph':
        s.putGraph.run(write.version, write.ir, write.at);
        return undefined;
      case 'set-current-graph':
        // Instances would start on a graph nobody can load: that is a caller's bug.
        if (s.hasGraph.get(write.version) === undefined) throw new Error(`setCurrentGraphVersion: graph ${write.version} was never saved`);
        s.putMeta.run(CURRENT_GRAPH_KEY, write.version);
        return undefined;
      case 'purge-deliveries': {
        const ids = s.finishedDeliveriesBefore.all(write.before, PURGE_BATCH);
        for (const { id } of ids) {
          s.deleteContentsOf.run(id);
          s.deleteAttemptsOf.run(id);
          s.deleteDelivery.run(id);
        }
        return ids.length;
      }
      case 'purge-counters': {
        // Counters and dedupe memory older than the archive's retention go with it: frequency-cap
        // and dedupe windows are far shorter than any retention period, and an event re-posted
        // after the archive forgot it may start journeys again.
        let full = 0;
        for (const stmt of [s.purgeSent, s.purgeEvents, s.purgeLedger]) {
          if (stmt.run(write.before, PURGE_BATCH).changes === PURGE_BATCH) full++;
        }
        return full;
      }
      default:
        throw new Error(`unknown store write ${JSON.stringify(write satisfies never)}`);
    }
  };
}

function reserve(s: Statements, max: number, now: number, leaseMs: number): QueuedJob[] {
  if (max <= 0) return [];
  const rows = s.reserveJobs.all({ now, until: now + leaseMs, max: Math.floor(max) });
  // RETURNING gives rows in no promised order.
  rows.sort((a, b) => a.run_at - b.run_at || a.rowid - b.rowid);
  return rows.map((row): QueuedJob => ({ id: row.id, job: JSON.parse(row.payload) as Job, runAt: row.run_at, tries: row.tries - 1 }));
}

function ledgerBegin(s: Statements, key: string, now: number): LedgerEntry {
  if (s.beginLedger.run(key, now).changes === 1) return { state: 'new' };
  const row = s.getLedger.get(key);
  if (row === undefined) throw new Error(`ledger entry ${key} vanished between two statements`);
  return row.state === 'done'
    ? { state: 'done', result: row.result === null ? null : (JSON.parse(row.result) as unknown) }
    : { state: 'in-flight', since: row.started_at };
}
