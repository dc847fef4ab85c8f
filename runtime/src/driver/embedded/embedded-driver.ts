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
import type { Driver } from '../driver.js';
import { encodeUnit, type UnitRows } from './encode-unit.js';
import { SAFETY_NET_PAGES, startCheckpointer, type Checkpointer } from './checkpointer.js';
import { claimFile, releaseFile } from './file-owner.js';
import { createSubjectCache, noSubjectCache } from './subject-cache.js';
import { makeFindInstances } from './find-instances.js';
import { makeGroupCommit } from './group-commit.js';
import { loadWaitingTypes, type WaitingTypes } from './waiting-types.js';
import { isMemoryPath, openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { prepareStatements, type Statements } from './prepare-statements.js';
import { makeGetArchived, makeSearchArchive } from './search-archive.js';
import { startStoreWriter } from './store-writer.js';
import { CURRENT_GRAPH_KEY, makeApplyWrite, PURGE_BATCH, type RunWrite, type StoreWrite } from './store-writes.js';

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
  /**
   * Apply writes on a thread of their own (store-writer.ts) rather than on the caller's;
   * default true. Files only: a `:memory:` store lives in one connection.
   */
  readonly writerThread?: boolean;
}

interface OpenState {
  readonly db: Database;
  readonly s: Statements;
  readonly write: RunWrite;
  readonly waiting: WaitingTypes;
  readonly subjects: ReturnType<typeof createSubjectCache>;
  readonly findInstances: ReturnType<typeof makeFindInstances>;
  readonly searchArchive: ReturnType<typeof makeSearchArchive>;
  readonly getArchived: ReturnType<typeof makeGetArchived>;
  /** Applies what is pending and stops writing; the connection stays open for the owner's release. */
  readonly stopWriting: () => Promise<void>;
  readonly ownerToken: string | null;
  readonly checkpointer: Checkpointer | null;
}

/** Parsed subject profiles kept in memory (subject-cache.ts): ~1-2 KiB each. */
const SUBJECT_CACHE_ENTRIES = 10_000;

