import type { OutboundMessage } from '@herald/plugin-sdk';
import { manualClock, memoryLogger } from '@herald/plugin-sdk/test-kit';
import { describe, expect, it } from 'vitest';
import { buildMail } from './build-mail.js';
import type { EmailContent } from './email-config.js';

const base: OutboundMessage<EmailContent> = {
  channel: 'email',
  kind: 'email',
  to: 'ada@example.test',
  locale: 'en',
  content: { subject: 'Hello', text: 'Hi Ada' },
  subjectId: 's',
  journey: 'j',
  step: 'st',
  metadata: {},
};
const ctxWith = (logger = memoryLogger()) => ({ idempotencyKey: 'k', messageId: '<abc@acme.test>', clock: manualClock(0), logger });
const config = { from: 'a@acme.test' };

function headersOf(message: OutboundMessage<EmailContent>) {
  const logger = memoryLogger();
  const built = buildMail(config, message, ctxWith(logger));
  if (!built.ok) throw new Error(built.reason);
  return { headers: built.mail.headers as Record<string, string>, mail: built.mail, logger };
}

describe('buildMail', () => {
  it('sets the deterministic Message-ID and the idempotency header, and locks down file and URL access', () => {
    const { mail, headers } = headersOf(base);
    expect(mail).toMatchObject({ from: 'a@acme.test', to: 'ada@example.test', subject: 'Hello', text: 'Hi Ada', messageId: '<abc@acme.test>' });
    expect(mail).not.toHaveProperty('html');
    expect(mail).toMatchObject({ disableFileAccess: true, disableUrlAccess: true });
    expect(headers).toEqual({ 'X-Herald-Idempotency-Key': 'k' });
  });

  it('adds List-Unsubscribe, with one-click only for https', () => {
    expect(headersOf({ ...base, metadata: { unsubscribeUrl: 'https://a.test/u' } }).headers).toMatchObject({
      'List-Unsubscribe': '<https://a.test/u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const mailto = headersOf({ ...base, metadata: { unsubscribeUrl: 'mailto:unsub@a.test' } }).headers;
    expect(mailto['List-Unsubscribe']).toBe('<mailto:unsub@a.test>');
    expect(mailto).not.toHaveProperty('List-Unsubscribe-Post');
    const bad = headersOf({ ...base, metadata: { unsubscribeUrl: 'javascript:alert(1)' } });
    expect(bad.headers).not.toHaveProperty('List-Unsubscribe');
    expect(bad.logger.entries[0]?.level).toBe('warn');
  });

  it('drops reserved or malformed template headers and lets ours win over case variants', () => {
    const { headers, logger } = headersOf({
      ...base,
      headers: { 'x-herald-idempotency-key': 'forged', From: 'x@evil.test', 'Bad Name': 'v', 'list-unsubscribe': '<https://old>', 'X-Ok': '1' },
      metadata: { unsubscribeUrl: 'https://a.test/u' },
    });
    expect(headers).toEqual({
      'X-Ok': '1',
      'List-Unsubscribe': '<https://a.test/u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Idempotency-Key': 'k',
    });
    expect(logger.entries.map((e) => e.fields?.['header'])).toEqual(['x-herald-idempotency-key', 'From', 'Bad Name']);
  });

  it('refuses content without a subject or a body, and an empty address', () => {
    const ctx = ctxWith();
    expect(buildMail(config, { ...base, content: { text: 'x' } as never }, ctx)).toEqual({ ok: false, reason: 'the email has no subject field' });
    expect(buildMail(config, { ...base, content: { subject: 'x' } }, ctx)).toMatchObject({ ok: false });
    expect(buildMail(config, { ...base, to: ' ' }, ctx)).toEqual({ ok: false, reason: 'the subject has no email address' });
  });
});
