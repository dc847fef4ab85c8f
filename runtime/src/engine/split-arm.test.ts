import { describe, expect, it } from 'vitest';
import { fnv1a32, splitArm } from './split-arm.js';

describe('splitArm', () => {
  it('is a pure function of the key', () => {
    expect(fnv1a32('c1:onboarding:#1')).toBe(fnv1a32('c1:onboarding:#1'));
    expect(fnv1a32('')).toBe(fnv1a32(''));
    expect(splitArm('c1:j:n', [1, 1], 2)).toBe(splitArm('c1:j:n', [1, 1], 2));
  });

  it('spreads sequential keys by weight', () => {
    const counts = [0, 0, 0];
    const n = 30_000;
    for (let i = 0; i < n; i++) counts[splitArm(`user-${i}:journey:step`, [1, 2, 7], 10)]!++;
    expect(counts[0]! / n).toBeCloseTo(0.1, 1);
    expect(counts[1]! / n).toBeCloseTo(0.2, 1);
    expect(counts[2]! / n).toBeCloseTo(0.7, 1);
  });
});
