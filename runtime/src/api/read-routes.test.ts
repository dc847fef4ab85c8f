import { describe, expect, it } from 'vitest';
import type { ArchivedMessage } from '../driver/driver.js';
import type { Instance } from '../engine/types.js';
import { createFakeRuntime, EMPTY_GRAPH } from '../testing/fake-runtime.js';
import { createApiServer, MAX_PARAM_LENGTH } from './create-server.js';

const instance: Instance = {
  id: 'i-1',
  journey: 'invoice-overdue',
  version: 'sha256:v1',
  subjectId: 'c-100',
  status: 'active',
  at: 'wait-payment',
  waiting: null,
  vars: {},
  startedAt: 0,
  updatedAt: 0,
  seq: 3,
  exitReason: null,
  history: [],
};

const archived = { delivery: { id: 'd-1', subjectId: 'c-100' }, contents: [], attempts: [] } as unknown as ArchivedMessage;

function setup() {
  const runtime = createFakeRuntime({
    instances: [instance],
    archive: [archived],
    providerMessageIds: ['pm-1'],
    graph: {
      ...EMPTY_GRAPH,
      channels: { email: { use: '@herald/channel-email', message: 'email', config: {} }, sms: { use: '@herald/channel-log', message: 'sms', config: {} } },
    },
  });
  return { runtime, server: createApiServer(runtime) };
}

