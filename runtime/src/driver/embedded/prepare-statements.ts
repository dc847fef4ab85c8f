/**
 * Every fixed SQL statement of the embedded driver, prepared once per open database.
 * Queries whose WHERE clause depends on the filters given (instance and archive search)
 * are built and cached by their callers (find-instances.ts, search-archive.ts).
 */
import type { Database } from 'better-sqlite3';

/** The part of a better-sqlite3 statement the driver uses, typed by its parameters and row. */
export interface Stmt<P extends unknown[], R = unknown> {
  run(...params: P): { readonly changes: number };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

export interface JobRow {
  readonly rowid: number;
  readonly id: string;
  readonly payload: string;
  readonly run_at: number;
  readonly tries: number;
}

export interface LedgerRow {
  readonly state: 'in-flight' | 'done';
  readonly result: string | null;
  readonly started_at: number;
}

export interface DeliveryRow {
  readonly id: string;
  readonly created_at: number;
  readonly json: string;
}

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database) {
  const s = <P extends unknown[] = unknown[], R = unknown>(sql: string): Stmt<P, R> => db.prepare(sql) as unknown as Stmt<P, R>;
  return {
    // meta
    getMeta: s<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    putMeta: s<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    deleteMeta: s<[string]>('DELETE FROM meta WHERE key = ?'),

    // graphs
    putGraph: s<[string, string, number]>(
      'INSERT INTO graphs (version, ir, saved_at) VALUES (?, ?, ?) ON CONFLICT (version) DO UPDATE SET ir = excluded.ir',
    ),
    getGraph: s<[string], { ir: string }>('SELECT ir FROM graphs WHERE version = ?'),
    hasGraph: s<[string], { one: 1 }>('SELECT 1 AS one FROM graphs WHERE version = ?'),

    // subjects
    getSubject: s<[string], { json: string }>('SELECT json FROM subjects WHERE id = ?'),
    putSubject: s<[string, string]>('INSERT INTO subjects (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json'),

    // instances
    getInstance: s<[string], { json: string }>('SELECT json FROM instances WHERE id = ?'),
    getInstanceSeq: s<[string], { seq: number }>('SELECT seq FROM instances WHERE id = ?'),
    // No column holds the version: a scan of the active instances' JSON, once per runtime start.
    activeVersions: s<[], { version: string | null }>(
      "SELECT DISTINCT json_extract(json, '$.version') AS version FROM instances WHERE status = 'active'",
    ),
    insertInstance: s<[string, string, string, string, string | null, number, number, string, string | null, string | null]>(
      `INSERT OR IGNORE INTO instances (id, journey, subject_id, status, waiting_for, seq, started_at, json, once_key, live_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // An instance that ends gives up its while-active claim.
    // status, waiting_for, seq, json, status again, id, expected seq.
    updateInstance: s<[string, string | null, number, string, string, string, number]>(
      `UPDATE instances SET status = ?, waiting_for = ?, seq = ?, json = ?, live_key = CASE WHEN ? = 'active' THEN live_key ELSE NULL END
       WHERE id = ? AND seq = ?`,
    ),
    hasOnceKey: s<[string], { one: 1 }>('SELECT 1 AS one FROM instances WHERE once_key = ?'),
    hasLiveKey: s<[string], { one: 1 }>('SELECT 1 AS one FROM instances WHERE live_key = ?'),

    // deliveries
    getDelivery: s<[string], DeliveryRow>('SELECT id, created_at, json FROM deliveries WHERE id = ?'),
    getDeliveryUpdatedAt: s<[string], { updated_at: number }>('SELECT updated_at FROM deliveries WHERE id = ?'),
    // deliveries_by_subject (subject_id, created_at, id) gives the order; the instance is a filter on the subject's few.
    deliveriesOfInstance: s<[string, string], DeliveryRow>('SELECT id, created_at, json FROM deliveries WHERE subject_id = ? AND instance_id = ? ORDER BY created_at, id'),
    getDeliveryByProviderId: s<[string], DeliveryRow>(
      'SELECT id, created_at, json FROM deliveries WHERE provider_message_id = ? ORDER BY updated_at DESC LIMIT 1',
    ),
    insertDelivery: s<[string, string, string, string, string, string | null, string | null, number, number, string]>(
      `INSERT OR IGNORE INTO deliveries
         (id, instance_id, subject_id, journey, status, channel, provider_message_id, created_at, updated_at, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateDelivery: s<[string, string | null, string | null, number, string, string, number]>(
      `UPDATE deliveries SET status = ?, channel = ?, provider_message_id = ?, updated_at = ?, json = ?
       WHERE id = ? AND updated_at = ?`,
    ),

    // jobs
    // reserved_until null: queued, tries 0; a time: enqueued leased (NewJob.leasedUntil), tries 1.
    insertJob: s<[string, string, string, number, number | null, number]>(
      'INSERT OR IGNORE INTO jobs (id, kind, payload, run_at, reserved_until, tries) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteJob: s<[string]>('DELETE FROM jobs WHERE id = ?'),
    /*
     * One statement, so atomic: the due jobs that were never leased (or were released) and
     * those whose lease expired, FIFO by run_at then insertion order, leased in place.
     * Each half is an ordered range scan of jobs_by_due, bounded by LIMIT.
     */
    reserveJobs: s<[{ now: number; until: number; max: number }], JobRow>(
      `UPDATE jobs SET reserved_until = @until, tries = tries + 1
       WHERE rowid IN (
         SELECT r FROM (
           SELECT r, run_at FROM (
             SELECT rowid AS r, run_at FROM jobs
             WHERE reserved_until IS NULL AND run_at <= @now
             ORDER BY run_at, rowid LIMIT @max)
           UNION ALL
           SELECT r, run_at FROM (
             SELECT rowid AS r, run_at FROM jobs
             WHERE reserved_until IS NOT NULL AND reserved_until <= @now AND run_at <= @now
             ORDER BY reserved_until LIMIT @max)
         )
         ORDER BY run_at, r LIMIT @max)
       RETURNING rowid, id, payload, run_at, tries`,
    ),
    releaseJob: s<[number, string]>('UPDATE jobs SET reserved_until = NULL, run_at = ? WHERE id = ?'),
    releaseAllLeases: s<[]>('UPDATE jobs SET reserved_until = NULL WHERE reserved_until IS NOT NULL'),
    nextQueuedAt: s<[], { at: number | null }>('SELECT MIN(run_at) AS at FROM jobs WHERE reserved_until IS NULL'),
    nextLeaseExpiry: s<[], { at: number | null }>('SELECT MIN(reserved_until) AS at FROM jobs WHERE reserved_until IS NOT NULL'),
    countJobs: s<[number], { total: number; reserved: number }>(
      'SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE reserved_until > ?) AS reserved FROM jobs',
    ),

    // idempotency ledger
    beginLedger: s<[string, number]>("INSERT OR IGNORE INTO ledger (key, state, started_at) VALUES (?, 'in-flight', ?)"),
    getLedger: s<[string], LedgerRow>('SELECT state, result, started_at FROM ledger WHERE key = ?'),
    finishLedger: s<[string, string, number, number]>(
      `INSERT INTO ledger (key, state, result, started_at, finished_at) VALUES (?, 'done', ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET state = 'done', result = excluded.result, finished_at = excluded.finished_at`,
    ),

    // frequency caps, dedupe, event ids
    // A delivery counts once: a second count of it (a replayed start) is a no-op.
    insertSent: s<[string, string, number, string | null, string | null]>(
      'INSERT INTO sent (subject_id, category, at, dedupe_key, delivery_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    deleteSent: s<[string]>('DELETE FROM sent WHERE delivery_id = ?'),
    countSent: s<[string, string, number], { n: number }>('SELECT COUNT(*) AS n FROM sent WHERE subject_id = ? AND category = ? AND at >= ?'),
    sentTimes: s<[string, string, number, string], { at: number }>(
      'SELECT at FROM sent WHERE subject_id = ? AND category = ? AND at >= ? AND delivery_id IS NOT ? ORDER BY at',
    ),
    countSentOf: s<[string, string, string, number], { n: number }>(
      'SELECT COUNT(*) AS n FROM sent WHERE delivery_id = ? AND subject_id = ? AND category = ? AND at >= ?',
    ),
    seenDedupeKey: s<[string, number], { one: 1 }>('SELECT 1 AS one FROM sent WHERE dedupe_key = ? AND at >= ? LIMIT 1'),
    insertEvent: s<[string, number]>('INSERT OR IGNORE INTO events_seen (id, at) VALUES (?, ?)'),
    hasEvent: s<[string], { one: 1 }>('SELECT 1 AS one FROM events_seen WHERE id = ?'),

    // archive
    insertContent: s<[string, string, string]>('INSERT INTO archive_content (delivery_id, channel, json) VALUES (?, ?, ?)'),
    insertAttempt: s<[string, string]>('INSERT INTO archive_attempts (delivery_id, json) VALUES (?, ?)'),
    contentsOf: s<[string], { json: string }>('SELECT json FROM archive_content WHERE delivery_id = ? ORDER BY seq'),
    attemptsOf: s<[string], { json: string }>('SELECT json FROM archive_attempts WHERE delivery_id = ? ORDER BY seq'),

    // retention
    // An accepted message with no timer left (no delivery timeout, or one that passed without
    // failover) waits for a receipt only: past the retention it is as done as it will get.
    finishedDeliveriesBefore: s<[number, number], { id: string }>(
      `SELECT id FROM deliveries
       WHERE created_at < ? AND (status IN ('delivered', 'failed', 'skipped')
         OR (status = 'awaiting-receipt' AND json_extract(json, '$.timerId') IS NULL))
       LIMIT ?`,
    ),
    deleteDelivery: s<[string]>('DELETE FROM deliveries WHERE id = ?'),
    deleteContentsOf: s<[string]>('DELETE FROM archive_content WHERE delivery_id = ?'),
    deleteAttemptsOf: s<[string]>('DELETE FROM archive_attempts WHERE delivery_id = ?'),
    // Batched (`LIMIT ?` rows a step) so a long purge never holds the write lock for long.
    purgeSent: s<[number, number]>('DELETE FROM sent WHERE rowid IN (SELECT rowid FROM sent WHERE at < ? LIMIT ?)'),
    purgeEvents: s<[number, number]>('DELETE FROM events_seen WHERE rowid IN (SELECT rowid FROM events_seen WHERE at < ? LIMIT ?)'),
    // Ended instances last changed before the cut (their `updatedAt`, when they ended), except
    // those holding a `reentry: never` claim: that row is the record that the journey ran.
    purgeInstances: s<[number, number, number]>(
      `DELETE FROM instances WHERE rowid IN (
         SELECT rowid FROM instances
         WHERE status != 'active' AND once_key IS NULL AND started_at < ? AND json_extract(json, '$.updatedAt') < ?
         LIMIT ?)`,
    ),
    purgeLedger: s<[number, number]>(
      "DELETE FROM ledger WHERE rowid IN (SELECT rowid FROM ledger WHERE state = 'done' AND finished_at < ? LIMIT ?)",
    ),
  };
}
