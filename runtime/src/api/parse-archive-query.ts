/**
 * The archive search parameters as the API (`GET /archive?...`) and the CLI (`herald archive
 * search`) take them, checked one by one so a bad value is answered with the parameter's name.
 * Times are ISO 8601 (`2026-03-01`, `2026-03-01T08:00:00Z`, with an offset) or epoch ms.
 */
import { INVALID_CURSOR_CODE, type ArchiveQuery } from '../driver/driver.js';
import type { DeliveryStatus } from '../delivery/types.js';
import type { FieldError } from '../runtime-api.js';
import { DELIVERY_STATUSES as STATUS_NAMES, parseTime } from '@herald/dsl';

export { parseTime };

/** The compiler's list (test files name statuses too), which must be exactly the runtime's `DeliveryStatus`. */
export const DELIVERY_STATUSES = STATUS_NAMES satisfies readonly DeliveryStatus[];
type SameStatuses = [DeliveryStatus] extends [(typeof STATUS_NAMES)[number]] ? true : never;
const sameStatuses: SameStatuses = true;
void sameStatuses;

export const ARCHIVE_PARAMS = ['subject', 'journey', 'status', 'channel', 'from', 'to', 'limit', 'cursor'] as const;
export type ArchiveParams = Partial<Record<(typeof ARCHIVE_PARAMS)[number], string>>;

export const DEFAULT_ARCHIVE_LIMIT = 50;
export const MAX_ARCHIVE_LIMIT = 500;

/** Said of a `cursor` the store refused: a cursor is opaque, made by the store for the next page. */
export const INVALID_CURSOR_MESSAGE = 'is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)';

/** Whether a search failed on its cursor: every driver throws an error with INVALID_CURSOR_CODE then (driver.ts). */
export function isInvalidCursorError(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === INVALID_CURSOR_CODE;
}

export type ParsedArchiveQuery = { readonly ok: true; readonly query: ArchiveQuery } | { readonly ok: false; readonly errors: readonly FieldError[] };

export function parseArchiveQuery(params: Readonly<Record<string, string | undefined>>): ParsedArchiveQuery {
  const errors: FieldError[] = [];
  const known = new Set<string>(ARCHIVE_PARAMS);
  for (const name of Object.keys(params)) {
    if (!known.has(name)) errors.push({ path: `/${name}`, message: `is not a search parameter (use ${ARCHIVE_PARAMS.join(', ')})` });
  }
  const text = (name: (typeof ARCHIVE_PARAMS)[number]): string | undefined => {
    const v = params[name];
    if (v === undefined) return undefined;
    if (v.trim() === '') {
      errors.push({ path: `/${name}`, message: 'must not be empty' });
      return undefined;
    }
    return v;
  };
  const time = (name: 'from' | 'to'): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const ms = parseTime(v);
    if (ms === undefined) errors.push({ path: `/${name}`, message: `must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got ${JSON.stringify(v)}` });
    return ms;
  };

  const subjectId = text('subject');
  const journey = text('journey');
  const channel = text('channel');
  const cursor = text('cursor');
  const status = text('status');
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
    errors.push({ path: '/status', message: `must be one of ${DELIVERY_STATUSES.join(', ')}, got ${JSON.stringify(status)}` });
  }
  const from = time('from');
  const to = time('to');
  if (from !== undefined && to !== undefined && from >= to) errors.push({ path: '/to', message: 'must be later than from' });
  const limitText = text('limit');
  let limit = DEFAULT_ARCHIVE_LIMIT;
  if (limitText !== undefined) {
    limit = /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_ARCHIVE_LIMIT)) {
      errors.push({ path: '/limit', message: `must be a whole number from 1 to ${MAX_ARCHIVE_LIMIT}, got ${JSON.stringify(limitText)}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    query: {
      ...(subjectId === undefined ? {} : { subjectId }),
      ...(journey === undefined ? {} : { journey }),
      ...(status === undefined ? {} : { status: status as DeliveryStatus }),
      ...(channel === undefined ? {} : { channel }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(cursor === undefined ? {} : { cursor }),
      limit,
    },
  };
}
