/**
 * The archive search parameters as the API (`GET /archive?...`) and the CLI (`herald archive
 * search`) take them, checked one by one so a bad value is answered with the parameter's name.
 * Times are ISO 8601 (`2026-03-01`, `2026-03-01T08:00:00Z`, with an offset) or epoch ms.
 */
import { INVALID_CURSOR_CODE, type ArchiveQuery } from '../driver/driver.js';
import type { DeliveryStatus } from '../delivery/types.js';
import type { FieldError } from '../runtime-api.js';

export const DELIVERY_STATUSES = [
  'pending',
  'attempting',
  'awaiting-receipt',
  'deferred',
  'delivered',
  'failed',
  'skipped',
] as const satisfies readonly DeliveryStatus[];

export const ARCHIVE_PARAMS = ['subject', 'journey', 'status', 'channel', 'from', 'to', 'limit', 'cursor'] as const;
export type ArchiveParams = Partial<Record<(typeof ARCHIVE_PARAMS)[number], string>>;

export const DEFAULT_ARCHIVE_LIMIT = 50;
export const MAX_ARCHIVE_LIMIT = 500;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO 8601 time or of an epoch-ms integer; undefined when it is neither. A time without a zone is UTC. */
export function parseTime(text: string): number | undefined {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!ISO_TIME.test(text) || !isCalendarDate(text.slice(0, 10))) return undefined;
  const hasZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const ms = Date.parse(hasZone || text.length === 10 ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `YYYY-MM-DD` names a day that exists: Date.parse rolls 2026-02-30 over into March instead of refusing it. */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

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
