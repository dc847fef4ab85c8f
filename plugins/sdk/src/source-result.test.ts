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

  it('takes retryAfterMs on a retryable failure only', () => {
    expect(sourceFailed.retryable('busy', { retryAfterMs: 30_000 })).toEqual({ ok: false, retryable: true, reason: 'busy', retryAfterMs: 30_000 });
    expect(checkSourceResult(sourceFailed.retryable('busy', { retryAfterMs: 30_000 }))).toEqual([]);
    expect(checkSourceResult({ ok: false, retryable: true, reason: 'x', retryAfterMs: -1 })).toEqual(['retryAfterMs must be a number of milliseconds, 0 or more']);
    expect(checkSourceResult({ ok: false, retryable: false, reason: 'x', retryAfterMs: 5 })).toEqual(['retryAfterMs goes with a retryable failure only: a permanent one is not tried again']);
  });

  it('takes JSON answers only, naming the place that is not (it crosses threads and is stored)', () => {
    const json = 'a query answers JSON (null, true/false, finite numbers, strings, lists, plain objects); ';
    expect(checkSourceResult(sourceOk({ name: 'Ada', tags: ['a'], credit: null, note: undefined }))).toEqual([]);
    expect(checkSourceResult(sourceOk(undefined))).toEqual(['an ok SourceResult needs a value (null for "no record")']);
    expect(checkSourceResult(sourceOk({ name: 'Ada', f() {} }))).toEqual([`${json}\`/f\` is a function, which JSON cannot hold`]);
    expect(checkSourceResult(sourceOk({ since: new Date(0) }))).toEqual([`${json}\`/since\` is a Date (give it as an ISO-8601 string: date.toISOString())`]);
    expect(checkSourceResult(sourceOk([1, Number.NaN]))).toEqual([`${json}\`/1\` is NaN, which JSON cannot hold`]);
    expect(checkSourceResult(sourceOk({ n: 10n }))).toEqual([`${json}\`/n\` is a bigint, which JSON cannot hold`]);
    expect(checkSourceResult(sourceOk(new Map()))).toEqual([`${json}the value is a Map, not a plain object`]);
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(checkSourceResult(sourceOk(loop))[0]).toMatch(/nested more than 200 deep \(does it refer to itself\?\)$/);
  });
});