export function createEmbeddedDriver(options: EmbeddedDriverOptions): Driver {
  const clock = options.clock ?? Date.now;
  let state: OpenState | null = null;
  const opened = (): OpenState => {
    if (state === null) throw new Error(`embedded driver (${options.path}): not open; call open() first`);
    return state;
  };

  return {
    name: isMemoryPath(options.path) ? 'embedded (memory)' : 'embedded',

    async open() {
      if (state !== null) return;
      state = await openState(options);
    },
    async close() {
      if (state === null) return;
      const { db, s, stopWriting, ownerToken, checkpointer } = state;
      state = null;
      await stopWriting();
      await checkpointer?.close();
      if (ownerToken !== null) releaseFile(s, ownerToken);
      if (!db.readonly) db.pragma('optimize');
      db.close();
    },

    async saveGraph(ir: GraphIR) {
      await opened().write({ kind: 'save-graph', version: ir.version, ir: JSON.stringify(ir), at: clock() });
    },
    async loadGraph(version) {
      const row = opened().s.getGraph.get(version);
      return row === undefined ? undefined : (JSON.parse(row.ir) as GraphIR);
    },
    async currentGraphVersion() {
      return opened().s.getMeta.get(CURRENT_GRAPH_KEY)?.value;
    },
    async setCurrentGraphVersion(version) {
      await opened().write({ kind: 'set-current-graph', version });
    },

    async getSubject(id) {
      const { s, subjects } = opened();
      return subjects.get(id, () => {
        const row = s.getSubject.get(id);
        return row === undefined ? undefined : (JSON.parse(row.json) as SubjectProfile);
      });
    },
    async putSubject(patch) {
      const { write, subjects } = opened();
      const merged = await write({ kind: 'put-subject', patch });
      // After the commit: a failed write leaves the cache as the file is.
      return subjects.set(merged);
    },

    async getInstance(id) {
      const row = opened().s.getInstance.get(id);
      return row === undefined ? undefined : (JSON.parse(row.json) as Instance);
    },
    async findInstances(q) {
      return opened().findInstances(q);
    },
    async getDelivery(id) {
      const row = opened().s.getDelivery.get(id);
      return row === undefined ? undefined : (JSON.parse(row.json) as Delivery);
    },
    async findDeliveryByProviderId(providerMessageId) {
      const row = opened().s.getDeliveryByProviderId.get(providerMessageId);
      return row === undefined ? undefined : (JSON.parse(row.json) as Delivery);
    },

    async commit(unit) {
      const { write, waiting } = opened();
      const rows = encodeUnit(unit);
      noteWaiting(waiting, rows);
      return write({ kind: 'commit', rows, now: clock() });
    },

    async reserve(max, now, leaseMs) {
      if (max <= 0) return [];
      return opened().write({ kind: 'reserve', max, now, leaseMs });
    },
    async release(jobId, runAt) {
      await opened().write({ kind: 'release', jobId, runAt });
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

    async ledgerBegin(key, now) {
      // In the next group's transaction: the `in-flight` mark is durable before the caller may
      // call a provider, and costs a statement rather than a transaction of its own.
      return opened().write({ kind: 'ledger-begin', key, now });
    },
    async ledgerFinish(key, result, now) {
      const outcome = await opened().write({ kind: 'commit', rows: encodeUnit({ ledger: [{ key, result, at: now }] }), now });
      if (!outcome.ok) throw new Error(`ledgerFinish ${key}: ${outcome.conflict}`);
    },

    async countSent(subjectId, category, since) {
      return opened().s.countSent.get(subjectId, category, since)?.n ?? 0;
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
      const { write } = opened();
      let purged = 0;
      for (;;) {
        // One batch per write: a large purge never holds the write lock for long, and queued work runs in between.
        const n = await write({ kind: 'purge-deliveries', before });
        purged += n;
        if (n < PURGE_BATCH) break;
        await yieldToEventLoop();
      }
      while ((await write({ kind: 'purge-counters', before })) > 0) await yieldToEventLoop();
      return purged;
    },
  };
}

/**
 * Event types the unit's instances will wait for are noted before the unit is sent off: routing
 * then never skips the lookup for a type an instance is being written as waiting for
 * (waiting-types.ts: it may hold too much, never too little).
 */
function noteWaiting(waiting: WaitingTypes, rows: UnitRows): void {
  for (const { waitingFor } of rows.instances ?? []) {
    if (waitingFor !== null) waiting.note(waitingFor);
  }
}

async function openState(options: EmbeddedDriverOptions): Promise<OpenState> {
  const db = openDatabase(options);
  let checkpointer: Checkpointer | null = null;
  try {
    const file = !isMemoryPath(options.path);
    const writable = !db.readonly && file;
    const s = prepareStatements(db);
    const ownerToken = writable ? claimFile(db, s, options.path) : null;
    checkpointer = writable && options.checkpointThread !== false ? startCheckpointer(options.path) : null;
    const cue = checkpointer === null ? () => {} : checkpointer.committed.bind(checkpointer);
    const autocheckpointPages = checkpointer === null ? null : SAFETY_NET_PAGES;

    let write: RunWrite;
    let stopWriting: () => Promise<void>;
    if (writable && options.writerThread !== false) {
      const writer = await startStoreWriter({ open: openOptionsOf(options), autocheckpointPages }, cue);
      write = writer.run;
      stopWriting = () => writer.close();
    } else {
      if (autocheckpointPages !== null) db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
      const apply = makeApplyWrite(s);
      const group = makeGroupCommit(db, cue);
      write = ((w: StoreWrite) => group.run(() => apply(w))) as RunWrite;
      stopWriting = async () => group.flush();
    }

    const waiting = loadWaitingTypes(db);
    return {
      db,
      s,
      write,
      waiting,
      subjects: db.readonly ? noSubjectCache : createSubjectCache(SUBJECT_CACHE_ENTRIES),
      findInstances: makeFindInstances(db, waiting),
      searchArchive: makeSearchArchive(db, s),
      getArchived: makeGetArchived(s),
      stopWriting,
      ownerToken,
      checkpointer,
    };
  } catch (err) {
    await checkpointer?.close();
    db.close();
    throw err;
  }
}

/** What the writer thread needs to open the same file as this connection (it is migrated already). */
function openOptionsOf(options: EmbeddedDriverOptions): OpenDatabaseOptions {
  return {
    path: options.path,
    ...(options.synchronous !== undefined ? { synchronous: options.synchronous } : {}),
    ...(options.cacheSizeMb !== undefined ? { cacheSizeMb: options.cacheSizeMb } : {}),
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  };
}
