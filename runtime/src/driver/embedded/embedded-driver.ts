/**
 * The embedded driver: Herald's store and queue in one SQLite file (better-sqlite3), for a
 * single Herald process. Every method is synchronous underneath — better-sqlite3 runs in
 * the calling thread, which for short indexed statements is faster than any round trip —
 * and wrapped in a promise for the Driver interface. The schema is in migrate-schema.ts,
 * the durability argument in open-database.ts, operations in docs/operations.md.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { GraphIR } from '@herald/dsl';
import type { Delivery } from '../../delivery/types.js';
import type { Instance, SubjectProfile } from '../../engine/types.js';
import type { Driver, Job, LedgerEntry, QueuedJob } from '../driver.js';
import { makeApplyUnit } from './apply-unit.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { claimFile, releaseFile } from './file-owner.js';
import { createSubjectCache, noSubjectCache } from './subject-cache.js';
import { makeFindInstances } from './find-instances.js';
import { makeGroupCommit } from './group-commit.js';
import { loadWaitingTypes } from './waiting-types.js';
import { mergeSubject, type SubjectPatch } from './merge-subject.js';
import { isMemoryPath, openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { prepareStatements, type Statements } from './prepare-statements.js';
import { makeGetArchived, makeSearchArchive } from './search-archive.js';

export interface EmbeddedDriverOptions extends OpenDatabaseOptions {
  /**
   * Epoch ms. Used where the interface passes no time: when an event id was seen (for
   * retention), when a graph was saved, and which leases count as live in `queueDepth`.
   * Defaults to Date.now; `herald test` passes its virtual clock.
   */
  readonly clock?: () => number;
  /**
   * Checkpoint the WAL from a thread of its own (checkpointer.ts) rather than inside the
   * scheduler's commits; default true. Files only.
   */
  readonly checkpointThread?: boolean;
}

/** Deliveries purged per transaction: bounds how long one purge step holds the write lock. */
const PURGE_BATCH = 1000;
const CURRENT_GRAPH_KEY = 'current_graph_version';

