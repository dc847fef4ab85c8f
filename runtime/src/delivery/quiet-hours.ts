/**
 * Quiet hours: a daily window of local time (in the subject's time zone) in which nothing is
 * sent. A message due inside it is deferred to the window's end, not dropped. Windows may
 * cross midnight (`21:00`-`08:00`); `from` is inclusive, `to` exclusive; `from == to` is no window.
 *
 * Local time comes from `Intl.DateTimeFormat` with `timeZone`, so daylight-saving changes are
 * the platform's tz database's business, not ours. The end instant is found by adding the
 * wall-clock distance and then correcting for any UTC-offset change on the way (at most a
 * few steps). When `to` itself falls into a spring-forward gap (a local time that does not
 * exist that night), the first instant after the gap that is outside the window may be up
 * to the size of the gap late; real-world quiet hours end at whole hours outside the gaps.
 */
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export interface QuietWindow {
  /** `HH:MM`, 24-hour local time. */
  readonly from: string;
  readonly to: string;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since local midnight at `at` in `timeZone`. Throws RangeError on an unknown zone. */
export function localTimeOfDay(at: number, timeZone: string): number {
  let h = 0;
  let m = 0;
  let s = 0;
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type === 'hour') h = Number(p.value) % 24;
    else if (p.type === 'minute') m = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  const ms = ((at % 1000) + 1000) % 1000;
  return ((h * 60 + m) * 60 + s) * 1000 + ms;
}

/** Is `at` inside the window? */
export function inQuietHours(at: number, window: QuietWindow, timeZone: string): boolean {
  const from = parseClock(window.from);
  const to = parseClock(window.to);
  if (from === null || to === null || from === to) return false;
  return inside(localTimeOfDay(at, timeZone), from, to);
}

/** When `now` is inside the window: the epoch ms at which it ends. null when `now` is outside. */
export function quietHoursEnd(now: number, window: QuietWindow, timeZone: string): number | null {
  const from = parseClock(window.from);
  const to = parseClock(window.to);
  if (from === null || to === null || from === to) return null;
  const local = localTimeOfDay(now, timeZone);
  if (!inside(local, from, to)) return null;
  let wait = to - local;
  if (wait <= 0) wait += DAY_MS;
  let end = now + wait;
  for (let i = 0; i < 3; i++) {
    const diff = signed(to - localTimeOfDay(end, timeZone));
    if (diff === 0) break;
    const moved = end + diff;
    if (moved <= now || inside(localTimeOfDay(moved, timeZone), from, to)) break;
    end = moved;
  }
  return end;
}

/** `HH:MM` -> ms since midnight; null when malformed. */
export function parseClock(text: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * 60_000 : null;
}

/** ms since midnight -> `HH:MM` (seconds dropped): parseClock's inverse. */
export function formatClock(local: number): string {
  const minutes = Math.floor(local / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function inside(local: number, from: number, to: number): boolean {
  return from < to ? local >= from && local < to : local >= from || local < to;
}

/** A wall-clock difference folded into (-12h, 12h]. */
function signed(diff: number): number {
  let d = diff % DAY_MS;
  if (d > DAY_MS / 2) d -= DAY_MS;
  if (d <= -DAY_MS / 2) d += DAY_MS;
  return d;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}
