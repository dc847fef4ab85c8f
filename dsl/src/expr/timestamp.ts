/**
 * Timestamps at run time are ISO-8601 strings (`2026-11-23T10:00:00.000Z`), the form JSON
 * instance state keeps. Arithmetic works on epoch milliseconds and formats back with
 * `toISOString`, so results are always UTC with millisecond precision.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2}))?$/;

function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, m, s, ms);
  return d.getTime();
}

/** CEL's range: years 0001 to 9999. (`Date.UTC` would read year 1 as 1901, hence `utc`.) */
const MIN_EPOCH_MS = utc(1, 1, 1, 0, 0, 0, 0);
const MAX_EPOCH_MS = utc(9999, 12, 31, 23, 59, 59, 999);

/**
 * Epoch ms of an RFC 3339 timestamp (`2026-11-23T10:00:00Z`, `...+01:00`, fractions allowed),
 * or of a bare date `2026-11-23` (UTC midnight). `undefined` when the text is not one:
 * strict, so the result never depends on the server's time zone.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const min = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || min > 59 || s > 59) return undefined;
  let t = utc(year, month, day, h, min, s, ms);
  if (new Date(t).getUTCDate() !== day) return undefined; // 2026-02-30
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return t >= MIN_EPOCH_MS && t <= MAX_EPOCH_MS ? t : undefined;
}

export function isTimestampInRange(ms: number): boolean {
  return ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS;
}

/** Epoch ms -> `2026-11-23T10:00:00.000Z`; `undefined` outside years 0001-9999. */
export function formatTimestamp(ms: number): string | undefined {
  if (!(ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS)) return undefined;
  return new Date(Math.trunc(ms)).toISOString();
}

// --- time zones ---

export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday, as CEL's `getDayOfWeek`. */
  readonly weekday: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
      });
    } catch {
      return undefined;
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** An IANA zone name (`Europe/Paris`) or an offset Intl understands (`+01:00`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== undefined;
}

/** The wall-clock fields of an instant in a time zone (UTC when `timeZone` is undefined); `undefined` for an unknown zone. */
export function zonedParts(ms: number, timeZone: string | undefined): ZonedParts | undefined {
  // Out of CEL's range (or NaN, from date arithmetic that overflowed) there is no calendar to read; Intl would throw.
  if (!isTimestampInRange(ms)) return undefined;
  if (timeZone === undefined) {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }
  const f = formatterFor(timeZone);
  if (!f) return undefined;
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'weekday') out['weekday'] = WEEKDAYS[p.value] ?? 0;
    else if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out['year']!,
    month: out['month']!,
    day: out['day']!,
    hour: out['hour']!,
    minute: out['minute']!,
    second: out['second']!,
    weekday: out['weekday']!,
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-23T11:00:00.000+01:00`: the same instant, written in the zone's local time. */
export function formatInZone(ms: number, timeZone: string): string | undefined {
  const p = zonedParts(ms, timeZone);
  if (!p) return undefined;
  const millis = ((ms % 1000) + 1000) % 1000;
  const local = utc(p.year, p.month, p.day, p.hour, p.minute, p.second, millis);
  const offsetMin = Math.round((local - ms) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(millis, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Days between the calendar dates of two instants in a zone (UTC when undefined): `to` minus `from`. */
export function calendarDaysBetween(from: number, to: number, timeZone: string | undefined): number | undefined {
  const a = zonedParts(from, timeZone);
  const b = zonedParts(to, timeZone);
  if (!a || !b) return undefined;
  return Math.round((utc(b.year, b.month, b.day, 0, 0, 0, 0) - utc(a.year, a.month, a.day, 0, 0, 0, 0)) / 86_400_000);
}

/** The zone's offset from UTC at an instant, in ms (local minus UTC); undefined for an unknown zone. */
function offsetAt(ms: number, timeZone: string): number | undefined {
  const p = zonedParts(ms, timeZone);
  if (!p) return undefined;
  return utc(p.year, p.month, p.day, p.hour, p.minute, p.second, ((ms % 1000) + 1000) % 1000) - ms;
}

/**
 * The instant at which the zone's clocks show this local date and time (UTC when `timeZone` is
 * undefined). A local time daylight saving skips (02:30 on a spring-forward night) is moved
 * forward by the gap (03:30), as clocks read then; one it repeats (02:30 on a fall-back night)
 * is its first occurrence. Undefined for an unknown zone.
 */
export function fromZonedTime(
  parts: { readonly year: number; readonly month: number; readonly day: number; readonly hour: number; readonly minute: number; readonly second: number; readonly millis: number },
  timeZone: string | undefined,
): number | undefined {
  const local = utc(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, parts.millis);
  if (!isTimestampInRange(local)) return undefined;
  if (timeZone === undefined) return local;
  // No zone moves its clocks twice within two days: the offsets a day either side are the only candidates.
  const before = offsetAt(local - 86_400_000, timeZone);
  const after = offsetAt(local + 86_400_000, timeZone);
  if (before === undefined || after === undefined) return undefined;
  const exact = [local - before, local - after].filter((ms) => offsetAt(ms, timeZone) === local - ms);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: read with the offset from before the change, the clocks show the time moved forward by the gap.
  return local - before;
}

/** `n` calendar days after `ms` (before, for a negative `n`) at the same local time in the zone (UTC when undefined). */
export function addCalendarDays(ms: number, n: number, timeZone: string | undefined): number | undefined {
  const p = zonedParts(ms, timeZone);
  if (!p) return undefined;
  return fromZonedTime({ year: p.year, month: p.month, day: p.day + n, hour: p.hour, minute: p.minute, second: p.second, millis: ((ms % 1000) + 1000) % 1000 }, timeZone);
}

/** `HH:MM` or `HH:MM:SS`, 24-hour: the parts, or undefined when it is no time of day. */
export function parseTimeOfDay(text: string): { readonly hour: number; readonly minute: number; readonly second: number } | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$/.exec(text);
  if (!m) return undefined;
  return { hour: Number(m[1]), minute: Number(m[2]), second: m[3] === undefined ? 0 : Number(m[3]) };
}

/** The instant on `ms`'s calendar date in the zone (UTC when undefined) at the local time of day. */
export function atTimeOfDay(ms: number, time: { readonly hour: number; readonly minute: number; readonly second: number }, timeZone: string | undefined): number | undefined {
  const p = zonedParts(ms, timeZone);
  if (!p) return undefined;
  return fromZonedTime({ year: p.year, month: p.month, day: p.day, hour: time.hour, minute: time.minute, second: time.second, millis: 0 }, timeZone);
}
