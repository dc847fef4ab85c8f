import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkManifest } from '@herald/plugin-sdk';
import type { OutboundMessage } from '@herald/plugin-sdk';
import { assertChannelContract, manualClock, testPluginContext, testSendContext } from '@herald/plugin-sdk/test-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import webhookChannel from './index.js';
import type { WebhookConfig, WebhookContent, WebhookPayload } from './index.js';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';
const START = Date.UTC(2030, 0, 1);

/** A receiver's check, as docs/plugins.md shows it: the signed timestamp must be recent. */
function verifySignature(header: string | undefined, rawBody: Buffer, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts['t']);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  const given = Buffer.from(parts['v1'] ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
}

// A real HTTP receiver on a local port; each test says how it answers.
type Answer = (request: Received, res: ServerResponse) => void;
let answer: Answer = (_r, res) => res.writeHead(200).end();
let received: Received[] = [];
let onRequest: (() => void) | undefined;
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) };
  received.push(request);
  onRequest?.();
  answer(request, res);
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  received = [];
  onRequest = undefined;
  answer = (_r, res) => res.writeHead(200).end();
});

const message: OutboundMessage<WebhookContent> = {
  channel: 'chat',
  kind: 'webhook',
  to: 'U024BE7LH',
  locale: 'en',
  content: { body: '{"text": "Invoice INV-7 is overdue", "invoice": "INV-7"}' },
  subjectId: 'cust-42',
  journey: 'invoice-overdue',
  step: 'remind',
  category: 'billing',
  metadata: { templateId: 'payment-reminder' },
};

const configWith = (extra: Partial<WebhookConfig> = {}): WebhookConfig => ({ url: `${base}/hooks/herald?tenant=acme`, secret: SECRET, ...extra });