export function createEmbeddedDriver(options: EmbeddedDriverOptions): Driver {
  const clock = options.clock ?? Date.now;
  let state: (ReturnType<typeof openState> & { readonly ownerToken: string | null; readonly checkpointer: Checkpointer | null }) | null = null;
  const opened = (): ReturnType<typeof openState> => {
    if (state === null) throw new Error(`embedded driver (${options.path}): not open; call open() first`);
    return state;
  };

  return {
    name: isMemoryPath(options.path) ? 'embedded (memory)' : 'embedded',

    async open() {
      if (state !== null) return;
      const db = openDatabase(options);
      try {
        const writable = !db.readonly && !isMemoryPath(options.path);
        const s = prepareStatements(db);
        const ownerToken = writable ? claimFile(db, s, options.path) : null;
        const checkpointer = writable && options.checkpointThread !== false ? startCheckpointer(db, options.path) : null;
        state = { ...openState(db, s, clock, () => checkpointer?.committed()), ownerToken, checkpointer };
      } catch (err) {
        db.close();
        throw err;
      }
    },
    async close() {
      if (state === null) return;
      const { db, s, groupCommit, ownerToken, checkpointer } = state;
      groupCommit.flush();
      state = null;
      await checkpointer?.close();
      if (ownerToken !== null) releaseFile(s, ownerToken);
      if (!db.readonly) db.pragma('optimize');
      db.close();
    },

    async saveGraph(ir: GraphIR) {
      opened().s.putGraph.run(ir.version, JSON.stringify(ir), clock());
    },
    async loadGraph(version) {
      const row = opened().s.getGraph.get(version);
      return row === undefined ? undefined : (JSON.parse(row.ir) as GraphIR);
    },
    async currentGraphVersion() {
      return opened().s.getMeta.get(CURRENT_GRAPH_KEY)?.value;
    },
    async setCurrentGraphVersion(version) {
      const { s } = opened();
      // Instances would start on a graph nobody can load: that is a caller's bug.
      if (s.hasGraph.get(version) === undefined) throw new Error(`setCurrentGraphVersion: graph ${version} was never saved`);
      s.putMeta.run(CURRENT_GRAPH_KEY, version);
    },

    async getSubject(id) {
      const { s, subjects } = opened();
      return subjects.get(id, () => {
        const row = s.getSubject.get(id);
        return row === undefined ? undefined : (JSON.parse(row.json) as SubjectProfile);
      });
    },
    async putSubject(patch) {
      return opened().putSubject(patch);
    },

    async getInstance(id) {
      const row = opened().s.getInstance.get(id);
      return row === undefined ? undefined : (JSON.parse(row.json) as Instance);
    },
    async findInstances(q) {
      return opened().findInstances(q);
    },
    async activeVersions() {
      return opened()
        .s.activeVersions.all()
        .flatMap((row) => (typeof row.version === 'string' ? [row.version] : []));
    },
    async getDelivery(id) {
      const row = opened().s.getDelivery.get(id);
      return row === undefined ? undefined : (JSON.parse(row.json) as Delivery);
    },
    async findDeliveryByProviderId(providerMessageId) {
      const row = opened().s.getDeliveryByProviderId.get(providerMessageId);
      return row === undefined ? undefined : (JSON.parse(row.json) as Delivery);
    },
    async deliveriesOf(instance) {
      return opened()
        .s.deliveriesOfInstance.all(instance.subjectId, instance.id)
        .map((row) => JSON.parse(row.json) as Delivery);
    },

    async commit(unit) {
      return opened().groupCommit.commit(unit);
    },

    async reserve(max, now, leaseMs) {
      if (max <= 0) return [];
      const rows = opened().s.reserveJobs.all({ now, until: now + leaseMs, max: Math.floor(max) });
      // RETURNING gives rows in no promised order.
      rows.sort((a, b) => a.run_at - b.run_at || a.rowid - b.rowid);
      return rows.map(
        (row): QueuedJob => ({ id: row.id, job: JSON.parse(row.payload) as Job, runAt: row.run_at, tries: row.tries - 1 }),
      );
    },
    async release(jobId, runAt) {
      opened().s.releaseJob.run(runAt, jobId);
    },
    async nextDueAt() {
      // A leased job is due again when its lease runs out: the scheduler must wake then too,
      // or a job held by a worker that died would wait for the next unrelated wake-up.
      const { s } = opened();
      const queued = s.nextQueuedAt.get()?.at ?? null;
      const leased = s.nextLeaseExpiry.get()?.at ?? null;
      if (queued === null) return leased;
      if (leased === null) return queued;
      return Math.min(queued, leased);
    },
    async queueDepth() {
      const row = opened().s.countJobs.get(clock());
      const total = row?.total ?? 0;
      const reserved = row?.reserved ?? 0;
      return { queued: total - reserved, reserved };
    },

    async ledgerBegin(key, now): Promise<LedgerEntry> {
      const { s, groupCommit } = opened();
      // In the next group's transaction: the `in-flight` mark is durable before the caller may
      // call a provider, and costs a statement rather than a transaction of its own.
      return groupCommit.run((): LedgerEntry => {
        if (s.beginLedger.run(key, now).changes === 1) return { state: 'new' };
        const row = s.getLedger.get(key);
        if (row === undefined) throw new Error(`ledger entry ${key} vanished between two statements`);
        return row.state === 'done'
          ? { state: 'done', result: row.result === null ? null : (JSON.parse(row.result) as unknown) }
          : { state: 'in-flight', since: row.started_at };
      });
    },
    async ledgerFinish(key, result, now) {
      const outcome = await opened().groupCommit.commit({ ledger: [{ key, result, at: now }] });
      if (!outcome.ok) throw new Error(`ledgerFinish ${key}: ${outcome.conflict}`);
    },

    async countSent(subjectId, category, since) {
      return opened().s.countSent.get(subjectId, category, since)?.n ?? 0;
    },
    async sentTimes(subjectId, category, since, except) {
      return opened().s.sentTimes.all(subjectId, category, since, except).map((r) => r.at);
    },
    async seenDedupeKey(key, since) {
      return opened().s.seenDedupeKey.get(key, since) !== undefined;
    },
    async eventSeen(eventId) {
      return opened().s.hasEvent.get(eventId) !== undefined;
    },

    async searchArchive(q) {
      return opened().searchArchive(q);
    },
    async getArchived(deliveryId) {
      const { s, getArchived } = opened();
      const row = s.getDelivery.get(deliveryId);
      return row === undefined ? undefined : getArchived(row);
    },
    async purgeArchive(before) {
      const { purgeDeliveries, purgeCounters } = opened();
      let purged = 0;
      for (;;) {
        const n = purgeDeliveries.immediate(before);
        purged += n;
        if (n < PURGE_BATCH) break;
        // Let queued work in between batches: a large purge must not stall the scheduler.
        await yieldToEventLoop();
      }
      while (purgeCounters.immediate(before) > 0) await yieldToEventLoop();
      return purged;
    },
  };
}

