/**
 * Times as people write them in Herald's inputs: test files (`start:`, `advance: {to: ...}`),
 * the archive search of the API and the CLI (`from`, `to`). ISO 8601 (`2026-03-01`,
 * `2026-03-01T08:00:00Z`, with an offset) or epoch milliseconds.
 */
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