async function open(config: WebhookConfig = configWith()) {
  return webhookChannel.create(config, testPluginContext(config));
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => (_r, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
};
const text = (status: number, body: string, headers: Record<string, string> = {}): Answer => (_r, res) => {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
};
const never: Answer = () => {};

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

describe('@herald/channel-webhook', () => {
  it('ships a manifest that is valid, declares message "webhook" and matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../herald-plugin.json', import.meta.url), 'utf8')) as unknown;
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; files: string[]; dependencies: Record<string, string> };
    expect(checkManifest(manifest)).toMatchObject({ ok: true });
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, message: 'webhook' });
    expect(pkg.files).toContain('herald-plugin.json');
    expect(Object.keys(pkg.dependencies)).toEqual(['@herald/plugin-sdk']);
    expect(webhookChannel).toMatchObject({ kind: 'channel', name: '@herald/channel-webhook', messageKind: 'webhook' });
  });

  it('POSTs the message as signed JSON and reports the receiver\'s id as the receipt', async () => {
    answer = json(200, { id: 'evt_123', ok: true });
    const channel = await open(configWith({ headers: { Authorization: 'Bearer t0ken' } }));
    const ctx = testSendContext({ idempotencyKey: 'inst-1:remind:chat:0', clock: manualClock(START) });
    const result = await channel.send({ ...message, headers: { 'X-Event': 'invoice.reminder' } }, ctx);
    await channel.close?.();

    expect(result).toEqual({ status: 'delivered', receipt: { providerMessageId: 'evt_123', httpStatus: 200 } });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/herald?tenant=acme' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'idempotency-key': 'inst-1:remind:chat:0',
      authorization: 'Bearer t0ken',
      'x-event': 'invoice.reminder',
      'user-agent': 'Herald-Webhook/0.1.0',
    });
    expect(request!.headers['herald-signature']).toMatch(/^t=1893456000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(request!.headers['herald-signature'] as string, request!.raw, SECRET, START / 1000)).toBe(true);
    expect(verifySignature(request!.headers['herald-signature'] as string, request!.raw, 'another secret', START / 1000)).toBe(false);
    expect(verifySignature(request!.headers['herald-signature'] as string, Buffer.from(request!.raw.toString().replace('INV-7', 'INV-8')), SECRET, START / 1000)).toBe(false);
    expect(JSON.parse(request!.raw.toString('utf8'))).toEqual({
      id: 'inst-1:remind:chat:0',
      channel: 'chat',
      to: 'U024BE7LH',
      locale: 'en',
      subjectId: 'cust-42',
      journey: 'invoice-overdue',
      step: 'remind',
      category: 'billing',
      content: { text: 'Invoice INV-7 is overdue', invoice: 'INV-7' },
      metadata: { templateId: 'payment-reminder' },
    } satisfies WebhookPayload);
  });

  it('uses the idempotency key as receipt when the response has no id, and sends no signature without a secret', async () => {
    answer = text(204, '');
    const channel = await open({ url: `${base}/plain` });
    const result = await channel.send(message, testSendContext({ idempotencyKey: 'k-204' }));
    expect(result).toEqual({ status: 'delivered', receipt: { providerMessageId: 'k-204', httpStatus: 204 } });
    expect(received[0]?.headers).not.toHaveProperty('herald-signature');
  });

  it('sends a retry with the same Idempotency-Key and the same body, freshly signed', async () => {
    const seen = new Map<string, string>();
    // A receiver that dedupes: the second request with a key gets the first one's answer.
    answer = (request, res) => {
      const key = request.headers['idempotency-key'] as string;
      if (!seen.has(key)) seen.set(key, `evt_${seen.size + 1}`);
      json(200, { id: seen.get(key) })(request, res);
    };
    const channel = await open();
    const clock = manualClock(START);
    const first = await channel.send(message, testSendContext({ idempotencyKey: 'same-key', attempt: 1, clock }));
    clock.advance(10 * 60_000);
    const retry = await channel.send(message, testSendContext({ idempotencyKey: 'same-key', attempt: 2, clock }));

    expect(first).toEqual(retry);
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['same-key', 'same-key']);
    expect(received[1]!.raw.equals(received[0]!.raw)).toBe(true);
    const [a, b] = received.map((r) => r.headers['herald-signature'] as string);
    expect(a).not.toBe(b);
    expect(verifySignature(b, received[1]!.raw, SECRET, START / 1000 + 600)).toBe(true);
    // The first request, replayed ten minutes later, is outside the receiver's tolerance.
    expect(verifySignature(a, received[0]!.raw, SECRET, START / 1000 + 600)).toBe(false);
  });

  it('retries a 500, with an excerpt of the response', async () => {
    answer = text(500, 'Internal error: database unavailable');
    const result = await (await open()).send(message, testSendContext());
    expect(result).toEqual({ status: 'failed', retryable: true, reason: 'HTTP 500: Internal error: database unavailable', code: 'HTTP_500' });
  });

  it('retries a 429 no sooner than its Retry-After, in seconds or as a date', async () => {
    const channel = await open();
    answer = json(429, { error: 'rate limited' }, { 'retry-after': '7' });
    expect(await channel.send(message, testSendContext())).toMatchObject({ status: 'failed', retryable: true, code: 'HTTP_429', retryAfterMs: 7000 });
    answer = text(503, 'maintenance', { 'retry-after': new Date(START + 120_000).toUTCString() });
    expect(await channel.send(message, testSendContext({ clock: manualClock(START) }))).toMatchObject({ retryable: true, code: 'HTTP_503', retryAfterMs: 120_000 });
  });

  it('refuses a 400 permanently, with the status and the start of the body', async () => {
    answer = json(400, { error: 'unknown field "invoice"', detail: 'x'.repeat(5000) });
    const result = await (await open()).send(message, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'HTTP_400' });
    expect(result.status === 'failed' ? result.reason : '').toMatch(/^HTTP 400: \{"error":"unknown field \\"invoice\\"","detail":"x+…$/);
    expect(result.status === 'failed' ? result.reason.length : 0).toBe(210);
  });

  it('refuses a 410 permanently, without reporting a bounce', async () => {
    answer = text(410, 'this endpoint was removed');
    const result = await (await open()).send(message, testSendContext());
    expect(result).toEqual({ status: 'failed', retryable: false, reason: 'HTTP 410: this endpoint was removed', code: 'HTTP_410' });
  });

  it('does not follow a redirect', async () => {
    answer = (_r, res) => res.writeHead(307, { location: `${base}/elsewhere` }).end();
    const result = await (await open()).send(message, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'HTTP_307' });
    expect(received.map((r) => r.url)).toEqual(['/hooks/herald?tenant=acme']);
  });

  it('retries when the connection is refused', async () => {
    const channel = await open({ url: `http://127.0.0.1:${await closedPort()}/hook` });
    const result = await channel.send(message, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: true, code: 'ECONNREFUSED' });
  });

  it('gives up on a receiver that never answers after timeoutMs, as retryable', async () => {
    answer = never;
    const channel = await open(configWith({ timeoutMs: 300 }));
    const started = performance.now();
    const result = await channel.send(message, testSendContext());
    const elapsed = performance.now() - started;
    expect(result).toEqual({ status: 'failed', retryable: true, reason: 'no response within 300 ms', code: 'TIMEOUT' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('returns promptly when the signal aborts mid-request', async () => {
    answer = never;
    const arrived = new Promise<void>((resolve) => (onRequest = resolve));
    const controller = new AbortController();
    const channel = await open();
    const sending = channel.send(message, testSendContext({ signal: controller.signal }));
    await arrived;
    const abortedAt = performance.now();
    controller.abort(new Error('delivery timeout'));
    const result = await sending;
    expect(performance.now() - abortedAt).toBeLessThan(250);
    expect(result).toEqual({ status: 'failed', retryable: true, reason: 'aborted: delivery timeout', code: 'ABORTED' });
  });

  it('does not send with an aborted signal, stops requests in flight on close, and refuses sends after it', async () => {
    const channel = await open();
    expect(await channel.send(message, testSendContext({ signal: AbortSignal.abort() }))).toMatchObject({ retryable: true, code: 'ABORTED' });
    expect(received).toHaveLength(0);

    answer = never;
    const arrived = new Promise<void>((resolve) => (onRequest = resolve));
    const sending = channel.send(message, testSendContext());
    await arrived;
    await channel.close?.();
    expect(await sending).toMatchObject({ status: 'failed', retryable: true, code: 'ABORTED' });
    expect(await channel.send(message, testSendContext())).toMatchObject({ retryable: true, code: 'CLOSED' });
  });

  it('refuses, without a request, a template body that is not JSON', async () => {
    const result = await (await open()).send({ ...message, content: { body: '{"text": "Ada "the" Admin"}' } }, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'INVALID_MESSAGE' });
    expect(received).toHaveLength(0);
  });

  it('fails create on a config that cannot work', async () => {
    await expect(open({ url: 'https://user:pw@hooks.acme.example/' })).rejects.toThrow(/credentials/);
    await expect(open({ url: base, headers: { 'Herald-Signature': 'x' } })).rejects.toThrow(/may not set Herald-Signature/);
  });

  it('passes the SDK channel contract', async () => {
    const byKey = new Map<string, string>();
    answer = (request, res) => {
      const key = request.headers['idempotency-key'] as string;
      if (!byKey.has(key)) byKey.set(key, `evt_${byKey.size + 1}`);
      json(202, { id: byKey.get(key) })(request, res);
    };
    await assertChannelContract(webhookChannel, {
      config: configWith(),
      validMessage: message,
      expect: 'delivered',
      stableReceipt: true,
      verifyIdempotency: ([first, retry]) => {
        const sent = received.filter((r) => r.headers['idempotency-key'] === first.ctx.idempotencyKey);
        expect(sent).toHaveLength(2);
        expect(sent[1]!.raw.equals(sent[0]!.raw)).toBe(true);
        expect(retry.ctx.attempt).toBe(2);
      },
    });
  });
});
