import { describe, expect, it } from 'vitest';
import { fetchRetryDelay } from './handle-fetch-job.js';

describe('fetchRetryDelay', () => {
  it('doubles from 1 s up to 5 minutes: 10 tries ride out 8.5 minutes', () => {
    const delays = Array.from({ length: 9 }, (_, i) => fetchRetryDelay(i + 1));
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256].map((s) => s * 1000));
    expect(delays.reduce((a, b) => a + b, 0)).toBe(511_000);
    expect(fetchRetryDelay(12)).toBe(300_000);
  });

  it("is never sooner than the source's retryAfterMs, which counts up to an hour", () => {
    expect(fetchRetryDelay(1, 30_000)).toBe(30_000);
    expect(fetchRetryDelay(9, 30_000)).toBe(256_000);
    expect(fetchRetryDelay(1, 10 * 3_600_000)).toBe(3_600_000);
  });
});
