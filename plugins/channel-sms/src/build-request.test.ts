import type { OutboundMessage } from '@herald/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { buildRequest } from './build-request.js';
import { resolveConfig } from './sms-config.js';
import type { SmsContent } from './sms-config.js';

const config = resolveConfig({ accountSid: 'AC1', authToken: 'tok', from: 'ACME' });
const message: OutboundMessage<SmsContent> = {
  channel: 'sms', kind: 'sms', to: '+4915155550123', locale: 'de', content: { body: 'Grüße, Zoë: 50 % + 2 € = fällig 🙂' },
  subjectId: 'c', journey: 'j', step: 's', metadata: {},
};

describe('buildRequest', () => {
  it('form-encodes the body as UTF-8, so Twilio reads back exactly the rendered text', () => {
    const built = buildRequest(config, message, { idempotencyKey: 'k' }, 'ua');
    if (!built.ok) throw new Error(built.reason);
    expect(new URLSearchParams(built.request.body).get('Body')).toBe('Grüße, Zoë: 50 % + 2 € = fällig 🙂');
    expect(built.request.body).toContain('Body=Gr%C3%BC%C3%9Fe');
    expect(built.request.headers).toMatchObject({ Authorization: `Basic ${Buffer.from('AC1:tok').toString('base64')}`, 'I-Twilio-Idempotency-Token': 'k' });
  });

  it('refuses a message without a body', () => {
    const missing = { ...message, content: {} } as unknown as OutboundMessage<SmsContent>;
    expect(buildRequest(config, missing, { idempotencyKey: 'k' }, 'ua')).toMatchObject({ ok: false });
    expect(buildRequest(config, { ...message, content: { body: '' } }, { idempotencyKey: 'k' }, 'ua')).toMatchObject({ ok: false });
  });
});
