import { describe, expect, it } from 'vitest';
import { callbackReceipts, checkCallbackReading, refuseCallback } from './provider-callback.js';

describe('provider callback readings', () => {
  it('builds frozen readings that pass their own check', () => {
    const read = callbackReceipts({ providerMessageId: 'SM1', status: 'bounced', reason: 'Twilio error 30003' });
    expect(read).toEqual({ ok: true, receipts: [{ providerMessageId: 'SM1', status: 'bounced', reason: 'Twilio error 30003' }] });
    expect(Object.isFrozen(read)).toBe(true);
    expect(checkCallbackReading(read)).toBeUndefined();
    expect(checkCallbackReading(callbackReceipts())).toBeUndefined();
    expect(checkCallbackReading(refuseCallback(403, 'the signature does not match'))).toBeUndefined();
  });

  it('says what is wrong with a reading a plugin made by hand', () => {
    expect(checkCallbackReading(undefined)).toBe('readCallback returned no object');
    expect(checkCallbackReading({ ok: 'yes' })).toBe('readCallback returned neither ok: true nor ok: false');
    expect(checkCallbackReading({ ok: true })).toBe('readCallback returned ok without a receipts list');
    expect(checkCallbackReading({ ok: true, receipts: [{ status: 'delivered' }] })).toBe('receipt 0 has no providerMessageId');
    expect(checkCallbackReading({ ok: true, receipts: [{ providerMessageId: 'a', status: 'sent' }] })).toBe('receipt 0 has status "sent" (delivered, bounced or failed)');
    expect(checkCallbackReading({ ok: true, receipts: [{ providerMessageId: 'a', status: 'failed', reason: 30003 }] })).toBe('receipt 0 has a reason that is not a string');
    expect(checkCallbackReading({ ok: false, status: 500, reason: 'x' })).toBe('readCallback refused with status 500 (400, 401 or 403)');
    expect(checkCallbackReading({ ok: false, status: 400 })).toBe('readCallback refused without a reason');
  });
});
