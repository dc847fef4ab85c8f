import { createHmac } from 'node:crypto';
import { checkCallbackReading } from '@herald/plugin-sdk';
import type { CallbackContext, ProviderCallback } from '@herald/plugin-sdk';
import { manualClock, memoryLogger, testPluginContext } from '@herald/plugin-sdk/test-kit';
import { describe, expect, it } from 'vitest';
import smsChannel from './index.js';
import type { SmsConfig } from './index.js';

const TOKEN = 'auth-token-0123456789abcdef';
const CALLBACK_URL = 'https://herald.acme.example/callbacks/sms';
const SID = 'SM0123456789abcdef0123456789abcdef';

const config = (extra: Partial<SmsConfig> = {}): SmsConfig => ({
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  authToken: TOKEN,
  from: '+14155550100',
  ...extra,
});

async function reader(extra: Partial<SmsConfig> = {}) {
  const c = config(extra);
  const channel = await smsChannel.create(c, testPluginContext(c));
  const ctx: CallbackContext = { logger: memoryLogger(), clock: manualClock() };
  return async (callback: ProviderCallback) => {
    const reading = await channel.readCallback!(callback, ctx);
    // Whatever it answers must be something the runtime accepts.
    expect(checkCallbackReading(reading)).toBeUndefined();
    return reading;
  };
}

/** Twilio's documented signature: HMAC-SHA1 over the URL and the sorted name+value pairs, base64. */
function twilioSign(token: string, url: string, fields: Record<string, string>): string {
  const data = url + Object.keys(fields).sort().map((k) => k + fields[k]).join('');
  return createHmac('sha1', token).update(data).digest('base64');
}

/** A status callback as Twilio posts it, signed for `url` unless told otherwise. */
function statusCallback(
  fields: Record<string, string>,
  { url = CALLBACK_URL, signature = twilioSign(TOKEN, url, fields), contentType = 'application/x-www-form-urlencoded' }: { url?: string; signature?: string | null; contentType?: string } = {},
): ProviderCallback {
  const body = new URLSearchParams(fields).toString();
  return {
    url,
    headers: { 'content-type': contentType, ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    contentType,
    body,
    rawBody: new TextEncoder().encode(body),
  };
}

const twilioFields = (status: string, extra: Record<string, string> = {}) => ({
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  From: '+14155550100',
  MessageSid: SID,
  MessageStatus: status,
  SmsSid: SID,
  SmsStatus: status,
  To: '+14155550123',
  ...extra,
});

describe('readCallback', () => {
  it('reports delivered and read as delivered', async () => {
    const read = await reader();
    for (const status of ['delivered', 'read']) {
      expect(await read(statusCallback(twilioFields(status)))).toEqual({ ok: true, receipts: [{ providerMessageId: SID, status: 'delivered' }] });
    }
  });

  it('reports undelivered as bounced and failed as failed, with Twilio\'s error code and message', async () => {
    const read = await reader();
    expect(await read(statusCallback(twilioFields('undelivered', { ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' })))).toEqual({
      ok: true,
      receipts: [{ providerMessageId: SID, status: 'bounced', reason: 'Twilio error 30003: Unreachable destination handset' }],
    });
    expect(await read(statusCallback(twilioFields('failed', { ErrorCode: '30008' })))).toEqual({
      ok: true,
      receipts: [{ providerMessageId: SID, status: 'failed', reason: 'Twilio error 30008' }],
    });
    expect(await read(statusCallback(twilioFields('failed')))).toEqual({
      ok: true,
      receipts: [{ providerMessageId: SID, status: 'failed', reason: 'Twilio reported the message failed' }],
    });
  });

  it('gives no receipt for interim statuses, nor for one it does not know', async () => {
    const read = await reader();
    for (const status of ['queued', 'accepted', 'scheduled', 'sending', 'sent', 'constructor', 'toString']) {
      expect(await read(statusCallback(twilioFields(status)))).toEqual({ ok: true, receipts: [] });
    }
  });

  it('refuses with 400 a body that is not a form, or a form without MessageSid or MessageStatus', async () => {
    const read = await reader();
    const json = { ...statusCallback(twilioFields('delivered')), contentType: 'application/json', body: JSON.stringify(twilioFields('delivered')) };
    expect(await read(json)).toMatchObject({ ok: false, status: 400 });
    expect(await read({ ...statusCallback(twilioFields('delivered')), contentType: '' })).toMatchObject({ ok: false, status: 400 });
    const { MessageSid: _sid, ...noSid } = twilioFields('delivered');
    expect(await read(statusCallback(noSid))).toEqual({ ok: false, status: 400, reason: 'the callback has no MessageSid' });
    const { MessageStatus: _status, ...noStatus } = twilioFields('delivered');
    expect(await read(statusCallback(noStatus))).toEqual({ ok: false, status: 400, reason: 'the callback has no MessageStatus' });
    expect(await read(statusCallback({}))).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses with 401 a callback without X-Twilio-Signature', async () => {
    const read = await reader();
    expect(await read(statusCallback(twilioFields('delivered'), { signature: null }))).toMatchObject({ ok: false, status: 401 });
    expect(await read(statusCallback(twilioFields('delivered'), { signature: '' }))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses with 403 a signature made with another token, for another URL, or over other fields', async () => {
    const read = await reader();
    const fields = twilioFields('delivered');
    expect(await read(statusCallback(fields, { signature: twilioSign('another-token', CALLBACK_URL, fields) }))).toMatchObject({ ok: false, status: 403 });
    expect(await read(statusCallback(fields, { signature: twilioSign(TOKEN, 'https://evil.example/callbacks/sms', fields) }))).toMatchObject({ ok: false, status: 403 });
    // Signed as "undelivered", posted as "delivered".
    const tampered = statusCallback(fields, { signature: twilioSign(TOKEN, CALLBACK_URL, twilioFields('undelivered')) });
    expect(await read(tampered)).toMatchObject({ ok: false, status: 403 });
  });

  it('accepts a signature over the configured statusCallback when Herald was reached at another URL', async () => {
    const fields = twilioFields('delivered');
    const callback = statusCallback(fields, { url: 'http://10.0.0.7:8080/callbacks/sms', signature: twilioSign(TOKEN, CALLBACK_URL, fields) });
    expect(await (await reader())(callback)).toMatchObject({ ok: false, status: 403 });
    expect(await (await reader({ statusCallback: CALLBACK_URL }))(callback)).toEqual({ ok: true, receipts: [{ providerMessageId: SID, status: 'delivered' }] });
  });

  it('accepts a signature over a statusCallback with basic-auth credentials in it, as Twilio was given it', async () => {
    const withAuth = 'https://herald:api-token@herald.acme.example/callbacks/sms';
    const fields = twilioFields('undelivered', { ErrorCode: '30005' });
    const callback = statusCallback(fields, { url: CALLBACK_URL, signature: twilioSign(TOKEN, withAuth, fields) });
    expect(await (await reader())(callback)).toMatchObject({ ok: false, status: 403 });
    expect(await (await reader({ statusCallback: withAuth }))(callback)).toMatchObject({ ok: true, receipts: [{ providerMessageId: SID, status: 'bounced' }] });
  });

  it('skips the signature check with verifyCallbacks: false', async () => {
    const read = await reader({ verifyCallbacks: false });
    expect(await read(statusCallback(twilioFields('delivered'), { signature: null }))).toEqual({ ok: true, receipts: [{ providerMessageId: SID, status: 'delivered' }] });
    expect(await read(statusCallback(twilioFields('failed'), { signature: 'wrong' }))).toMatchObject({ ok: true, receipts: [{ status: 'failed' }] });
  });
});
