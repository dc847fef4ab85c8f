import { describe, expect, it } from 'vitest';
import { openCallAt, parameterSpans } from './signature-help.js';

describe('openCallAt (the call a half-written expression is inside)', () => {
  it('names the innermost call and the argument the text ends in', () => {
    expect(openCallAt('daysBetween(')).toEqual({ name: 'daysBetween', method: false, argument: 0 });
    expect(openCallAt('daysBetween(trigger.dueDate, ')).toEqual({ name: 'daysBetween', method: false, argument: 1 });
    expect(openCallAt('upper(daysBetween(a, b), ')).toEqual({ name: 'upper', method: false, argument: 1 });
    expect(openCallAt('round(daysBetween(a, ')).toEqual({ name: 'daysBetween', method: false, argument: 1 });
  });

  it('tells a method call, and leaves out commas in strings, lists, maps and grouping parens', () => {
    expect(openCallAt('trigger.name.contains(')).toEqual({ name: 'contains', method: true, argument: 0 });
    expect(openCallAt('join(["a", "b"], ", ')).toEqual({ name: 'join', method: false, argument: 1 });
    expect(openCallAt("coalesce({ 'x': 1, 'y': 2 }, (a + b), 'it''s, ")).toEqual({ name: 'coalesce', method: false, argument: 2 });
    expect(openCallAt('(a + ')).toBeUndefined();
    expect(openCallAt('upper(x) + ')).toBeUndefined();
  });
});

describe('parameterSpans', () => {
  const params = (s: string) => parameterSpans(s).map(([a, b]) => s.slice(a, b));
  it("splits a signature's parameters at its top-level commas", () => {
    expect(params('daysBetween(from: timestamp, to: timestamp, timeZone: string) -> number')).toEqual(['from: timestamp', 'to: timestamp', 'timeZone: string']);
    expect(params('f(m: map<string, T>, list<T>) -> T')).toEqual(['m: map<string, T>', 'list<T>']);
    expect(params('coalesce(a: T, b: T, ...) -> T')).toEqual(['a: T', 'b: T', '...']);
    expect(params('now() -> timestamp')).toEqual([]);
    expect(params('s.contains(t: string) -> bool')).toEqual(['t: string']);
  });
});