describe('instances', () => {
  it('GET /instances/:id returns the instance, 404 when unknown', async () => {
    const { server } = setup();
    expect((await server.inject('/instances/i-1')).json()).toMatchObject({ id: 'i-1', at: 'wait-payment' });
    const res = await server.inject('/instances/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no instance with id "nope"' });
  });

  it('POST /instances/:id/stop stops an active instance with the reason; 404 unknown, 409 ended, 400 without a reason', async () => {
    const ended = { ...instance, id: 'i-2', status: 'completed' as const, at: null };
    const server = createApiServer(createFakeRuntime({ instances: [instance, ended] }));
    const stop = (id: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      server.inject({ method: 'POST', url: `/instances/${id}/stop`, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
    const ok = await stop('i-1', { reason: '  paid by phone ' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ instance: { id: 'i-1', status: 'exited', exitReason: 'stopped by an operator: paid by phone' }, cancelled: [] });
    expect((await stop('nope', { reason: 'x' })).json()).toMatchObject({ error: 'not_found' });
    const done = await stop('i-2', { reason: 'x' });
    expect(done.statusCode).toBe(409);
    expect(done.json()).toEqual({ error: 'not_active', message: 'instance i-2 has ended already (completed); there is nothing to stop' });
    for (const body of [{}, { reason: '   ' }, { reason: 'x', why: 'y' }, { reason: 'x'.repeat(501) }]) {
      const bad = await stop('i-1', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error).toBe('invalid_request');
    }
    expect((await stop('i-1', { reason: 'x' }, {})).statusCode).toBe(415);
  });

  it('GET /instances filters by journey and subject, and needs one of them', async () => {
    const { server } = setup();
    expect((await server.inject('/instances?subject=c-100')).json().items).toHaveLength(1);
    expect((await server.inject('/instances?journey=invoice-overdue&subject=c-200')).json().items).toHaveLength(0);
    const none = await server.inject('/instances');
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toBe('name a journey (?journey=) or a subject (?subject=), or both');
    const typo = await server.inject('/instances?subjct=c-100');
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ error: 'invalid_request', errors: [{ path: '/subjct', message: 'is not a known field' }] });
  });

  it('GET /instances and GET /archive say alike that a parameter is given twice', async () => {
    const { server } = setup();
    const instances = await server.inject('/instances?subject=a&subject=b');
    expect(instances.statusCode).toBe(400);
    expect(instances.json()).toEqual({
      error: 'invalid_request',
      message: 'the request querystring is invalid: /subject is given twice; give it once',
      errors: [{ path: '/subject', message: 'is given twice; give it once' }],
    });
    const archive = await server.inject('/archive?subject=a&subject=b');
    expect(archive.statusCode).toBe(400);
    expect(archive.json()).toEqual({
      error: 'invalid_request',
      message: 'bad search parameters: /subject is given twice; give it once',
      errors: [{ path: '/subject', message: 'is given twice; give it once' }],
    });
  });

  it('GET /instances is bounded: limit (default 100, at most 1000) and more, and filters by status', async () => {
    const many = Array.from({ length: 150 }, (_, n) => ({ ...instance, id: `i-${n}`, status: n % 2 === 0 ? 'active' : 'completed' }) as Instance);
    const server = createApiServer(createFakeRuntime({ instances: many }));
    const first = (await server.inject('/instances?journey=invoice-overdue')).json();
    expect(first.items).toHaveLength(100);
    expect(first.more).toBe(true);
    const all = (await server.inject('/instances?journey=invoice-overdue&limit=1000')).json();
    expect(all).toMatchObject({ more: false });
    expect(all.items).toHaveLength(150);
    const active = (await server.inject('/instances?journey=invoice-overdue&status=active&limit=1000')).json();
    expect(active.items).toHaveLength(75);
    expect(active.items.every((i: Instance) => i.status === 'active')).toBe(true);
    for (const bad of ['0', '1001', 'ten', '2.5']) {
      const res = await server.inject(`/instances?journey=invoice-overdue&limit=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/limit', message: 'must be a whole number from 1 to 1000' }]);
    }
    expect((await server.inject('/instances?journey=invoice-overdue&status=done')).statusCode).toBe(400);
  });
});

describe('archive', () => {
  it('says so when an empty answer filtered by a journey or channel the project does not have', async () => {
    const { server } = setup();
    const res = await server.inject('/archive?subject=nobody&channel=emial&journey=dunning');
    expect(res.json()).toEqual({
      items: [],
      cursor: null,
      notes: ['no journey named "dunning" in this project (journeys: none)', 'no channel named "emial" in this project; did you mean "email"?'],
    });
    // A filter that names something of the project adds nothing.
    expect((await server.inject('/archive?subject=nobody&channel=email')).json()).toEqual({ items: [], cursor: null });
  });

  it('GET /archive maps parameters to the archive query', async () => {
    const { runtime, server } = setup();
    const res = await server.inject('/archive?subject=c-100&status=delivered&from=2026-03-01&to=1772400000000&limit=10&channel=email&cursor=abc');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [archived], cursor: null });
    expect(runtime.archiveQueries).toEqual([
      { subjectId: 'c-100', status: 'delivered', channel: 'email', from: Date.UTC(2026, 2, 1), to: 1772400000000, cursor: 'abc', limit: 10 },
    ]);
  });

  it.each([
    ['from=yesterday', '/from', 'must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got "yesterday"'],
    ['to=2026-13-01', '/to', 'must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got "2026-13-01"'],
    ['from=2026-02-30', '/from', 'must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got "2026-02-30"'],
    ['to=2026-02-29T10:00:00Z', '/to', 'must be an ISO 8601 time (2026-03-01T08:00:00Z) or epoch milliseconds, got "2026-02-29T10:00:00Z"'],
    ['limit=0', '/limit', 'must be a whole number from 1 to 500, got "0"'],
    ['limit=ten', '/limit', 'must be a whole number from 1 to 500, got "ten"'],
    ['status=sent', '/status', 'must be one of pending, attempting, awaiting-receipt, deferred, delivered, failed, skipped, got "sent"'],
    ['subjet=c-100', '/subjet', 'is not a search parameter (use subject, journey, status, channel, from, to, limit, cursor)'],
    ['from=2026-03-02&to=2026-03-01', '/to', 'must be later than from'],
    ['subject=a&subject=b', '/subject', 'is given twice; give it once'],
    ['limit=1&limit=2&limit=3', '/limit', 'is given 3 times; give it once'],
  ])('GET /archive?%s is a 400 naming the parameter', async (query, path, message) => {
    const { server } = setup();
    const res = await server.inject(`/archive?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', errors: [{ path, message }] });
  });

  it('GET /archive/:id returns the message, 404 when unknown', async () => {
    const { server } = setup();
    expect((await server.inject('/archive/d-1')).json()).toEqual(archived);
    expect((await server.inject('/archive/d-2')).statusCode).toBe(404);
  });
});

describe('subjects', () => {
  it('PUT then GET a subject; contacts merge', async () => {
    const { server } = setup();
    const put = await server.inject({
      method: 'PUT',
      url: '/subjects/c-100',
      payload: { contacts: { email: 'ada@example.com' }, channels: ['email'], timezone: 'Europe/Berlin', locale: 'de-AT', name: 'Ada' },
    });
    expect(put.statusCode).toBe(200);
    await server.inject({ method: 'PUT', url: '/subjects/c-100', payload: { contacts: { sms: '+4917000000' } } });
    const get = await server.inject('/subjects/c-100');
    expect(get.json()).toMatchObject({ id: 'c-100', name: 'Ada', contacts: { email: 'ada@example.com', sms: '+4917000000' }, timezone: 'Europe/Berlin' });
    // null removes an address.
    const removed = await server.inject({ method: 'PUT', url: '/subjects/c-100', payload: { contacts: { sms: null } } });
    expect(removed.statusCode).toBe(200);
    expect((await server.inject('/subjects/c-100')).json().contacts).toEqual({ email: 'ada@example.com' });
    expect((await server.inject('/subjects/c-999')).statusCode).toBe(404);
  });

  it('refuses an empty or blank id in the URL with a 400 naming it, on PUT and GET, and stores nothing', async () => {
    const { runtime, server } = setup();
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const [path, message] of [
        ['/subjects/', 'must not be empty'],
        ['/subjects/%20', 'must not be blank, got " "'],
        ['/subjects/%20%09', 'must not be blank, got " \\t"'],
      ] as const) {
        const put = await fetch(`${url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"contacts":{"email":"ada@example.com"}}' });
        expect(put.status, path).toBe(400);
        expect(await put.json()).toEqual({
          error: 'invalid_request',
          message: `the subject id in the URL ${message}: no subject has an empty id; give it %-encoded, as in /subjects/c-100`,
          errors: [{ path: '/id', message }],
        });
        const get = await fetch(`${url}${path}`);
        expect(get.status, path).toBe(400);
        expect(((await get.json()) as { errors: unknown }).errors).toEqual([{ path: '/id', message }]);
      }
      expect(await runtime.getSubject('')).toBeUndefined();
      expect(await runtime.getSubject(' ')).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it.each([
    [{ contacts: { email: 3 } }, '/contacts/email', 'must be an address (a non-empty string), or null to remove it'],
    [{ contacts: { email: '' } }, '/contacts/email', 'must be an address (a non-empty string), or null to remove it'],
    [{ contacts: ['ada@example.com'] }, '/contacts', 'must be an object, got a list'],
    [{ channels: 'email' }, '/channels', 'must be a list, got a string ("email")'],
    [{ optOuts: [1] }, '/optOuts/0', 'must be a string, got a number (1)'],
    [{ timezone: 'Mars/Olympus' }, '/timezone', 'must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"'],
    [{ locale: 'not a locale' }, '/locale', 'must be a BCP 47 language tag such as en or de-AT, got "not a locale"'],
    [{ id: 'c-200' }, '/id', 'must match the id in the URL ("c-100") or be left out'],
  ])('PUT /subjects/:id refuses %j', async (payload, path, message) => {
    const { server } = setup();
    const res = await server.inject({ method: 'PUT', url: '/subjects/c-100', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', errors: [{ path, message }] });
  });

  it.each([
    ['{"plan":{"tiers":[1,2,1e400]}}', '/plan/tiers/2', 'must be a finite number (JSON has no Infinity)'],
    [`{"plan":${'['.repeat(300_000)}${']'.repeat(300_000)}}`, `/plan${'/0'.repeat(63)}`, 'is nested deeper than 64 levels'],
  ])('PUT /subjects/:id refuses a field the store could not keep (%.40s)', async (payload, path, message) => {
    const { server } = setup();
    const res = await server.inject({ method: 'PUT', url: '/subjects/c-100', headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', errors: [{ path, message }] });
    expect((await server.inject('/subjects/c-100')).statusCode).toBe(404);
  });
});

describe('receipts', () => {
  it('POST /receipts/:channel forwards a status callback', async () => {
    const { runtime, server } = setup();
    const res = await server.inject({ method: 'POST', url: '/receipts/email', payload: { providerMessageId: 'pm-1', status: 'bounced', reason: '550 no such user' } });
    expect(res.statusCode).toBe(202);
    expect(runtime.receipts).toEqual([{ providerMessageId: 'pm-1', outcome: 'bounced', reason: '550 no such user' }]);
  });

  it('answers 404 for an unknown message or channel, 400 for a bad status', async () => {
    const { server } = setup();
    expect((await server.inject({ method: 'POST', url: '/receipts/email', payload: { providerMessageId: 'pm-2', status: 'delivered' } })).statusCode).toBe(404);
    const channel = await server.inject({ method: 'POST', url: '/receipts/fax', payload: { providerMessageId: 'pm-1', status: 'delivered' } });
    expect(channel.json()).toEqual({ error: 'not_found', message: 'no channel named "fax" in this project (email, sms)' });
    const bad = await server.inject({ method: 'POST', url: '/receipts/email', payload: { providerMessageId: 'pm-1', status: 'read' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ path: '/status', message: 'must be one of "delivered", "bounced", "failed"' }] });
  });
});

describe('health, metrics, errors', () => {
  it('GET /healthz is 200 when ok, 503 when not', async () => {
    const ok = createApiServer(createFakeRuntime());
    expect((await ok.inject('/healthz')).json()).toEqual({ ok: true, details: { driver: 'fake' } });
    const down = createApiServer(createFakeRuntime({ healthy: false }));
    expect((await down.inject('/healthz')).statusCode).toBe(503);
  });

  it('GET /metrics is Prometheus text', async () => {
    const res = await createApiServer(createFakeRuntime()).inject('/metrics');
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('herald_up 1');
  });

  it('an unknown route is a 404 in the common shape', async () => {
    const res = await createApiServer(createFakeRuntime()).inject('/nope?x=1');
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /nope' });
  });

  it('what the router refuses is in the common shape too, without the URL: a malformed %-escape, a path segment over the limit', async () => {
    const server = createApiServer(createFakeRuntime(), { token: 't' });
    const badUrl = await server.inject('/subjects/%E0%A4%A');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json()).toEqual({ error: 'invalid_request', message: 'the URL path is not valid: a %-escape in it is malformed or not UTF-8' });
    const long = await server.inject(`/archive/${'d'.repeat(MAX_PARAM_LENGTH + 1)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({ error: 'uri_too_long', message: `a segment of the URL path is longer than ${MAX_PARAM_LENGTH} characters, longer than any id Herald makes` });
    // Up to the limit an id is an id: here unknown, so 404 (behind the token, as always).
    const longest = await server.inject({ url: `/archive/${'d'.repeat(MAX_PARAM_LENGTH)}`, headers: { authorization: 'Bearer t' } });
    expect(longest.statusCode).toBe(404);
    expect(longest.json().error).toBe('not_found');
  });

  it('a failing runtime is a 500 without internals', async () => {
    const runtime = createFakeRuntime();
    runtime.getInstance = async () => {
      throw new Error('SQLITE_BUSY: database is locked at /secret/path');
    };
    const res = await createApiServer(runtime).inject('/instances/i-1');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal_error', message: 'Herald could not handle this request; the server log has the details' });
  });
});
