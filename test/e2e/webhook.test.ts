/**
 * A journey sending on the bundled `@herald/channel-webhook` end to end: a project written to a
 * temp folder, the embedded driver, the plugin loaded in a worker thread, and a real HTTP
 * server that receives the POST, answers 503 once (a retry, with the same Idempotency-Key and
 * body) and then 200. The customer's name carries a quote, which the webhook body's JSON
 * escaping keeps valid.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { createRuntime, createVirtualClock, loadProjectGraph } from '../../runtime/src/orchestrator/index.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const T0 = Date.UTC(2030, 0, 1, 10, 0);

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server;
let port = 0;
const received: Received[] = [];
let root: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      // The first POST is refused as "busy", so the runtime retries.
      if (received.length === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'hook-msg-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  root = mkdtempSync(join(tmpdir(), 'herald-webhook-e2e-'));
  for (const dir of ['journeys', 'templates', 'policies']) mkdirSync(join(root, dir));
  writeFileSync(
    join(root, 'herald.yaml'),
    [
      'project: hooks',
      'defaults: { locale: en, timezone: UTC, policy: ops }',
      'channels:',
      '  hook:',
      '    use: "@herald/channel-webhook"',
      `    config: { url: "http://127.0.0.1:${port}/inbox", secret: "${SECRET}", timeoutMs: 2000 }`,
      'subject:',
      '  fields: { name: string }',
      'events:',
      '  ticket.opened:',
      '    fields: { subjectId: string, ticketId: string, priority: number }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'policies', 'ops.policy.yaml'),
    ['policy: ops', 'category: transactional', 'channels: [hook]', 'retry: { attempts: 3, backoff: fixed, initial: 1s }', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'journeys', 'ticket.journey.yaml'),
    ['journey: ticket', 'trigger: { event: ticket.opened, subject: event.subjectId }', 'steps:', '  - send: ticket-opened', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'templates', 'ticket-opened.template.yaml'),
    [
      'template: ticket-opened',
      'webhook:',
      '  en:',
      `    body: '{"text": "Ticket {{trigger.ticketId}} opened for {{subject.name}}", "priority": {{trigger.priority}}}'`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe('@herald/channel-webhook in a running journey', () => {
  it('posts the rendered body, signed, retries a 503 with the same key and body, and archives the delivery', async () => {
    const loaded = loadProjectGraph(root);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const clock = createVirtualClock(T0);
    const runtime = createRuntime({
      driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
      graph: loaded.ir!,
      projectRoot: root,
      clock,
      pool: { threads: 1, logLevel: 'error' },
    });
    await runtime.start();
    try {
      // `hook` needs an address like any channel: for a webhook it is what the receiver routes by.
      await runtime.putSubject({ id: 'u-1', name: 'Ada "the" Admin', contacts: { hook: 'team-ops' } });
      expect(await runtime.ingest({ type: 'ticket.opened', data: { subjectId: 'u-1', ticketId: 'T-7', priority: 2 } })).toMatchObject({ ok: true });
      await runtime.runUntilIdle(T0 + 60_000);

      expect(received).toHaveLength(2);
      const [first, second] = received as [Received, Received];
      expect(second.body).toBe(first.body);
      expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
      const body = JSON.parse(second.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        to: 'team-ops',
        subjectId: 'u-1',
        journey: 'ticket',
        content: { text: 'Ticket T-7 opened for Ada "the" Admin', priority: 2 },
      });
      // The signature is HMAC-SHA256 of `<t>.<body>`, as docs/plugins.md tells receivers to check it.
      const signature = String(second.headers['herald-signature']);
      const t = /t=(\d+)/.exec(signature)![1];
      const v1 = /v1=([0-9a-f]+)/.exec(signature)![1];
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${second.body}`).digest('hex'));

      const { items } = await runtime.searchArchive({ subjectId: 'u-1' });
      expect(items).toHaveLength(1);
      expect(items[0]!.delivery.status).toBe('delivered');
      expect(items[0]!.attempts.map((a) => (a.result as { status: string }).status)).toEqual(['failed', 'delivered']);
    } finally {
      await runtime.stop();
    }
  });
});
