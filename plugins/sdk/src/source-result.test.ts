import { describe, expect, it } from 'vitest';
import { checkSourceResult, isSourceResult, sourceFailed, sourceOk } from './source-result.js';

describe('SourceResult', () => {
  it('constructors make well-formed results', () => {
    expect(sourceOk({ name: 'Ada' })).toEqual({ ok: true, value: { name: 'Ada' } });
    expect(sourceOk(null)).toEqual({ ok: true, value: null });
    expect(sourceFailed.retryable('503 from CRM', { code: '503' })).toEqual({ ok: false, retryable: true, reason: '503 from CRM', code: '503' });
    expect(sourceFailed.permanent('no such table')).toEqual({ ok: false, retryable: false, reason: 'no such table' });
    for (const r of [sourceOk(1), sourceFailed.retryable('x'), sourceFailed.permanent('y')]) expect(isSourceResult(r)).toBe(true);
  });

  it('checkSourceResult explains malformed results', () => {
    expect(checkSourceResult(null)).toEqual(['a SourceResult must be an object']);
    expect(checkSourceResult({ ok: true })[0]).toMatch(/needs a value/);
    expect(checkSourceResult({ ok: 'yes' })).toEqual(['ok must be true or false']);
    expect(checkSourceResult({ ok: false, reason: 'x' })).toEqual(['a failed SourceResult needs retryable: true or false']);
  });
});
