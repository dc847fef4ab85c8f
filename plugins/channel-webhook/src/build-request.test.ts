import type { OutboundMessage } from '@herald/plugin-sdk';
import { manualClock, memoryLogger } from '@herald/plugin-sdk/test-kit';
import { describe, expect, it } from 'vitest';
import { buildRequest } from './build-request.js';
import { signatureHeader } from './sign.js';
import { resolveConfig } from './webhook-config.js';
import type { WebhookContent } from './webhook-config.js';

const message: OutboundMessage<WebhookContent> = {
  channel: 'ops-hook',
  kind: 'webhook',
  to: 'U024BE7LH',
  locale: 'en',
  content: { body: '{"text": "Invoice INV-7 is overdue", "amount": 120.5}' },
  subjectId: 'cust-42',
  journey: 'invoice-overdue',
  step: 'remind',
  category: 'billing',
  metadata: { templateId: 'payment-reminder' },
};
const ctxWith = (logger = memoryLogger()) => ({ idempotencyKey: 'inst-1:remind:ops-hook:0', clock: manualClock(Date.UTC(2030, 0, 1, 0, 0, 5, 999)), logger });

function build(config: Parameters<typeof resolveConfig>[0], msg = message, logger = memoryLogger()) {
  const built = buildRequest(resolveConfig(config), msg, ctxWith(logger), 'Herald-Webhook/test');
  if (!built.ok) throw new Error(built.reason);
  return built.request;
}

describe('buildRequest', () => {
  it('posts the message as JSON, with the parsed template body as content and the key as id', () => {
    const request = build({ url: 'https://hooks.acme.example/in?x=1' });
    expect(request.url.href).toBe('https://hooks.acme.example/in?x=1');
    expect(JSON.parse(request.body)).toEqual({
      id: 'inst-1:remind:ops-hook:0',
      channel: 'ops-hook',
      to: 'U024BE7LH',
      locale: 'en',
      subjectId: 'cust-42',
      journey: 'invoice-overdue',
      step: 'remind',
      category: 'billing',
      content: { text: 'Invoice INV-7 is overdue', amount: 120.5 },
      metadata: { templateId: 'payment-reminder' },
    });
    expect(request.headers).toEqual({
      'User-Agent': 'Herald-Webhook/test',
      'Content-Type': 'application/json; charset=utf-8',
      'Idempotency-Key': 'inst-1:remind:ops-hook:0',
    });
  });

  it('leaves category out when the policy has none', () => {
    const { category: _, ...uncategorised } = message;
    expect(JSON.parse(build({ url: 'http://h.test' }, uncategorised).body)).not.toHaveProperty('category');
  });

  it('signs "<unix seconds>.<body>" when a secret is set', () => {
    const request = build({ url: 'http://h.test', secret: 's3cret' });
    expect(request.headers['Herald-Signature']).toBe(signatureHeader('s3cret', Date.UTC(2030, 0, 1, 0, 0, 5) / 1000, request.body));
  });

  it('layers template headers under config headers under its own, dropping what a template may not set', () => {
    const logger = memoryLogger();
    const request = build(
      { url: 'http://h.test', headers: { Authorization: 'Bearer config', 'User-Agent': 'acme-bot' } },
      {
        ...message,
        headers: { authorization: 'Bearer template', 'X-Event': 'reminder', 'idempotency-key': 'forged', 'Content-Type': 'text/plain', 'Bad Name': 'v', 'X-Split': 'a\r\nInjected: 1' },
      },
      logger,
    );
    expect(request.headers).toEqual({
      'User-Agent': 'acme-bot',
      Authorization: 'Bearer config',
      'X-Event': 'reminder',
      'Content-Type': 'application/json; charset=utf-8',
      'Idempotency-Key': 'inst-1:remind:ops-hook:0',
    });
    expect(logger.entries.map((e) => e.fields?.['header'])).toEqual(['idempotency-key', 'Content-Type', 'Bad Name', 'X-Split']);
  });

  it('refuses a body that is not JSON, or missing', () => {
    const config = resolveConfig({ url: 'http://h.test' });
    expect(buildRequest(config, { ...message, content: { body: '{"name": "Ada "the" Admin"}' } }, ctxWith(), 'ua')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the webhook body is not valid JSON/),
    });
    expect(buildRequest(config, { ...message, content: {} as WebhookContent }, ctxWith(), 'ua')).toEqual({ ok: false, reason: 'the webhook message has no body field' });
  });
});

describe('resolveConfig', () => {
  it('defaults the timeout to 10 s', () => {
    expect(resolveConfig({ url: 'HTTPS://Hooks.Acme.Example/in' })).toMatchObject({ timeoutMs: 10_000, headers: {}, secret: undefined });
  });

  it.each([
    [{ url: 'not a url' }, /not a valid URL/],
    [{ url: 'ftp://h.test/x' }, /http:\/\/ or https:\/\//],
    [{ url: 'https://user:pass@h.test/x' }, /credentials/],
    [{ url: 'https://h.test', headers: { 'Idempotency-Key': 'x' } }, /may not set Idempotency-Key/],
    [{ url: 'https://h.test', headers: { 'content-type': 'text/plain' } }, /may not set content-type/],
    [{ url: 'https://h.test', headers: { 'Bad Name': 'x' } }, /not a valid HTTP header name/],
    [{ url: 'https://h.test', headers: { 'X-A': 'a\nb' } }, /line break/],
  ])('refuses %j', (config, message) => {
    expect(() => resolveConfig(config)).toThrow(message);
  });
});
