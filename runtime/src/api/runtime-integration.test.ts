/** The API over the real runtime: orchestrator, embedded driver (in memory), worker pool, virtual clock. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from '../orchestrator/create-runtime.js';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { createVirtualClock } from '../orchestrator/virtual-clock.js';
import { signUnsubscribeToken } from '../subjects/unsubscribe-token.js';
import { withTestPlugins } from '../testing/test-plugins.js';
import { createApiServer } from './create-server.js';

const root = fileURLToPath(new URL('../../../examples/invoice-dunning', import.meta.url));
const auth = { authorization: 'Bearer t0k' };
const overdue = (invoiceId: string, amount: unknown = 1200) => ({
  type: 'invoice.overdue',
  data: { subjectId: 'c-100', invoiceId, amount, currency: 'EUR', dueDate: '2026-01-01T00:00:00Z' },
});

describe('the API on the real runtime', () => {
  let runtime: Runtime;
  let server: FastifyInstance;
  beforeAll(async () => {
    const { ir } = loadProjectGraph(root);
    // Email answers "accepted": the delivery waits for a provider receipt through POST /receipts.
    const { graph } = withTestPlugins(ir!, {
      fixtures: { 'crm.customerById': [{ returns: { name: 'Ada Lovelace', segment: 'business' } }] },
      outcomes: { email: { outcome: 'accepted', byAddress: {} } },
    });
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    runtime = createRuntime({
      driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }),
      graph,
      projectRoot: root,
      clock,
      pool: { threads: 1, logLevel: 'silent' },
      publicBaseUrl: 'https://herald.example',
      unsubscribeSecret: 's3cret',
    });
    await runtime.start();
    server = createApiServer(runtime, { token: 't0k', unsubscribeSecret: 's3cret' });
  });
  afterAll(async () => {
    await server.close();
    await runtime.stop();
  });

  it('runs an event posted over HTTP, and shows the instance, the archive and a receipt', async () => {
    const put = await server.inject({ method: 'PUT', url: '/subjects/c-100', headers: auth, payload: { contacts: { email: 'ada@example.com' }, timezone: 'Europe/Berlin' } });
    expect(put.statusCode).toBe(200);
    const posted = await server.inject({ method: 'POST', url: '/events', headers: auth, payload: { ...overdue('INV-1'), id: 'evt-1' } });
    expect(posted.statusCode).toBe(202);
    expect(posted.json()).toEqual({ eventId: 'evt-1', duplicate: false });
    await runtime.runUntilIdle(runtime.now());

    const instances = (await server.inject({ url: '/instances?subject=c-100', headers: auth })).json().items;
    expect(instances).toMatchObject([{ journey: 'invoice-overdue', status: 'active', at: 'wait-payment' }]);
    expect((await server.inject({ url: `/instances/${instances[0].id}`, headers: auth })).json().id).toBe(instances[0].id);

    const search = (await server.inject({ url: '/archive?subject=c-100&status=awaiting-receipt', headers: auth })).json();
    expect(search.items).toHaveLength(1);
    const message = search.items[0];
    expect(message.contents[0]).toMatchObject({ channel: 'email', to: 'ada@example.com', fields: { subject: 'Invoice INV-1 is overdue' } });
    const providerMessageId = message.attempts[0].result.receipt.providerMessageId as string;

    const receipt = await server.inject({ method: 'POST', url: '/receipts/email', headers: auth, payload: { providerMessageId, status: 'delivered' } });
    expect(receipt.statusCode).toBe(202);
    await runtime.runUntilIdle(runtime.now());
    const after = (await server.inject({ url: `/archive/${encodeURIComponent(message.delivery.id)}`, headers: auth })).json();
    expect(after.delivery.status).toBe('delivered');

    // The message no longer awaits a receipt: a second callback is not ours to take.
    const again = await server.inject({ method: 'POST', url: '/receipts/email', headers: auth, payload: { providerMessageId, status: 'bounced' } });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ error: 'not_found', message: `no message awaiting a receipt has provider id ${JSON.stringify(providerMessageId)}` });
    await runtime.runUntilIdle(runtime.now());
    const unchanged = (await server.inject({ url: `/archive/${encodeURIComponent(message.delivery.id)}`, headers: auth })).json();
    expect(unchanged.delivery).toEqual(after.delivery);
  });

  it('serves ids as long as Herald makes them: a 200-character event id, its instance and delivery, a long subject id and its unsubscribe link', async () => {
    const subjectId = `customer-${'0123456789'.repeat(6)}`;
    const eventId = 'e'.repeat(200);
    const subjectUrl = `/subjects/${encodeURIComponent(subjectId)}`;
    expect((await server.inject({ method: 'PUT', url: subjectUrl, headers: auth, payload: { contacts: { email: 'long@example.com' } } })).statusCode).toBe(200);
    const event = overdue('INV-LONG');
    const posted = await server.inject({ method: 'POST', url: '/events', headers: auth, payload: { ...event, id: eventId, data: { ...event.data, subjectId } } });
    expect(posted.statusCode).toBe(202);
    await runtime.runUntilIdle(runtime.now());

    const [instance] = (await server.inject({ url: `/instances?subject=${encodeURIComponent(subjectId)}`, headers: auth })).json().items;
    const one = await server.inject({ url: `/instances/${encodeURIComponent(instance.id)}`, headers: auth });
    expect(one.statusCode).toBe(200);
    expect(one.json().id).toBe(instance.id);
    const [message] = (await server.inject({ url: `/archive?subject=${encodeURIComponent(subjectId)}`, headers: auth })).json().items;
    expect(message.delivery.id.length).toBeGreaterThan(200);
    const archived = await server.inject({ url: `/archive/${encodeURIComponent(message.delivery.id)}`, headers: auth });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().delivery.id).toBe(message.delivery.id);

    const token = signUnsubscribeToken({ subjectId, category: 'billing' }, 's3cret');
    const unsubscribed = await server.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(unsubscribed.statusCode).toBe(200);
    expect((await server.inject({ url: subjectUrl, headers: auth })).json().optOuts).toEqual(['billing']);
  });

  it('answers a search cursor the store did not make with a 400 naming cursor', async () => {
    const forged = Buffer.from(JSON.stringify({ page: 2 })).toString('base64url');
    for (const cursor of ['garbage', forged]) {
      const res = await server.inject({ url: `/archive?cursor=${cursor}`, headers: auth });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toEqual({
        error: 'invalid_request',
        message: 'bad search parameters: /cursor is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)',
        errors: [{ path: '/cursor', message: 'is not the cursor of a previous page of this search (pass it on as it was given, with the same filters)' }],
      });
    }
  });

  it('refuses event data the store cannot keep: a number out of range, nesting past 64 levels', async () => {
    const before = (await runtime.findInstances({ subjectId: 'c-100' })).length;
    const json = (data: string) => `{"type":"invoice.overdue","data":{"subjectId":"c-100","invoiceId":"INV-9","currency":"EUR","dueDate":"2026-01-01T00:00:00Z",${data}}}`;
    const infinite = await server.inject({ method: 'POST', url: '/events', headers: { ...auth, 'content-type': 'application/json' }, payload: json('"amount":1e400') });
    expect(infinite.statusCode).toBe(422);
    expect(infinite.json().errors).toEqual([{ path: '/data/amount', message: 'must be a finite number (JSON has no Infinity)' }]);
    const deep = await server.inject({
      method: 'POST',
      url: '/events',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: json(`"amount":1,"note":${'['.repeat(300_000)}${']'.repeat(300_000)}`),
    });
    expect(deep.statusCode).toBe(422);
    expect(deep.json().errors).toEqual([{ path: `/data/note${'/0'.repeat(63)}`, message: 'is nested deeper than 64 levels' }]);
    await runtime.runUntilIdle(runtime.now());
    expect((await runtime.findInstances({ subjectId: 'c-100' })).length).toBe(before);
  });

  it('refuses a batch with a bad item whole, with paths into the batch', async () => {
    const before = (await runtime.findInstances({ subjectId: 'c-100' })).length;
    const res = await server.inject({ method: 'POST', url: '/events', headers: auth, payload: { events: [overdue('INV-2'), overdue('INV-3', 'lots')] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ index: 1, path: '/events/1/data/amount', message: 'must be a number, got a string ("lots")' }]);
    await runtime.runUntilIdle(runtime.now());
    expect((await runtime.findInstances({ subjectId: 'c-100' })).length).toBe(before);
  });

  it('records an opt-out from a signed unsubscribe link (RFC 8058 one-click POST)', async () => {
    const token = signUnsubscribeToken({ subjectId: 'c-100', category: 'billing' }, 's3cret');
    const res = await server.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode).toBe(200);
    expect((await server.inject({ url: '/subjects/c-100', headers: auth })).json().optOuts).toEqual(['billing']);
  });

  it('serves health and Prometheus metrics', async () => {
    expect((await server.inject('/healthz')).json()).toMatchObject({ ok: true });
    const metrics = await server.inject({ url: '/metrics', headers: auth });
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body).toMatch(/^# TYPE herald_\w+/m);
  });
});
