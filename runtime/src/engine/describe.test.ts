import { describe, expect, it } from 'vitest';
import { describeInstant, shortVersion } from './describe.js';

describe('shortVersion', () => {
  const version = 'sha256:ddf254bbac5f0123456789abcdef0123456789abcdef0123456789abcdef';

  it('keeps the algorithm and the first 12 hex digits: the one abbreviation notes, logs and the CLI print', () => {
    expect(shortVersion(version)).toBe('sha256:ddf254bbac5f');
  });

  it('leaves a version shorter than that as it is', () => {
    expect(shortVersion('sha256:test')).toBe('sha256:test');
    expect(shortVersion('')).toBe('');
  });

  it('shortens a version without an algorithm prefix to 12 characters', () => {
    expect(shortVersion('ddf254bbac5f0123')).toBe('ddf254bbac5f');
  });
});

describe('describeInstant', () => {
  it('is the ISO instant', () => {
    expect(describeInstant(Date.UTC(2026, 0, 5, 10))).toBe('2026-01-05T10:00:00.000Z');
  });
});
