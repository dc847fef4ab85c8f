import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkManifest } from '@herald/plugin-sdk';
import type { OutboundMessage } from '@herald/plugin-sdk';
import { assertChannelContract, manualClock, memoryLogger, providerCallback, testPluginContext, testSendContext } from '@herald/plugin-sdk/test-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import smsChannel from './index.js';
import type { SmsConfig, SmsContent } from './index.js';
import { twilioSignature } from './twilio-signature.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'auth-token-0123456789abcdef';
const START = Date.UTC(2030, 0, 1);

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

// A real HTTP server playing Twilio's Messages endpoint; each test says how it answers.
type Answer = (request: Received, res: ServerResponse) => void;
let answer: Answer;
let received: Received[] = [];
let onRequest: (() => void) | undefined;
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
  received.push(request);
  onRequest?.();
  answer(request, res);
});
let base = '';

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => (_r, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
};
const twilioError = (status: number, code: number, message: string, headers: Record<string, string> = {}): Answer =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
const never: Answer = () => {};
/** Twilio's answer to a create: the message, queued. */
const created = (sid = 'SM00000000000000000000000000000001', status = 'queued'): Answer => json(201, { sid, status, account_sid: ACCOUNT, num_segments: '1' });

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
  answer = created();
});

const message: OutboundMessage<SmsContent> = {
  channel: 'sms',
  kind: 'sms',
  to: '+14155550123',
  locale: 'en',
  content: { body: 'Invoice INV-7 is overdue: 120.50 EUR & counting' },
  subjectId: 'cust-42',
  journey: 'invoice-overdue',
  step: 'remind',
  category: 'billing',
  metadata: {},
};

const configWith = (extra: Partial<SmsConfig> = {}): SmsConfig => ({
  accountSid: ACCOUNT,
  authToken: TOKEN,
  from: '+14155550100',
  baseUrl: base,
  ...extra,
});

async function open(config: SmsConfig = configWith()) {
  return smsChannel.create(config, testPluginContext(config));
}

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

