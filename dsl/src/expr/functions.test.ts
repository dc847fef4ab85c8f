import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { checkInScope } from './check-expression.js';
import { compileExpressionText } from './compile-text.js';
import { FUNCTION_DEFS, FUNCTIONS } from './functions.js';
import { parseExpression } from './parse-expression.js';
import { ExprRuntimeError, type EvalEnv } from './values.js';

const NOW = Date.parse('2026-11-23T23:30:00.000Z'); // a Monday; already Tuesday 00:30 in Paris

const scope: Record<string, Type> = {
  s: T.string,
  n: T.number,
  ts: T.timestamp,
  d: T.duration,
  tags: T.list(T.string),
  nums: T.list(T.number),
  m: T.map(T.number),
  x: T.dyn,
};

const env: EvalEnv = {
  vars: {
    s: '  Héllo World  ',
    n: -2.5,
    ts: '2026-11-23T10:00:00.000Z',
    d: 90_000,
    tags: ['a', 'b', 'c'],
    nums: [3, 1, 2],
    m: { one: 1, two: 2 },
    x: { emoji: '😀!', pattern: '^a+$', zone: 'Asia/Tokyo', text: '42' },
  },
  now: () => NOW,
};

function run(text: string): unknown {
  return compileExpressionText(text, scope)(env);
}