/** Parsed subject profiles kept in memory (subject-cache.ts): ~1-2 KiB each. */
const SUBJECT_CACHE_ENTRIES = 10_000;

function openState(db: Database, s: Statements, clock: () => number, committed: () => void) {
  const subjects = db.readonly ? noSubjectCache : createSubjectCache(SUBJECT_CACHE_ENTRIES);
  /** Read, merge, write: one transaction, so two merges never lose each other's fields. */
  const putSubject = db.transaction((patch: SubjectPatch): SubjectProfile => {
    const row = s.getSubject.get(patch.id);
    const merged = mergeSubject(row === undefined ? undefined : (JSON.parse(row.json) as SubjectProfile), patch);
    s.putSubject.run(merged.id, JSON.stringify(merged));
    return merged;
  });
  const waiting = loadWaitingTypes(db);
  return {
    subjects,
    db,
    s,
    groupCommit: makeGroupCommit(db, makeApplyUnit(s, clock, waiting), committed),
    findInstances: makeFindInstances(db, waiting),
    searchArchive: makeSearchArchive(db, s),
    getArchived: makeGetArchived(s),
    putSubject: (patch: SubjectPatch): SubjectProfile => {
      const merged = putSubject.immediate(patch);
      // After the commit: a failed write leaves the cache as the file is.
      return subjects.set(merged);
    },
    /** One batch of finished deliveries created before `before`, with their archived content. */
    purgeDeliveries: db.transaction((before: number): number => {
      const ids = s.finishedDeliveriesBefore.all(before, PURGE_BATCH);
      for (const { id } of ids) {
        s.deleteContentsOf.run(id);
        s.deleteAttemptsOf.run(id);
        s.deleteDelivery.run(id);
      }
      return ids.length;
    }),
    /**
     * Counters and dedupe memory older than the archive's retention go with it: frequency-cap
     * and dedupe windows are far shorter than any retention period, and an event re-posted
     * after the archive forgot it may start journeys again. So do ended instances (with the
     * trigger data in their vars): kept, an instance would also hold the id a re-posted event
     * starts its journey under.
     */
    purgeCounters: db.transaction((before: number): number => {
      // 0 once every table is below PURGE_BATCH rows to go.
      let full = 0;
      for (const stmt of [s.purgeSent, s.purgeEvents, s.purgeLedger]) {
        if (stmt.run(before, PURGE_BATCH).changes === PURGE_BATCH) full++;
      }
      if (s.purgeInstances.run(before, before, PURGE_BATCH).changes === PURGE_BATCH) full++;
      return full;
    }),
  };
}
