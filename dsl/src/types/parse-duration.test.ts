import { describe, expect, it } from 'vitest';
import { parseDuration as parseExprDuration } from '../expr/duration.js';
import { formatDuration, parseDuration } from './parse-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;

/** What a formatted duration must look like: `0s`, or whole numbers and units, largest first, each once. */
const CANONICAL = /^(?:0s|-?(?=[1-9])(?:[1-9][0-9]*d)?(?:[1-9][0-9]*h)?(?:[1-9][0-9]*m)?(?:[1-9][0-9]*s)?(?:[1-9][0-9]*ms)?)$/;

/** A small deterministic PRNG (mulberry32), so that failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES: readonly number[] = [
  0,
  1,
  999,
  S,
  1500,
  59 * S + 999,
  M,
  90 * S,
  H,
  90 * M,
  23 * H + 59 * M + 59 * S + 999,
  D,
  D + 1,
  W,
  2 * W,
  30 * D,
  56 * W,
  W + D + H + M + S + 1,
  3 * W + 2 * H + 500,
  Number.MAX_SAFE_INTEGER,
];

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1s500ms'],
    [30 * S, '30s'],
    [90 * S, '1m30s'],
    [M, '1m'],
    [90 * M, '1h30m'],
    [2 * H, '2h'],
    [D, '1d'],
    [W, '7d'],
    [30 * D, '30d'],
    [56 * W, '392d'],
    [D + H + M + S + 1, '1d1h1m1s1ms'],
    [D + 5 * S, '1d5s'],
    [-15 * M, '-15m'],
    [-1500, '-1s500ms'],
  ])('%d -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back as the same value, with the YAML parser and the expression parser', () => {
    for (const ms of VALUES) {
      const text = formatDuration(ms);
      expect(parseDuration(text), text).toBe(ms);
      expect(parseExprDuration(text), text).toBe(ms);
    }
  });

  it('reads back the text of any written duration (each unit, and mixed)', () => {
    for (const text of ['0s', '0ms', '250ms', '45s', '10m', '3h', '2d', '1w', '52w', '1h30m', '2w3d', '1w1d1h1m1s1ms', '90m', '36h', '1000ms', '0d0h']) {
      const ms = parseDuration(text)!;
      expect(parseDuration(formatDuration(ms)), text).toBe(ms);
    }
  });

  it('round-trips many random values of every size, negative ones through duration()', () => {
    const next = random(20_26);
    for (let i = 0; i < 5000; i++) {
      const unit = [1, S, M, H, D, W][i % 6]!;
      const ms = Math.floor(next() * 1000 * unit) + (i % 2 ? Math.floor(next() * unit) : 0);
      const text = formatDuration(ms);
      expect(text, String(ms)).toMatch(CANONICAL);
      expect(parseDuration(text), text).toBe(ms);
      expect(parseExprDuration(formatDuration(-ms)), `-${text}`).toBe(ms === 0 ? 0 : -ms);
    }
  });

  it('never prints a fraction: fractions of a millisecond are rounded', () => {
    expect(formatDuration(0.4)).toBe('0s');
    expect(formatDuration(-0.4)).toBe('0s');
    expect(formatDuration(0.5)).toBe('1ms');
    expect(formatDuration(1499.6)).toBe('1s500ms');
    expect(formatDuration(-1499.6)).toBe('-1s500ms');
    expect(formatDuration(10 / 3)).toBe('3ms');
    const next = random(7);
    for (let i = 0; i < 2000; i++) {
      const ms = (next() - 0.5) * 10 ** (1 + (i % 12));
      const text = formatDuration(ms);
      expect(text, String(ms)).toMatch(CANONICAL);
      expect(text).not.toContain('.');
      expect(parseExprDuration(text), text).toBe(Math.sign(ms) * Math.round(Math.abs(ms)) || 0);
    }
  });

  it('writes every digit of very long durations, and refuses what is not a duration', () => {
    expect(formatDuration(1e30)).toMatch(CANONICAL);
    expect(formatDuration(1e30)).not.toContain('e');
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => formatDuration(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
  });
});
