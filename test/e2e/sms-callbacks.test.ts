/**
 * SMS end to end on the bundled `@herald/channel-sms`: a project written to a temp folder, the
 * embedded driver, the plugin in a worker thread, a real HTTP server playing Twilio's Messages
 * API (the one third-party cloud API here), and Twilio's status callbacks posted to the API's
 * `POST /callbacks/sms`, signed as Twilio signs them. A delivered callback settles the message;
 * an undelivered one bounces it and the policy fails over to email (channel-log, to a file);
 * a forged one is refused and changes nothing.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../runtime/src/api/create-server.js';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { createRuntime, createVirtualClock, loadProjectGraph, type Runtime } from '../../runtime/src/orchestrator/index.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-auth-token-0123456789';
const API_TOKEN = 'herald-api-token';
const PUBLIC_URL = 'https://herald.example';
const T0 = Date.UTC(2030, 0, 1, 10, 0);

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

let twilio: Server;
const received: Received[] = [];
let root: string;
let runtime: Runtime;
let api: FastifyInstance;

/** Twilio's request signature, written here from its documentation, apart from the plugin's own. */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', AUTH_TOKEN).update(data, 'utf8').digest('base64');
}

async function callback(params: Record<string, string>, signature = twilioSignature(`${PUBLIC_URL}/callbacks/sms`, params)) {
  return api.inject({
    method: 'POST',
    url: '/callbacks/sms',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      // What Twilio sends for a callback URL written https://herald:<token>@herald.example/callbacks/sms.
      authorization: `Basic ${Buffer.from(`herald:${API_TOKEN}`).toString('base64')}`,
    },
    payload: new URLSearchParams(params).toString(),
  });
}

beforeAll(async () => {
  let sid = 0;
  twilio = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, form: new URLSearchParams(body) });
      sid++;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${String(sid).padStart(32, '0')}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => twilio.listen(0, '127.0.0.1', resolve));
  const port = (twilio.address() as AddressInfo).port;

  root = mkdtempSync(join(tmpdir(), 'herald-sms-e2e-'));
  for (const dir of ['journeys', 'templates', 'policies']) mkdirSync(join(root, dir));
  writeFileSync(
    join(root, 'herald.yaml'),
    [
      'project: texts',
      'defaults: { locale: en, timezone: UTC, policy: alerts }',
      'channels:',
      '  sms:',
      '    use: "@herald/channel-sms"',
      // No statusCallback: the Messaging Service would carry it. So the channel can check Twilio's
      // signature over --public-url alone, which is what this test is about.
      `    config: { accountSid: ${ACCOUNT}, authToken: "\${TWILIO_AUTH_TOKEN}", from: "+14155550100", baseUrl: "http://127.0.0.1:${port}" }`,
      '  email:',
      '    use: "@herald/channel-log"',
      `    config: { path: "${join(root, 'outbox.jsonl')}" }`,
      'events:',
      '  order.shipped:',
      '    fields: { subjectId: string, orderId: string }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'policies', 'alerts.policy.yaml'),
    ['policy: alerts', 'category: transactional', 'channels: [sms, email]', 'failover: { on: [failed, bounced, timeout], deliveryTimeout: 1h }', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'journeys', 'shipped.journey.yaml'),
    ['journey: shipped', 'trigger: { event: order.shipped, subject: event.subjectId }', 'steps:', '  - send: shipped', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'templates', 'shipped.template.yaml'),
    ['template: shipped', 'sms:', '  en:', '    body: "Order {{trigger.orderId}} is on its way"', 'email:', '  en:', '    subject: "Order {{trigger.orderId}} shipped"', '    text: "Order {{trigger.orderId}} is on its way"', ''].join('\n'),
  );

  const loaded = loadProjectGraph(root);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const clock = createVirtualClock(T0);
  runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
    graph: loaded.ir!,
    projectRoot: root,
    clock,
    pool: { threads: 1, logLevel: 'error', env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN } },
  });
  await runtime.start();
  api = createApiServer(runtime, { token: API_TOKEN, publicUrl: PUBLIC_URL });
});

