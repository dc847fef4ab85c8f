import { describe, expect, it } from 'vitest';
import { formatClock, inQuietHours, isValidTimeZone, localTimeOfDay, parseClock, quietHoursEnd } from './quiet-hours.js';

const night = { from: '21:00', to: '08:00' };
const day = { from: '12:00', to: '14:00' };
const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  it('reads local time in the zone', () => {
    expect(localTimeOfDay(at('2026-01-15T20:30:15.250Z'), 'Europe/Berlin')).toBe(((21 * 60 + 30) * 60 + 15) * 1000 + 250);
    expect(localTimeOfDay(at('2026-07-15T20:30:00Z'), 'Europe/Berlin')).toBe((22 * 60 + 30) * 60_000);
    expect(localTimeOfDay(at('2026-01-15T00:10:00Z'), 'America/New_York')).toBe((19 * 60 + 10) * 60_000);
  });

  it('a window inside one day', () => {
    expect(inQuietHours(at('2026-01-15T11:59:00Z'), day, 'UTC')).toBe(false);
    expect(inQuietHours(at('2026-01-15T12:00:00Z'), day, 'UTC')).toBe(true);
    expect(quietHoursEnd(at('2026-01-15T13:00:00Z'), day, 'UTC')).toBe(at('2026-01-15T14:00:00Z'));
    expect(quietHoursEnd(at('2026-01-15T14:00:00Z'), day, 'UTC')).toBeNull();
  });

  it('a window across midnight, in a non-UTC zone', () => {
    // 20:59 / 21:00 Berlin (UTC+1 in January)
    expect(quietHoursEnd(at('2026-01-15T19:59:00Z'), night, 'Europe/Berlin')).toBeNull();
    expect(quietHoursEnd(at('2026-01-15T20:00:00Z'), night, 'Europe/Berlin')).toBe(at('2026-01-16T07:00:00Z'));
    // 23:30 and 03:00 local: both end at 08:00 local the next/same morning
    expect(quietHoursEnd(at('2026-01-15T22:30:00Z'), night, 'Europe/Berlin')).toBe(at('2026-01-16T07:00:00Z'));
    expect(quietHoursEnd(at('2026-01-16T02:00:00Z'), night, 'Europe/Berlin')).toBe(at('2026-01-16T07:00:00Z'));
    expect(quietHoursEnd(at('2026-01-16T07:00:00Z'), night, 'Europe/Berlin')).toBeNull();
    // Tokyo, UTC+9: 22:00 local is 13:00Z
    expect(quietHoursEnd(at('2026-01-15T13:00:00Z'), night, 'Asia/Tokyo')).toBe(at('2026-01-15T23:00:00Z'));
  });

  it('is DST-safe: the end is 08:00 local on the night the clocks change', () => {
    // Europe: clocks spring forward on 2026-03-29 (02:00 CET -> 03:00 CEST), fall back on 2026-10-25.
    // 22:00 CET on the 28th -> 08:00 CEST on the 29th = 06:00Z (9 real hours later, not 10).
    expect(quietHoursEnd(at('2026-03-28T21:00:00Z'), night, 'Europe/Berlin')).toBe(at('2026-03-29T06:00:00Z'));
    // 22:00 CEST on Oct 24th -> 08:00 CET on the 25th = 07:00Z (11 real hours later).
    expect(quietHoursEnd(at('2026-10-24T20:00:00Z'), night, 'Europe/Berlin')).toBe(at('2026-10-25T07:00:00Z'));
    // US: 2026-03-08 spring forward.
    expect(quietHoursEnd(at('2026-03-08T03:00:00Z'), night, 'America/New_York')).toBe(at('2026-03-08T12:00:00Z'));
  });

  it('an end that falls into a spring-forward gap still lands after the window', () => {
    const gap = { from: '21:00', to: '02:30' };
    const end = quietHoursEnd(at('2026-03-28T21:00:00Z'), gap, 'Europe/Berlin')!;
    expect(inQuietHours(end, gap, 'Europe/Berlin')).toBe(false);
    expect(end).toBeGreaterThanOrEqual(at('2026-03-29T01:00:00Z')); // 03:00 CEST, the gap's end
    expect(end).toBeLessThanOrEqual(at('2026-03-29T01:30:00Z'));
  });

  it('from == to, or a malformed clock, is no window', () => {
    expect(quietHoursEnd(at('2026-01-15T20:00:00Z'), { from: '08:00', to: '08:00' }, 'UTC')).toBeNull();
    expect(parseClock('8:00')).toBe(8 * 3_600_000);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('soon')).toBeNull();
  });

  it('formats a time of day back as HH:MM, seconds dropped', () => {
    expect(formatClock(parseClock('8:05')!)).toBe('08:05');
    expect(formatClock(23 * 3_600_000 + 59 * 60_000 + 59_999)).toBe('23:59');
  });

  it('knows valid zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
  });
});
