import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateSchema } from './migrate-schema.js';
import { loadWaitingTypes } from './waiting-types.js';

function withInstances(rows: readonly (string | null)[]): Database.Database {
  const db = new Database(':memory:');
  migrateSchema(db);
  const insert = db.prepare(
    `INSERT INTO instances (id, journey, subject_id, status, waiting_for, seq, started_at, json) VALUES (?, 'j', 's', 'active', ?, 1, 0, '{}')`,
  );
  rows.forEach((waitingFor, i) => insert.run(`i-${i}`, waitingFor));
  return db;
}

describe('waiting types', () => {
  it('knows the types instances in the file wait for, and only those', () => {
    const db = withInstances(['invoice.paid', null, 'invoice.paid', 'order.shipped']);
    const types = loadWaitingTypes(db);
    expect(types.mayWait('invoice.paid')).toBe(true);
    expect(types.mayWait('order.shipped')).toBe(true);
    expect(types.mayWait('order.placed')).toBe(false);
    types.note('order.placed');
    expect(types.mayWait('order.placed')).toBe(true);
    db.close();
  });

  it('a read-only connection cannot know what the writer adds: every type may be waited for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-waiting-'));
    const path = join(dir, 'h.db');
    const writer = new Database(path);
    migrateSchema(writer);
    const reader = new Database(path, { readonly: true });
    expect(loadWaitingTypes(reader).mayWait('anything')).toBe(true);
    reader.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
