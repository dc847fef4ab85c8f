import { describe, expect, it } from 'vitest';
import { callbackReceipts, checkCallbackReading, providerCallbackOf, refuseCallback } from './provider-callback.js';

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

  it('builds what readCallback gets from a request: headers lower-cased and joined, the media type, text and bytes', () => {
    const body = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    const cb = providerCallbackOf({ url: 'https://h.example/callbacks/sms', headers: { 'Content-Type': 'Application/X-WWW-Form-URLEncoded; charset=utf-8', 'X-Sig': ['a', 'b'], gone: undefined }, body });
    expect(cb).toEqual({
      url: 'https://h.example/callbacks/sms',
      headers: { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=utf-8', 'x-sig': 'a, b' },
      contentType: 'application/x-www-form-urlencoded',
      body: 'caf\ufffd',
      rawBody: body,
    });
    expect(providerCallbackOf({ url: 'u', headers: {}, body: new Uint8Array() }).contentType).toBe('');
  });
});
