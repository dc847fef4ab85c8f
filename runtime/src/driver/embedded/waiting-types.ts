/**
 * The event types some instance in the file may be waiting for, kept in memory so that routing
 * an event nobody waits for (most events: they start journeys) costs no index lookup.
 *
 * It may hold too much, never too little: a type is added before the unit that indexes an
 * instance under it is written (a unit that then fails leaves a harmless extra), and nothing is
 * removed while the file is open; opening it reads the types anew. This is sound only for the
 * one process that writes the file (file-owner.ts); a read-only connection asks the index.
 */
import type { Database } from 'better-sqlite3';

export interface WaitingTypes {
  /** False only when no instance can be waiting for `eventType`. */
  mayWait(eventType: string): boolean;
  /** An instance is about to be indexed as waiting for `eventType`. */
  note(eventType: string): void;
}

export function loadWaitingTypes(db: Database): WaitingTypes {
  if (db.readonly) return { mayWait: () => true, note: () => {} };
  const types = new Set(
    db
      .prepare<[], { waiting_for: string }>('SELECT DISTINCT waiting_for FROM instances WHERE waiting_for IS NOT NULL')
      .all()
      .map((row) => row.waiting_for),
  );
  return {
    mayWait: (eventType) => types.has(eventType),
    note: (eventType) => void types.add(eventType),
  };
}
