import { describe, expect, it } from 'vitest';
import { addCalendarDays, atTimeOfDay, formatInZone, fromZonedTime, parseTimeOfDay } from './timestamp.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);
const local = (ms: number | undefined, tz = BERLIN) => (ms === undefined ? undefined : formatInZone(ms, tz));

describe('fromZonedTime', () => {
  it('finds the instant of a local time on either side of daylight saving', () => {
    expect(local(fromZonedTime({ year: 2026, month: 1, day: 15, hour: 9, minute: 0, second: 0, millis: 0 }, BERLIN))).toBe('2026-01-15T09:00:00.000+01:00');
    expect(local(fromZonedTime({ year: 2026, month: 7, day: 15, hour: 9, minute: 0, second: 0, millis: 0 }, BERLIN))).toBe('2026-07-15T09:00:00.000+02:00');
  });

  it('moves a skipped local time forward by the gap and takes the first of a repeated one', () => {
    // 2026-03-29 02:00 → 03:00 in Berlin; 2026-10-25 03:00 → 02:00.
    expect(local(fromZonedTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millis: 0 }, BERLIN))).toBe('2026-03-29T03:30:00.000+02:00');
    expect(local(fromZonedTime({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, millis: 0 }, BERLIN))).toBe('2026-10-25T02:30:00.000+02:00');
  });

  it('is UTC without a zone, and undefined for an unknown zone', () => {
    expect(fromZonedTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millis: 5 }, undefined)).toBe(at('2026-03-29T02:30:00.005Z'));
    expect(fromZonedTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millis: 0 }, 'Mars/Olympus')).toBeUndefined();
  });
});

describe('addCalendarDays', () => {
  it('keeps the local time across daylight saving, where adding 24 h would not', () => {
    const friday9 = at('2026-03-27T08:00:00Z'); // 09:00 CET
    expect(local(addCalendarDays(friday9, 3, BERLIN))).toBe('2026-03-30T09:00:00.000+02:00');
    expect(local(friday9 + 3 * 86_400_000)).toBe('2026-03-30T10:00:00.000+02:00');
    expect(local(addCalendarDays(at('2026-10-30T08:00:00Z'), -7, BERLIN))).toBe('2026-10-23T09:00:00.000+02:00');
  });

  it('is undefined past the timestamp range (years 1 to 9999), never a RangeError', () => {
    expect(addCalendarDays(at('2026-01-01T00:00:00Z'), 100_000_000, BERLIN)).toBeUndefined();
    expect(addCalendarDays(at('2026-01-01T00:00:00Z'), -800_000, undefined)).toBeUndefined();
  });

  it('rolls over months and years, in UTC without a zone', () => {
    expect(addCalendarDays(at('2026-12-31T23:30:00.250Z'), 1, undefined)).toBe(at('2027-01-01T23:30:00.250Z'));
    expect(local(addCalendarDays(at('2028-02-28T12:00:00Z'), 1, 'America/New_York'), 'America/New_York')).toBe('2028-02-29T07:00:00.000-05:00');
  });
});

describe('atTimeOfDay', () => {
  it('is the same local date at the given time: 23:30 UTC is already the next day in Berlin', () => {
    const t = parseTimeOfDay('09:00')!;
    expect(local(atTimeOfDay(at('2026-01-15T23:30:00Z'), t, BERLIN))).toBe('2026-01-16T09:00:00.000+01:00');
    expect(atTimeOfDay(at('2026-01-15T23:30:00Z'), t, undefined)).toBe(at('2026-01-15T09:00:00Z'));
  });

  it('parses HH:MM and HH:MM:SS only', () => {
    expect(parseTimeOfDay('07:05:09')).toEqual({ hour: 7, minute: 5, second: 9 });
    for (const bad of ['7:05', '24:00', '09:60', '09:00:60', '09h00', '']) expect(parseTimeOfDay(bad)).toBeUndefined();
  });
});
