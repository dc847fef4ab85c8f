/**
 * `findInstances`: the WHERE clause follows the filters given; one prepared statement per
 * combination of filters, made on first use.
 *
 * With a subject, the subject's index is the one to use (a subject has a handful of instances,
 * a journey may have millions), but without statistics SQLite picks the journey's index for
 * `journey = ? AND subject_id = ?`, which scans every instance of the journey: the reentry
 * check of each routed event did. A unary `+` keeps the other terms off their indexes.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Instance } from '../../engine/types.js';
import type { InstanceQuery } from '../driver.js';
import type { WaitingTypes } from './waiting-types.js';

/** The query's WHERE clause (`?` in the order of `params`) and its parameters, without the limit. */
export function instanceFilter(q: InstanceQuery): { readonly where: string; readonly params: readonly unknown[] } {
  const bySubject = q.subjectId !== undefined;
  const column = (name: string) => (bySubject ? `+${name}` : name);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.journey !== undefined) {
    where.push(`${column('journey')} = ?`);
    params.push(q.journey);
  }
  if (q.subjectId !== undefined) {
    where.push('subject_id = ?');
    params.push(q.subjectId);
  }
  if (q.status !== undefined) {
    where.push(`${column('status')} = ?`);
    params.push(q.status);
  }
  if (q.waitingFor !== undefined) {
    // waiting_for is only ever set on active instances; the status test keeps it honest.
    // (subject_id, waiting_for) is the subject's index: waiting_for stays indexable.
    where.push(`waiting_for = ? AND ${column('status')} = 'active'`);
    params.push(q.waitingFor);
  }
  return { where: where.join(' AND '), params };
}

export function instanceQuerySql(where: string): string {
  return `SELECT json FROM instances ${where !== '' ? `WHERE ${where}` : ''} ORDER BY started_at, id LIMIT ?`;
}

export function makeFindInstances(db: Database, waiting: WaitingTypes): (q: InstanceQuery) => Instance[] {
  const cache = new Map<string, Statement<unknown[], { json: string }>>();
  return (q) => {
    if (q.waitingFor !== undefined && !waiting.mayWait(q.waitingFor)) return [];
    const { where, params } = instanceFilter(q);
    let stmt = cache.get(where);
    if (stmt === undefined) {
      stmt = db.prepare<unknown[], { json: string }>(instanceQuerySql(where));
      cache.set(where, stmt);
    }
    // LIMIT -1: no limit.
    return stmt.all(...params, q.limit === undefined ? -1 : Math.max(0, Math.floor(q.limit))).map((row) => JSON.parse(row.json) as Instance);
  };
}
