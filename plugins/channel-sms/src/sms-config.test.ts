import { readFileSync } from 'node:fs';
import type { JsonSchemaObject } from '@herald/plugin-sdk';
import { validateAgainstSchema } from '@herald/plugin-sdk/test-kit';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './sms-config.js';
import type { SmsConfig } from './sms-config.js';

const schema = (JSON.parse(readFileSync(new URL('../herald-plugin.json', import.meta.url), 'utf8')) as { configSchema: JsonSchemaObject }).configSchema;
const base: SmsConfig = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tok', from: '+14155550100' };

describe('the config schema', () => {
  it('takes exactly one of from and messagingServiceSid', () => {
    expect(validateAgainstSchema(base, schema)).toEqual([]);
    expect(validateAgainstSchema({ accountSid: 'AC1', authToken: 'tok', messagingServiceSid: 'MG1' }, schema)).toEqual([]);
    expect(validateAgainstSchema({ accountSid: 'AC1', authToken: 'tok' }, schema)).not.toEqual([]);
    expect(validateAgainstSchema({ ...base, messagingServiceSid: 'MG1' }, schema)).not.toEqual([]);
  });

  it('takes an E.164 number, a short code or an alphanumeric sender id as from', () => {
    for (const from of ['+14155550100', '+447700900123', '12345', 'ACME', 'Acme Bills']) expect(validateAgainstSchema({ ...base, from }, schema)).toEqual([]);
    for (const from of ['14155550100x', '+0123', 'Acme Billing Dept', '1234567890123', 'ACME!']) expect(validateAgainstSchema({ ...base, from }, schema)).not.toEqual([]);
  });

  it('refuses in baseUrl what resolveConfig refuses there, and takes in statusCallback what it takes there', () => {
    const accepted = ['https://api.twilio.com', 'https://acme.signalwire.example/api/laml/', 'http://127.0.0.1:8080/x', 'https://@api.twilio.com', 'https://api.twilio.com?', 'https://api.twilio.com/#'];
    const refused = [
      'https://u:p@api.twilio.com', 'https://u@api.twilio.com', 'https://:p@api.twilio.com', 'https:///u@api.twilio.com', 'HTTPS://U@api.twilio.com',
      'https://api.twilio.com?x=1', 'https://api.twilio.com/a?b', 'https://api.twilio.com#top', 'https://api.twilio.com?#top', 'https://api.twilio.com\\?x',
    ];
    for (const baseUrl of accepted) {
      expect(validateAgainstSchema({ ...base, baseUrl }, schema), baseUrl).toEqual([]);
      expect(() => resolveConfig({ ...base, baseUrl }), baseUrl).not.toThrow();
    }
    for (const baseUrl of refused) {
      expect(validateAgainstSchema({ ...base, baseUrl }, schema), baseUrl).not.toEqual([]);
      expect(() => resolveConfig({ ...base, baseUrl }), baseUrl).toThrow(/credentials|query string/);
    }
    // Herald's callback route takes basic auth, so here credentials (and a query) are fine.
    for (const statusCallback of ['https://herald:tok@herald.example/callbacks/sms', 'https://herald.example/callbacks/sms?tenant=acme#x']) {
      expect(validateAgainstSchema({ ...base, statusCallback }, schema), statusCallback).toEqual([]);
      expect(() => resolveConfig({ ...base, statusCallback }), statusCallback).not.toThrow();
    }
  });

  it('refuses unknown keys, a secret that is empty and a timeout out of range', () => {
    expect(validateAgainstSchema({ ...base, apiKey: 'x' }, schema)).not.toEqual([]);
    expect(validateAgainstSchema({ ...base, authToken: '' }, schema)).not.toEqual([]);
    expect(validateAgainstSchema({ ...base, timeoutMs: 50 }, schema)).not.toEqual([]);
    expect(validateAgainstSchema({ ...base, verifyCallbacks: 'yes' }, schema)).not.toEqual([]);
  });
});

describe('resolveConfig', () => {
  it('fills the defaults and builds the account\'s Messages URL', () => {
    expect(resolveConfig(base)).toEqual({
      accountSid: base.accountSid,
      authToken: 'tok',
      sender: { from: '+14155550100' },
      messagesUrl: new URL(`https://api.twilio.com/2010-04-01/Accounts/${base.accountSid}/Messages.json`),
      statusCallback: undefined,
      verifyCallbacks: true,
      timeoutMs: 10_000,
    });
  });

  it('keeps a gateway\'s path prefix, with or without a trailing slash', () => {
    for (const baseUrl of ['https://acme.signalwire.example/api/laml', 'https://acme.signalwire.example/api/laml/']) {
      expect(resolveConfig({ ...base, baseUrl }).messagesUrl.href).toBe(`https://acme.signalwire.example/api/laml/2010-04-01/Accounts/${base.accountSid}/Messages.json`);
    }
  });

  it('throws on a config that cannot work, without quoting the token', () => {
    const secret = 'super-secret-token';
    const attempts: SmsConfig[] = [
      { ...base, authToken: secret, from: undefined },
      { ...base, authToken: secret, messagingServiceSid: 'MG1' },
      { ...base, authToken: secret, accountSid: 'AC1:x' },
      { ...base, authToken: secret, baseUrl: 'not a url' },
      { ...base, authToken: secret, baseUrl: 'https://api.twilio.com?x=1' },
      { ...base, authToken: secret, statusCallback: 'mailto:ops@acme.example' },
    ];
    for (const config of attempts) {
      let message = '';
      try {
        resolveConfig(config);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^sms: /);
      expect(message).not.toContain(secret);
    }
  });
});
