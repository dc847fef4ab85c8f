import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { InstanceQuery } from '../driver.js';
import { instanceFilter, instanceQuerySql } from './find-instances.js';
import { migrateSchema } from './migrate-schema.js';

/** The index SQLite's plan searches for a query (the schema as migrations make it, no statistics). */
function indexFor(q: InstanceQuery): string {
  const db = new Database(':memory:');
  migrateSchema(db);
  const { where, params } = instanceFilter(q);
  const plan = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${instanceQuerySql(where)}`).all(...params, -1);
  db.close();
  return plan.map((row) => row.detail).join('; ');
}

describe('findInstances query plans', () => {
  it('with a subject, searches the subject’s index, not every instance of the journey', () => {
    expect(indexFor({ journey: 'dunning', subjectId: 'c-1' })).toMatch(/USING INDEX instances_by_subject \(subject_id=\?\)/);
    expect(indexFor({ journey: 'dunning', subjectId: 'c-1', status: 'active' })).toMatch(/USING INDEX instances_by_subject \(subject_id=\?\)/);
    expect(indexFor({ waitingFor: 'invoice.paid', subjectId: 'c-1' })).toMatch(/USING INDEX instances_by_subject \(subject_id=\? AND waiting_for=\?\)/);
  });

  it('without one, uses the journey’s or the waiting index', () => {
    expect(indexFor({ journey: 'dunning', status: 'active' })).toMatch(/USING INDEX instances_by_journey \(journey=\? AND status=\?\)/);
    expect(indexFor({ waitingFor: 'invoice.paid' })).toMatch(/USING INDEX instances_by_waiting \(waiting_for=\?\)/);
  });
});