function runtimeError(text: string): string {
  try {
    run(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return (e as Error).message;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('the library', () => {
  it.each<[string, unknown]>([
    // size
    ['size("abc")', 3],
    ['size(x.emoji)', 2], // code points, not UTF-16 units
    ['size(tags)', 3],
    ['size(m)', 2],
    ['tags.size()', 3],
    ['s.size()', 15],
    // strings
    ['lower(s)', '  héllo world  '],
    ['upper("straße")', 'STRASSE'],
    ['trim(s)', 'Héllo World'],
    ['s.trim().lower()', 'héllo world'],
    ['s.contains("World")', true],
    ['s.contains("world")', false],
    ['trim(s).startsWith("Hé")', true],
    ['trim(s).endsWith("World")', true],
    ['"aaa".matches(x.pattern)', true],
    ['"bab".matches("a")', true], // unanchored, as CEL
    ['matches("bab", "^a")', false],
    ['"ABC".matches("(?i)^abc$")', true],
    [String.raw`"+33612345678".matches(r"^\+33[0-9]{9}$")`, true],
    // time
    ['now()', '2026-11-23T23:30:00.000Z'],
    ['duration("1h30m")', 5_400_000],
    ['duration("-15m")', -900_000],
    ['duration("1.5s")', 1500],
    ['timestamp("2026-11-23T11:00:00+01:00")', '2026-11-23T10:00:00.000Z'],
    ['timestamp("2026-11-23")', '2026-11-23T00:00:00.000Z'],
    ['timestamp("2026-11-23T10:00:00.123456Z")', '2026-11-23T10:00:00.123Z'],
    ['daysBetween(ts, now())', 0],
    ['daysBetween(ts, now(), "Europe/Paris")', 1], // in Paris, now() is already the 24th
    ['daysBetween(now(), ts + 30d)', 30],
    ['daysBetween(ts, ts - 1d)', -1],
    ['hour(ts)', 10],
    ['hour(now(), "Europe/Paris")', 0],
    ['hour(ts, x.zone)', 19],
    ['dayOfWeek(ts)', 1],
    ['dayOfWeek(now(), "Asia/Tokyo")', 2],
    ['format(ts)', '2026-11-23T10:00:00.000Z'],
    ['format(ts, "Europe/Paris")', '2026-11-23T11:00:00.000+01:00'],
    ['format(ts, "America/New_York")', '2026-11-23T05:00:00.000-05:00'],
    ['timestamp(format(ts, "Asia/Kolkata")) == ts', true],
    ['addDays(ts, 2)', '2026-11-25T10:00:00.000Z'],
    ['addDays(ts, -30)', '2026-10-24T10:00:00.000Z'],
    // Across the end of summer time in Paris (2026-10-25): 11:00 local stays 11:00, where - 30d would give 12:00.
    ['format(addDays(ts, -30, "Europe/Paris"), "Europe/Paris")', '2026-10-24T11:00:00.000+02:00'],
    ['format(ts - 30d, "Europe/Paris")', '2026-10-24T12:00:00.000+02:00'],
    ['atTime(ts, "08:15")', '2026-11-23T08:15:00.000Z'],
    ['atTime(now(), "09:00", "Europe/Paris")', '2026-11-24T08:00:00.000Z'], // in Paris, now() is already the 24th
    ['atTime(addDays(now(), 1, "Europe/Paris"), "09:00:30", "Europe/Paris")', '2026-11-25T08:00:30.000Z'],
    ['atTime(ts, "09:00", x.zone) < ts', true],
    // numbers
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(n)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(1234, -2)', 1200],
    ['floor(n)', -3],
    ['ceil(n)', -2],
    ['abs(n)', 2.5],
    ['abs(-d)', 90_000],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2)', 3],
    ['min(nums)', 1],
    ['max(nums)', 3],
    ['min("b", "a")', 'a'],
    ['max(ts, now())', '2026-11-23T23:30:00.000Z'],
    ['min(d, 1m)', 60_000],
    // conversions
    ['string(12.5)', '12.5'],
    ['string(true)', 'true'],
    ['string(null)', 'null'],
    ['string("x")', 'x'],
    ['string(d)', '1m30s'],
    ['string(-d)', '-1m30s'],
    ['string(duration("1.5s"))', '1s500ms'],
    ['string(0s)', '0s'],
    ['duration(string(d)) == d', true],
    ['string(timestamp("2026-11-23T11:00:00+01:00"))', '2026-11-23T10:00:00.000Z'],
    ['number("12.5")', 12.5],
    ['number(x.text) + 1', 43],
    ['number(3)', 3],
    ['int(2.7)', 2],
    ['int(-2.7)', -2],
    ['int("4.5")', 4],
    // collections
    ['join(tags)', 'abc'],
    ['join(tags, ", ")', 'a, b, c'],
    ['tags.join("-")', 'a-b-c'],
    ['keys(m)', ['one', 'two']],
    ['m.keys()', ['one', 'two']],
    ['"one" in keys(m)', true],
    // macros
    ['coalesce(x.none, x.nothing.deeper, "fallback")', 'fallback'],
    ['coalesce(x.text, "fallback")', '42'],
    ['coalesce(x.none)', null],
    ['has(x.zone)', true],
    ['has(x.zone2)', false],
  ])('%s', (text, expected) => {
    expect(run(text)).toEqual(expected);
  });

  it('run-time argument errors name the call', () => {
    expect(runtimeError('lower(x.missing)')).toBe('`x` has no field `missing`');
    expect(runtimeError('lower(x.emoji.nope ?? "")')).toBe('`x.emoji` is a string, which has no field `nope`'); // ?? tolerates missing, not wrong kinds
    expect(runtimeError('size(x.zone) > 0 && size(coalesce(x.none, 5)) > 0')).toMatch(/needs a string, list or map, got a number/);
    expect(runtimeError('"a".matches(x.zone + "(")')).toMatch(/^`"a".matches\(x.zone \+ "\("\)`: invalid regular expression/);
    expect(runtimeError('duration(x.zone)')).toBe('`duration(x.zone)`: `Asia/Tokyo` is not a valid duration');
    expect(runtimeError('timestamp(x.zone)')).toBe('`timestamp(x.zone)`: `Asia/Tokyo` is not a valid timestamp');
    expect(runtimeError('hour(ts, x.text)')).toBe('`hour(ts, x.text)`: unknown time zone `42`');
    expect(runtimeError('number(x.zone)')).toBe('`number(x.zone)`: "Asia/Tokyo" is not a number');
    expect(runtimeError('min(x.none ?? [])')).toMatch(/needs at least one value/);
    expect(runtimeError('max(1, x.zone)')).toMatch(/cannot compare a string with a number/);
    expect(runtimeError('join(x.none ?? [1])')).toMatch(/needs a list of strings/);
    expect(runtimeError('keys(x.text)')).toMatch(/needs a map, got a string/);
    expect(runtimeError('string(x)')).toMatch(/cannot convert a map to a string/);
    expect(runtimeError('atTime(ts, x.zone)')).toBe('`atTime(ts, x.zone)`: `Asia/Tokyo` is not a time of day (write "HH:MM")');
    expect(runtimeError('addDays(ts, n)')).toBe('`addDays(ts, n)`: needs a whole number of days, got -2.5');
    expect(runtimeError('addDays(ts, 1, x.text)')).toBe('`addDays(ts, 1, x.text)`: unknown time zone `42`');
  });
});

describe('the table', () => {
  it('lists every function once, sorted, with signatures, doc and example', () => {
    const names = FUNCTIONS.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const f of FUNCTIONS) {
      expect(f.signatures.length, f.name).toBeGreaterThan(0);
      expect(f.doc.length, f.name).toBeGreaterThan(10);
      expect(f.example, f.name).toContain(f.name);
    }
    expect(names).toEqual(
      expect.arrayContaining(['size', 'has', 'lower', 'upper', 'trim', 'contains', 'startsWith', 'endsWith', 'matches', 'now', 'duration', 'timestamp', 'round', 'floor', 'ceil', 'abs', 'min', 'max', 'string', 'number', 'int', 'join', 'keys', 'coalesce', 'daysBetween', 'addDays', 'atTime', 'hour', 'format']),
    );
  });

  it('every example parses and type-checks', () => {
    for (const f of FUNCTIONS) {
      const parsed = parseExpression(f.example);
      expect(parsed.problems, f.example).toEqual([]);
      const { problems } = checkInScope(parsed.ast!, undefined);
      expect(problems.filter((p) => p.severity === 'error'), f.example).toEqual([]);
    }
  });

  it('the checker and the compiler read the same table', () => {
    for (const f of FUNCTIONS) expect(FUNCTION_DEFS.get(f.name)).toBe(f);
  });
});

describe('duration strings', () => {
  it.each<[string, number]>([
    ['duration("0")', 0],
    ['duration("1w2d")', 9 * 86_400_000],
    ['duration("+500ms")', 500],
  ])('%s', (text, ms) => {
    expect(run(text)).toBe(ms);
  });
});
