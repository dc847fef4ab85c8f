/**
 * The embedded store's schema and its migrations, versioned with `PRAGMA user_version`.
 *
 * A migration is appended, never edited: a file written by an older Herald is brought
 * forward step by step on open, each step in its own transaction with the version bump, so
 * a crash mid-migration leaves the file at the last completed step.
 */
import type { Database } from 'better-sqlite3';

/** Index i migrates the schema from version i to version i + 1. */
const MIGRATIONS: readonly string[] = [
  /* 0 -> 1: the first schema. */ `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE graphs (
    version TEXT PRIMARY KEY,
    ir TEXT NOT NULL,
    saved_at INTEGER NOT NULL
  );

  CREATE TABLE subjects (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL
  );

  -- waiting_for: the event type an active instance waits for or batches; null otherwise,
  -- so event routing is one index lookup on (subject_id, waiting_for).
  CREATE TABLE instances (
    id TEXT PRIMARY KEY,
    journey TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    status TEXT NOT NULL,
    waiting_for TEXT,
    seq INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX instances_by_subject ON instances (subject_id, waiting_for);
  CREATE INDEX instances_by_journey ON instances (journey, status);
  CREATE INDEX instances_by_waiting ON instances (waiting_for) WHERE waiting_for IS NOT NULL;

  -- channel: the delivery's current channel (channels[channelIndex]). The (x, created_at, id)
  -- indexes serve archive search, newest first, with keyset pagination.
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    journey TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT,
    provider_message_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX deliveries_by_created ON deliveries (created_at, id);
  CREATE INDEX deliveries_by_subject ON deliveries (subject_id, created_at, id);
  CREATE INDEX deliveries_by_journey ON deliveries (journey, created_at, id);
  CREATE INDEX deliveries_by_status ON deliveries (status, created_at, id);
  CREATE INDEX deliveries_by_provider_id ON deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL;

  -- A job is queued while reserved_until is null, leased while reserved_until > now, and
  -- due again once the lease has expired. The index (plus the implicit rowid) gives both
  -- reserve() halves an ordered range scan: (NULL, run_at <= now) and (reserved_until <= now).
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    reserved_until INTEGER,
    tries INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX jobs_by_due ON jobs (reserved_until, run_at);

  CREATE TABLE ledger (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    result TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX ledger_by_finished ON ledger (finished_at) WHERE state = 'done';

  CREATE TABLE sent (
    subject_id TEXT NOT NULL,
    category TEXT NOT NULL,
    at INTEGER NOT NULL,
    dedupe_key TEXT
  );
  CREATE INDEX sent_by_subject ON sent (subject_id, category, at);
  CREATE INDEX sent_by_dedupe_key ON sent (dedupe_key, at) WHERE dedupe_key IS NOT NULL;
  CREATE INDEX sent_by_at ON sent (at);

  CREATE TABLE events_seen (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL
  );
  CREATE INDEX events_seen_by_at ON events_seen (at);

  -- seq (the rowid) keeps the order in which contents and attempts were written.
  CREATE TABLE archive_content (
    seq INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX archive_content_by_delivery ON archive_content (delivery_id);

  CREATE TABLE archive_attempts (
    seq INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX archive_attempts_by_delivery ON archive_attempts (delivery_id);
  `,
  /* 1 -> 2: one instance per journey and subject, claimed in the store (UnitOfWork `exclusive`).
     The key is the JSON array [journey, subject id]; live_key is cleared when the instance ends.
     Instances written by version 1 hold no claim. */ `
  ALTER TABLE instances ADD COLUMN once_key TEXT;
  ALTER TABLE instances ADD COLUMN live_key TEXT;
  CREATE UNIQUE INDEX instances_once ON instances (once_key) WHERE once_key IS NOT NULL;
  CREATE UNIQUE INDEX instances_live ON instances (live_key) WHERE live_key IS NOT NULL;
  `,
  /* 2 -> 3: a message counts toward the frequency cap (and holds its dedupe key) from its start,
     one row per delivery, which a failure deletes. Rows written by version 2 (counted at
     delivery) have no delivery id. */ `
  ALTER TABLE sent ADD COLUMN delivery_id TEXT;
  CREATE UNIQUE INDEX sent_by_delivery ON sent (delivery_id) WHERE delivery_id IS NOT NULL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring the file to SCHEMA_VERSION; refuses a file written by a newer Herald. */
export function migrateSchema(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `embedded driver: ${db.name} has schema version ${current}, this Herald knows up to ${SCHEMA_VERSION}; upgrade Herald to open it`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const step = db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      // PRAGMA takes no bound parameters; the value is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    });
    step.immediate();
  }
}
