import { describe, expect, it } from 'vitest';
import { ABORTED_CODE, aborted, accepted, bounced, checkDeliveryResult, delivered, failed, isDeliveryResult } from './delivery-result.js';
import type { DeliveryResult } from './delivery-result.js';

describe('DeliveryResult constructors', () => {
  it('delivered() carries the receipt, or an empty one', () => {
    expect(delivered({ providerMessageId: 'm-1', response: '250 OK' })).toEqual({
      status: 'delivered',
      receipt: { providerMessageId: 'm-1', response: '250 OK' },
    });
    expect(delivered()).toEqual({ status: 'delivered', receipt: {} });
  });

  it('accepted() needs the provider id the status callback will name', () => {
    expect(accepted({ providerMessageId: 'SM123' })).toEqual({ status: 'accepted', receipt: { providerMessageId: 'SM123' } });
  });

  it('failed.retryable and failed.permanent set retryable and keep optional fields out unless given', () => {
    expect(failed.retryable('timeout')).toEqual({ status: 'failed', retryable: true, reason: 'timeout' });
    expect(failed.retryable('rate limited', { code: '429', retryAfterMs: 5000 })).toEqual({
      status: 'failed',
      retryable: true,
      reason: 'rate limited',
      code: '429',
      retryAfterMs: 5000,
    });
    expect(Object.keys(failed.retryable('x'))).not.toContain('code');
    expect(failed.permanent('bad credentials', { code: 'EAUTH' })).toEqual({
      status: 'failed',
      retryable: false,
      reason: 'bad credentials',
      code: 'EAUTH',
    });
  });

  it('bounced() is a permanent failure flagged bounced', () => {
    expect(bounced('550 no such user', { code: '550' })).toEqual({
      status: 'failed',
      retryable: false,
      reason: '550 no such user',
      code: '550',
      bounced: true,
    });
  });

  it('aborted() is retryable with the ABORTED code and the abort reason', () => {
    const r = aborted(AbortSignal.abort(new Error('delivery timeout')));
    expect(r).toMatchObject({ status: 'failed', retryable: true, code: ABORTED_CODE });
    expect(r.reason).toBe('aborted: delivery timeout');
    expect(aborted().reason).toBe('aborted');
  });

  it('results are frozen', () => {
    const r = delivered({ providerMessageId: 'a' });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.receipt)).toBe(true);
    expect(Object.isFrozen(failed.permanent('x'))).toBe(true);
  });

  it('narrows by status exhaustively', () => {
    const describeResult = (r: DeliveryResult): string => {
      switch (r.status) {
        case 'delivered':
        case 'accepted':
          return `${r.status}:${r.receipt.providerMessageId ?? '-'}`;
        case 'failed':
          return r.retryable ? 'retry' : r.bounced ? 'bounce' : 'permanent';
        default: {
          const never: never = r;
          return never;
        }
      }
    };
    expect(describeResult(delivered())).toBe('delivered:-');
    expect(describeResult(bounced('x'))).toBe('bounce');
    expect(describeResult(failed.retryable('x'))).toBe('retry');
  });
});

describe('checkDeliveryResult', () => {
  it('accepts what the constructors make', () => {
    for (const r of [delivered(), accepted({ providerMessageId: 'x' }), failed.retryable('x'), failed.permanent('x'), bounced('x'), aborted()]) {
      expect(checkDeliveryResult(r)).toEqual([]);
      expect(isDeliveryResult(r)).toBe(true);
    }
  });

  it('says what is wrong with a malformed result', () => {
    expect(checkDeliveryResult(undefined)).toEqual(['a DeliveryResult must be an object']);
    expect(checkDeliveryResult({ status: 'sent' })[0]).toMatch(/status must be/);
    expect(checkDeliveryResult({ status: 'delivered' })).toEqual(["a 'delivered' result needs a receipt object"]);
    expect(checkDeliveryResult({ status: 'accepted', receipt: {} })[0]).toMatch(/providerMessageId/);
    expect(checkDeliveryResult({ status: 'failed', reason: 'x' })).toEqual(["a 'failed' result needs retryable: true or false"]);
    expect(checkDeliveryResult({ status: 'failed', retryable: true, reason: '' })).toEqual(["a 'failed' result needs a reason"]);
    expect(checkDeliveryResult({ status: 'failed', retryable: true, reason: 'x', bounced: true })[0]).toMatch(/bounce is permanent/);
    expect(checkDeliveryResult({ status: 'failed', retryable: true, reason: 'x', retryAfterMs: -1 })[0]).toMatch(/retryAfterMs/);
    expect(checkDeliveryResult({ status: 'delivered', receipt: { at: new Date() } })).toEqual(['the receipt must hold only JSON values; `/at` is a Date (give it as an ISO-8601 string: date.toISOString())']);
    expect(isDeliveryResult({ status: 'delivered', receipt: { n: Number.NaN } })).toBe(false);
  });
});
