import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const S = 1000;
describe('backoffDelay', () => {
  it('fixed, linear and exponential from initialMs, capped at maxMs', () => {
    const seq = (backoff: 'fixed' | 'linear' | 'exponential') =>
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay({ attempts: 7, backoff, initialMs: 30 * S, maxMs: 600 * S }, n) / S);
    expect(seq('fixed')).toEqual([30, 30, 30, 30, 30, 30]);
    expect(seq('linear')).toEqual([30, 60, 90, 120, 150, 180]);
    expect(seq('exponential')).toEqual([30, 60, 120, 240, 480, 600]);
  });

  it('stays finite for huge attempt numbers', () => {
    expect(backoffDelay({ attempts: 20, backoff: 'exponential', initialMs: 1000, maxMs: 5000 }, 5000)).toBe(5000);
  });

  it('never retries sooner than retryAfterMs, even beyond maxMs', () => {
    const retry = { attempts: 3, backoff: 'fixed', initialMs: 30 * S, maxMs: 60 * S } as const;
    expect(backoffDelay(retry, 1, 10 * S)).toBe(30 * S);
    expect(backoffDelay(retry, 1, 90 * S)).toBe(90 * S);
    expect(backoffDelay(retry, 1, 600 * S)).toBe(600 * S);
  });
});
