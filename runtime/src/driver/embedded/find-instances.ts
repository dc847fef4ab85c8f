/**
 * `findInstances`: the WHERE clause follows the filters given; one prepared statement per
 * combination of filters, made on first use.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Instance } from '../../engine/types.js';
import type { InstanceQuery } from '../driver.js';

export function makeFindInstances(db: Database): (q: InstanceQuery) => Instance[] {
  const cache = new Map<string, Statement<unknown[], { json: string }>>();
  return (q) => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.journey !== undefined) {
      where.push('journey = ?');
      params.push(q.journey);
    }
    if (q.subjectId !== undefined) {
      where.push('subject_id = ?');
      params.push(q.subjectId);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.waitingFor !== undefined) {
      // waiting_for is only ever set on active instances; the status test keeps it honest.
      where.push("waiting_for = ? AND status = 'active'");
      params.push(q.waitingFor);
    }
    const key = where.join(' AND ');
    let stmt = cache.get(key);
    if (stmt === undefined) {
      stmt = db.prepare<unknown[], { json: string }>(
        `SELECT json FROM instances ${where.length > 0 ? `WHERE ${key}` : ''} ORDER BY started_at, id LIMIT ?`,
      );
      cache.set(key, stmt);
    }
    // LIMIT -1: no limit.
    params.push(q.limit === undefined ? -1 : Math.max(0, Math.floor(q.limit)));
    return stmt.all(...params).map((row) => JSON.parse(row.json) as Instance);
  };
}
