import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2030, 0, 1);

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores the rest', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', NOW)).toBe(0);
    for (const v of [null, '', '1.5', '-3', 'soon', '9'.repeat(400)]) expect(parseRetryAfter(v, NOW)).toBeUndefined();
  });
});
