/**
 * Archive search: deliveries filtered by subject, journey, status, current channel and
 * creation time, newest first, with keyset pagination. The cursor is the (created_at, id)
 * of the last item returned, so a page never shifts when newer messages arrive between two
 * calls and a deep page costs the same as the first. It also carries a fingerprint of the
 * search's filters: a cursor passed on with other filters would return a page of a different
 * search from a point of this one, so it is refused as any cursor this search did not make.
 */
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Delivery } from '../../delivery/types.js';
import { INVALID_CURSOR_CODE, type ArchiveQuery, type ArchivedContent, type ArchivedMessage, type AttemptRecord } from '../driver.js';
import type { DeliveryRow, Statements } from './prepare-statements.js';

export const DEFAULT_ARCHIVE_PAGE = 50;
export const MAX_ARCHIVE_PAGE = 1000;

export type ArchivePage = { readonly items: ArchivedMessage[]; readonly cursor: string | null };

export function makeSearchArchive(db: Database, s: Statements): (q: ArchiveQuery) => ArchivePage {
  const cache = new Map<string, Statement<unknown[], DeliveryRow>>();
  const archived = makeGetArchived(s);
  return (q) => {
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (clause: string, ...values: unknown[]): void => {
      where.push(clause);
      params.push(...values);
    };
    if (q.subjectId !== undefined) filter('subject_id = ?', q.subjectId);
    if (q.journey !== undefined) filter('journey = ?', q.journey);
    if (q.status !== undefined) filter('status = ?', q.status);
    if (q.channel !== undefined) filter('channel = ?', q.channel);
    if (q.from !== undefined) filter('created_at >= ?', q.from);
    if (q.to !== undefined) filter('created_at < ?', q.to);
    const filters = fingerprint(q);
    if (q.cursor !== undefined) {
      const after = decodeCursor(q.cursor, filters);
      filter('(created_at, id) < (?, ?)', after.createdAt, after.id);
    }
    const key = where.join(' AND ');
    let stmt = cache.get(key);
    if (stmt === undefined) {
      stmt = db.prepare<unknown[], DeliveryRow>(
        `SELECT id, created_at, json FROM deliveries ${where.length > 0 ? `WHERE ${key}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      );
      cache.set(key, stmt);
    }
    const limit = clampLimit(q.limit);
    // One row more than asked tells whether there is a next page.
    const rows = stmt.all(...params, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(archived),
      cursor: rows.length > limit && last !== undefined ? encodeCursor(last.created_at, last.id, filters) : null,
    };
  };
}

export function makeGetArchived(s: Statements): (row: DeliveryRow) => ArchivedMessage {
  return (row) => ({
    delivery: JSON.parse(row.json) as Delivery,
    contents: s.contentsOf.all(row.id).map((c) => JSON.parse(c.json) as ArchivedContent),
    attempts: s.attemptsOf.all(row.id).map((a) => JSON.parse(a.json) as AttemptRecord),
  });
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_ARCHIVE_PAGE;
  return Math.min(MAX_ARCHIVE_PAGE, Math.max(1, Math.floor(limit)));
}

/** The search's filters (not its limit or cursor), short: what a cursor is only valid with. */
function fingerprint(q: ArchiveQuery): string {
  const filters = [q.subjectId, q.journey, q.status, q.channel, q.from, q.to].map((v) => v ?? null);
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
}

function encodeCursor(createdAt: number, id: string, filters: string): string {
  return Buffer.from(JSON.stringify([createdAt, id, filters]), 'utf8').toString('base64url');
}

/**
 * A cursor this search did not make — not this driver's, or a page of a search with other
 * filters — is the caller's mistake: say so rather than return a wrong page. (Cursors of two
 * items come from Herald before the fingerprint; they are taken as they are.)
 */
function decodeCursor(cursor: string, filters: string): { createdAt: number; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    (value.length === 2 || (value.length === 3 && value[2] === filters)) &&
    Number.isFinite(value[0]) &&
    typeof value[1] === 'string'
  ) {
    return { createdAt: value[0] as number, id: value[1] };
  }
  throw Object.assign(new RangeError(`invalid archive cursor: ${JSON.stringify(cursor)}`), { code: INVALID_CURSOR_CODE });
}