afterAll(async () => {
  await api?.close();
  await runtime?.stop();
  await new Promise<void>((resolve) => twilio.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

async function shipTo(subjectId: string, phone: string, orderId: string) {
  await runtime.putSubject({ id: subjectId, contacts: { sms: phone, email: `${subjectId}@example.com` } });
  expect(await runtime.ingest({ type: 'order.shipped', data: { subjectId, orderId } })).toMatchObject({ ok: true });
  await runtime.runUntilIdle(runtime.now());
  const { items } = await runtime.searchArchive({ subjectId });
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('@herald/channel-sms with Twilio status callbacks', () => {
  it('sends through the Messages API, then a signed "delivered" callback settles the message', async () => {
    const message = await shipTo('u-1', '+14155550111', 'O-1');
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    expect(sent.url).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(Object.fromEntries(sent.form)).toEqual({ To: '+14155550111', From: '+14155550100', Body: 'Order O-1 is on its way' });
    expect(message.delivery.status).toBe('awaiting-receipt');
    const sid = message.delivery.providerMessageId!;
    expect(sid).toMatch(/^SM/);

    // An interim status is no receipt.
    const interim = await callback({ MessageSid: sid, MessageStatus: 'sent', AccountSid: ACCOUNT });
    expect(interim.statusCode).toBe(200);
    expect(interim.json()).toEqual({ received: 0, matched: 0 });

    const done = await callback({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ received: 1, matched: 1 });
    await runtime.runUntilIdle(runtime.now());
    expect((await runtime.getArchived(message.delivery.id))!.delivery.status).toBe('delivered');

    // Twilio repeats callbacks: the message has its outcome, so this one matches nothing and is still a 200.
    const repeated = await callback({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: ACCOUNT });
    expect(repeated.json()).toEqual({ received: 1, matched: 0 });
  });

  it('an "undelivered" callback bounces the SMS and the policy fails over to email', async () => {
    const message = await shipTo('u-2', '+14155550122', 'O-2');
    const sid = message.delivery.providerMessageId!;
    const res = await callback({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003', AccountSid: ACCOUNT });
    expect(res.json()).toEqual({ received: 1, matched: 1 });
    await runtime.runUntilIdle(runtime.now());
    const after = (await runtime.getArchived(message.delivery.id))!;
    expect(after.delivery.status).toBe('delivered');
    expect(after.delivery.channels[after.delivery.channelIndex]).toBe('email');
    expect(after.delivery.history).toContainEqual(expect.objectContaining({ channel: 'sms', outcome: 'bounced', note: expect.stringContaining('30003') }));
    const outbox = readFileSync(join(root, 'outbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; content: Record<string, string> });
    expect(outbox).toEqual([expect.objectContaining({ to: 'u-2@example.com', content: expect.objectContaining({ subject: 'Order O-2 shipped' }) })]);
  });

  it('refuses a callback not signed with the account token, and changes nothing', async () => {
    const message = await shipTo('u-3', '+14155550133', 'O-3');
    const sid = message.delivery.providerMessageId!;
    const params = { MessageSid: sid, MessageStatus: 'failed', AccountSid: ACCOUNT };
    const forged = createHmac('sha1', 'not-the-token').update(`${PUBLIC_URL}/callbacks/sms${Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join('')}`).digest('base64');
    const res = await callback(params, forged);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('forbidden');
    // Signed over another URL (a callback replayed to another path or host) is refused too.
    expect((await callback(params, twilioSignature('https://elsewhere.example/callbacks/sms', params))).statusCode).toBe(403);
    await runtime.runUntilIdle(runtime.now());
    expect((await runtime.getArchived(message.delivery.id))!.delivery.status).toBe('awaiting-receipt');
    expect(existsSync(join(root, 'outbox.jsonl')) ? readFileSync(join(root, 'outbox.jsonl'), 'utf8') : '').not.toContain('u-3@example.com');
  });
});