const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('@herald/channel-sms', () => {
  it('ships a manifest that is valid, declares message "sms" and matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../herald-plugin.json', import.meta.url), 'utf8')) as unknown;
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; files: string[]; dependencies: Record<string, string> };
    expect(checkManifest(manifest)).toMatchObject({ ok: true });
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, message: 'sms' });
    expect(pkg.files).toContain('herald-plugin.json');
    expect(Object.keys(pkg.dependencies)).toEqual(['@herald/plugin-sdk']);
    expect(smsChannel).toMatchObject({ kind: 'channel', name: '@herald/channel-sms', messageKind: 'sms' });
  });

  it('creates the message with basic auth, a form body and the idempotency token, and answers accepted with the sid', async () => {
    const channel = await open(configWith({ statusCallback: 'https://herald.acme.example/callbacks/sms' }));
    const result = await channel.send(message, testSendContext({ idempotencyKey: 'inst-1:remind:sms:0' }));

    expect(result).toEqual({ status: 'accepted', receipt: { providerMessageId: 'SM00000000000000000000000000000001', status: 'queued' } });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: `/2010-04-01/Accounts/${ACCOUNT}/Messages.json` });
    expect(request!.headers).toMatchObject({
      authorization: basicAuth(ACCOUNT, TOKEN),
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'i-twilio-idempotency-token': 'inst-1:remind:sms:0',
      'user-agent': 'Herald-SMS/0.1.0',
    });
    expect([...request!.form.entries()]).toEqual([
      ['To', '+14155550123'],
      ['From', '+14155550100'],
      ['Body', 'Invoice INV-7 is overdue: 120.50 EUR & counting'],
      ['StatusCallback', 'https://herald.acme.example/callbacks/sms'],
    ]);
  });

  it('sends MessagingServiceSid instead of From, no StatusCallback without one, under a gateway\'s path prefix', async () => {
    const channel = await open({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef', baseUrl: `${base}/api/laml/` });
    expect(await channel.send(message, testSendContext())).toMatchObject({ status: 'accepted' });
    expect(received[0]!.url).toBe(`/api/laml/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(Object.fromEntries(received[0]!.form)).toEqual({
      To: '+14155550123',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: 'Invoice INV-7 is overdue: 120.50 EUR & counting',
    });
  });

  it('answers delivered when the API already reports the message delivered', async () => {
    answer = created('SMdone', 'delivered');
    expect(await (await open()).send(message, testSendContext())).toEqual({ status: 'delivered', receipt: { providerMessageId: 'SMdone', status: 'delivered' } });
  });

  it('sends a retry with the same idempotency token and the same form', async () => {
    const channel = await open();
    await channel.send(message, testSendContext({ idempotencyKey: 'same-key', attempt: 1 }));
    await channel.send(message, testSendContext({ idempotencyKey: 'same-key', attempt: 2 }));
    expect(received.map((r) => r.headers['i-twilio-idempotency-token'])).toEqual(['same-key', 'same-key']);
    expect(received[1]!.form.toString()).toBe(received[0]!.form.toString());
  });

  it('reports an invalid or unreachable recipient number as a bounce', async () => {
    const channel = await open();
    for (const code of [21211, 21612, 21614]) {
      answer = twilioError(400, code, `The 'To' number +1555 is not valid (${code}).`);
      expect(await channel.send({ ...message, to: '+1555' }, testSendContext())).toEqual({
        status: 'failed',
        retryable: false,
        bounced: true,
        reason: `Twilio error ${code}: The 'To' number +1555 is not valid (${code}). (HTTP 400)`,
        code: `TWILIO_${code}`,
      });
    }
  });

  it('reports a recipient who replied STOP as permanent, not as a bounce', async () => {
    answer = twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    const result = await (await open()).send(message, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'TWILIO_21610' });
    expect(result).not.toHaveProperty('bounced');
    expect(result.status === 'failed' ? result.reason : '').toMatch(/^the recipient replied STOP to this sender .*Twilio error 21610: Attempt to send to unsubscribed recipient/);
  });

  it('refuses other 4xx permanently, geographic permissions and credentials included', async () => {
    const channel = await open();
    answer = twilioError(400, 21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number");
    const geo = await channel.send(message, testSendContext());
    expect(geo).toMatchObject({ status: 'failed', retryable: false, code: 'TWILIO_21408' });
    expect(geo).not.toHaveProperty('bounced');

    answer = twilioError(400, 21602, 'Message body is required.');
    expect(await channel.send(message, testSendContext())).toEqual({ status: 'failed', retryable: false, reason: 'Twilio error 21602: Message body is required. (HTTP 400)', code: 'TWILIO_21602' });

    for (const status of [401, 403]) {
      answer = twilioError(status, 20003, 'Authenticate');
      const refused = await channel.send(message, testSendContext());
      expect(refused).toMatchObject({ status: 'failed', retryable: false, code: 'TWILIO_20003' });
      expect(refused.status === 'failed' ? refused.reason : '').toContain('credentials');
    }
    answer = (_r, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    expect(await channel.send(message, testSendContext())).toEqual({ status: 'failed', retryable: false, reason: 'HTTP 404: <h1>Not Found</h1>', code: 'HTTP_404' });
  });

  it('retries a 429 and a 5xx no sooner than Retry-After', async () => {
    const channel = await open();
    answer = twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '7' });
    expect(await channel.send(message, testSendContext())).toEqual({
      status: 'failed',
      retryable: true,
      reason: 'Twilio error 20429: Too Many Requests (HTTP 429)',
      code: 'TWILIO_20429',
      retryAfterMs: 7000,
    });
    answer = (_r, res) => res.writeHead(503, { 'retry-after': new Date(START + 120_000).toUTCString() }).end('maintenance');
    expect(await channel.send(message, testSendContext({ clock: manualClock(START) }))).toEqual({
      status: 'failed',
      retryable: true,
      reason: 'HTTP 503: maintenance',
      code: 'HTTP_503',
      retryAfterMs: 120_000,
    });
    answer = twilioError(500, 20500, 'Internal Server Error');
    expect(await channel.send(message, testSendContext())).toEqual({ status: 'failed', retryable: true, reason: 'Twilio error 20500: Internal Server Error (HTTP 500)', code: 'TWILIO_20500' });
  });

  it('retries when the connection is refused', async () => {
    const channel = await open(configWith({ baseUrl: `http://127.0.0.1:${await closedPort()}` }));
    expect(await channel.send(message, testSendContext())).toMatchObject({ status: 'failed', retryable: true, code: 'ECONNREFUSED' });
  });

  it('gives up on an API that does not answer within timeoutMs, as retryable', async () => {
    answer = never;
    const channel = await open(configWith({ timeoutMs: 300 }));
    const started = performance.now();
    const result = await channel.send(message, testSendContext());
    const elapsed = performance.now() - started;
    expect(result).toEqual({ status: 'failed', retryable: true, reason: 'no response within 300 ms', code: 'TIMEOUT' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('retries, rather than refuses, a 201 whose body stops before the sid arrives', async () => {
    answer = (_r, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"account_sid": "AC0123');
    };
    const result = await (await open(configWith({ timeoutMs: 300 }))).send(message, testSendContext());
    expect(result).toEqual({ status: 'failed', retryable: true, reason: 'no response within 300 ms', code: 'TIMEOUT' });
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

  it('refuses a 2xx without a sid permanently: no callback could be matched to it', async () => {
    answer = json(200, { ok: true });
    expect(await (await open()).send(message, testSendContext())).toMatchObject({ status: 'failed', retryable: false, code: 'INVALID_RESPONSE' });
  });

  it('refuses, without a request, a message with no body', async () => {
    const result = await (await open()).send({ ...message, content: { body: '' } }, testSendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'INVALID_MESSAGE' });
    expect(received).toHaveLength(0);
  });

  it('keeps the auth token and the status callback\'s password out of reasons and logs, even when the API echoes them', async () => {
    // A misbehaving gateway that quotes the credentials and the callback URL it was sent.
    answer = (request, res) => {
      const decoded = Buffer.from(String(request.headers.authorization).slice('Basic '.length), 'base64').toString();
      const message = `bad request from ${decoded} calling back ${request.form.get('StatusCallback')}`;
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message }));
    };
    const logger = memoryLogger();
    const config = configWith({ statusCallback: 'https://herald:herald-api-t%40ken@herald.acme.example/callbacks/sms' });
    const channel = await smsChannel.create(config, testPluginContext(config, { logger }));
    const result = await channel.send(message, testSendContext({ logger }));
    const reason = result.status === 'failed' ? result.reason : '';
    expect(reason).toContain(`bad request from ${ACCOUNT}:[redacted] calling back https://herald:[redacted]@herald.acme.example/callbacks/sms`);
    expect(reason).not.toContain(TOKEN);
    expect(reason).not.toContain('herald-api-t');
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });

  it('does not follow a redirect, so the credentials stay with the configured API', async () => {
    answer = (_r, res) => res.writeHead(307, { location: `${base}/elsewhere` }).end();
    expect(await (await open()).send(message, testSendContext())).toMatchObject({ status: 'failed', retryable: false, code: 'HTTP_307' });
    expect(received.map((r) => r.url)).toEqual([`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`]);
  });

  it('fails create on a config that cannot work', async () => {
    await expect(open({ accountSid: ACCOUNT, authToken: TOKEN, baseUrl: base })).rejects.toThrow(/exactly one of from and messagingServiceSid/);
    await expect(open(configWith({ messagingServiceSid: 'MG1' }))).rejects.toThrow(/exactly one of from and messagingServiceSid/);
    await expect(open(configWith({ baseUrl: 'https://user:pw@api.twilio.com' }))).rejects.toThrow(/credentials/);
    await expect(open(configWith({ statusCallback: 'ftp://herald.example/callbacks/sms' }))).rejects.toThrow(/statusCallback must be http/);
  });

  it('passes the SDK channel contract', async () => {
    // Like Twilio with the idempotency token honoured: the same token gets the first answer again.
    const byKey = new Map<string, string>();
    answer = (request, res) => {
      const key = request.headers['i-twilio-idempotency-token'] as string;
      if (!byKey.has(key)) byKey.set(key, `SM${String(byKey.size + 1).padStart(32, '0')}`);
      created(byKey.get(key))(request, res);
    };
    const statusCallback = 'https://herald.acme.example/callbacks/sms';
    // Twilio's callback for the message send-valid created, signed with the Auth Token for the URL it calls.
    const delivered = new URLSearchParams({
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      From: '+14155550100',
      MessageSid: 'SM00000000000000000000000000000001',
      MessageStatus: 'delivered',
      SmsSid: 'SM00000000000000000000000000000001',
      SmsStatus: 'delivered',
      To: '+14155550123',
    });
    await assertChannelContract(smsChannel, {
      config: configWith({ statusCallback }),
      validMessage: message,
      expect: 'accepted',
      stableReceipt: true,
      verifyIdempotency: ([first, retry]) => {
        const sent = received.filter((r) => r.headers['i-twilio-idempotency-token'] === first.ctx.idempotencyKey);
        expect(sent).toHaveLength(2);
        expect(sent[1]!.form.toString()).toBe(sent[0]!.form.toString());
        expect(retry.ctx.attempt).toBe(2);
      },
      callbacks: {
        valid: providerCallback({
          url: statusCallback,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
            'User-Agent': 'TwilioProxy/1.1',
            'X-Twilio-Signature': twilioSignature(TOKEN, statusCallback, delivered),
          },
          body: delivered.toString(),
        }),
        expect: { providerMessageId: 'SM00000000000000000000000000000001', status: 'delivered' },
      },
    });
  });
});
