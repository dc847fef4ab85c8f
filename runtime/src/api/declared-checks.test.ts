/**
 * The API against what the project declares, on the real runtime (embedded driver in memory):
 * PUT /subjects/:id checks the project's subject fields and channels; a refused batch counts in
 * herald_events_rejected_total; a `__proto__` key and a body that is no object are answered
 * with where the problem is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from '../orchestrator/create-runtime.js';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { createVirtualClock } from '../orchestrator/virtual-clock.js';
import { withTestPlugins } from '../testing/test-plugins.js';
import { createApiServer } from './create-server.js';

const root = mkdtempSync(join(tmpdir(), 'herald-declared-'));

function writeProject(): void {
  mkdirSync(join(root, 'policies'), { recursive: true });
  writeFileSync(
    join(root, 'herald.yaml'),
    `project: declared-checks
defaults: { locale: en, timezone: UTC, policy: news }
channels:
  email: { use: "@herald/channel-log", config: { path: "-" } }
  sms: { use: "@herald/channel-log", config: { path: "-" } }
events:
  signed.up:
    fields: { subjectId: string, plan: string }
subject:
  fields:
    age: number
    vip: bool?
    tags: list<string>
    signedUpAt: timestamp?
    address: "{city: string, street: string?}"
`,
  );
  writeFileSync(join(root, 'policies/news.policy.yaml'), 'policy: news\ncategory: newsletter\nchannels: [email, sms]\n');
}

let runtime: Runtime;
let server: FastifyInstance;

beforeAll(async () => {
  writeProject();
  const { ir, diagnostics } = loadProjectGraph(root);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { graph } = withTestPlugins(ir!, { fixtures: {}, outcomes: {} });
  const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
  runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph, projectRoot: root, clock, pool: { threads: 1, logLevel: 'silent' } });
  await runtime.start();
  server = createApiServer(runtime);
});

afterAll(async () => {
  await server?.close();
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

const put = (id: string, payload: unknown) => server.inject({ method: 'PUT', url: `/subjects/${id}`, payload: payload as object });
const postJson = (url: string, payload: string, method: 'POST' | 'PUT' = 'POST') => server.inject({ method, url, headers: { 'content-type': 'application/json' }, payload });

describe('PUT /subjects/:id against the project’s subject fields', () => {
  it('stores values of the declared types, null where a field is optional', async () => {
    const profile = { age: 36, vip: null, tags: ['early'], signedUpAt: '2026-01-01T09:00:00Z', address: { city: 'London' } };
    const res = await put('c-ok', profile);
    expect(res.statusCode).toBe(200);
    expect((await server.inject('/subjects/c-ok')).json()).toMatchObject(profile);
  });

  it('refuses a value of another type with 422, saying what was expected and what came, and stores nothing', async () => {
    const res = await put('c-typed', {
      age: '42',
      vip: 'yes',
      tags: ['a', 3],
      signedUpAt: 'yesterday',
      address: { street: 'Analytical St' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message:
        'the subject profile does not match what the project declares: /age must be a number, got a string ("42"); /vip must be true or false, got a string ("yes"); /tags/1 must be a string, got a number (3); and 2 more',
      errors: [
        { path: '/age', message: 'must be a number, got a string ("42")' },
        { path: '/vip', message: 'must be true or false, got a string ("yes")' },
        { path: '/tags/1', message: 'must be a string, got a number (3)' },
        { path: '/signedUpAt', message: 'must be a timestamp (an RFC 3339 string such as 2026-01-01T00:00:00Z), got a string ("yesterday")' },
        // Not `/address/street`: it is optional.
        { path: '/address/city', message: 'is required (string)' },
      ],
    });
    expect((await server.inject('/subjects/c-typed')).statusCode).toBe(404);
  });

  it('refuses null in a field that is not optional', async () => {
    const res = await put('c-null', { age: null, tags: 'vip' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { path: '/age', message: 'must be a number, got null' },
      { path: '/tags', message: 'must be a list (list<string>), got a string ("vip")' },
    ]);
  });

  it('refuses a field the project does not declare, with a did-you-mean', async () => {
    const res = await put('c-typo', { agee: 36, nickname: 'Ada' });
    expect(res.statusCode).toBe(422);
    const builtIn = 'built in: id, locale, timezone, contacts, channels, optOuts';
    const declared = 'the project\'s: "address", "age", "signedUpAt", "tags", "vip"';
    expect(res.json().errors).toEqual([
      { path: '/agee', message: `is not a field of the subject profile; did you mean "age"? (${declared}; ${builtIn})` },
      { path: '/nickname', message: `is not a field of the subject profile (${declared}; ${builtIn})` },
    ]);
    expect((await server.inject('/subjects/c-typo')).statusCode).toBe(404);
  });

  it('checks the shape of the built-in fields first (400), as POST /events checks the envelope before the payload', async () => {
    const res = await put('c-shape', { timezone: 'Mars/Olympus', age: 'old' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/timezone', message: 'must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"' }]);
  });
});

describe('PUT /subjects/:id against the project’s channels', () => {
  const channels = '(its channels: "email", "sms")';

  it('refuses an address or a preference for a channel the project does not have', async () => {
    const res = await put('c-ch', { contacts: { emial: 'ada@example.com', sms: '+4915100000100' }, channels: ['email', 'fax'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { path: '/contacts/emial', message: `is not a channel of this project; did you mean "email"? ${channels}` },
      { path: '/channels/1', message: `"fax" is not a channel of this project ${channels}` },
    ]);
    expect((await server.inject('/subjects/c-ch')).statusCode).toBe(404);
  });

  it('refuses an opt-out naming an unknown channel, or a near miss of a channel or category; keeps categories to come', async () => {
    const res = await put('c-opt', { optOuts: ['sms', 'newsletter', 'newsletter:email', '*', 'promotions', 'emial', 'newsletter:fax', 'newsleter:sms'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      {
        path: '/optOuts/5',
        message: '"emial" is neither a channel nor a category of this project; did you mean "email"? (channels: "email", "sms"; categories: "newsletter")',
      },
      { path: '/optOuts/6', message: `names "fax" as its channel, which is not a channel of this project ${channels}` },
      { path: '/optOuts/7', message: 'names the category "newsleter", which no policy has; did you mean "newsletter"? (categories: "newsletter")' },
    ]);
    const ok = await put('c-opt', { optOuts: ['sms', 'newsletter', 'newsletter:email', '*', 'promotions'] });
    expect(ok.statusCode).toBe(200);
  });
});

describe('POST /events: a batch refused whole', () => {
  it('counts its invalid items in herald_events_rejected_total, beside what ingest counts', async () => {
    const good = { type: 'signed.up', data: { subjectId: 'c-1', plan: 'pro' } };
    const batch = await server.inject({
      method: 'POST',
      url: '/events',
      payload: { events: [good, { type: 'signed.up', data: { subjectId: 'c-2' } }, { type: 'signed.upp', data: {} }, good] },
    });
    expect(batch.statusCode).toBe(422);
    const one = await server.inject({ method: 'POST', url: '/events', payload: { type: 'signed.up', data: { subjectId: 'c-3', plan: 7 } } });
    expect(one.statusCode).toBe(422);
    const metrics = (await server.inject('/metrics')).body;
    // The single event was counted by ingest, the batch's two invalid items by the API: one counter.
    expect(metrics).toContain('herald_events_rejected_total{type="signed.up"} 2\n');
    expect(metrics).toContain('herald_events_rejected_total{type="(unknown)"} 1\n');
    expect(metrics.match(/^# TYPE herald_events_rejected_total counter$/gm)).toHaveLength(1);
    expect(metrics).not.toMatch(/herald_events_ingested_total\{[^}]*\} [1-9]/);
    expect(metrics).toContain('herald_events_ingested_total{type="signed.up"} 0');
  });
});

describe('bodies', () => {
  it('refuses a "__proto__" key with a 400 naming where it is, spelt out or escaped', async () => {
    const res = await postJson('/events', '{"type":"signed.up","data":{"subjectId":"c-1","plan":"pro","extra":[{"__proto__":{"admin":true}}]}}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message: 'the body has a "__proto__" key at /data/extra/0/__proto__; such keys are refused anywhere in a body, as they can replace the prototype of objects copied from it',
      errors: [{ path: '/data/extra/0/__proto__', message: 'is a "__proto__" key, which Herald refuses anywhere in a body' }],
    });
    const escaped = await postJson('/subjects/c-proto', '{"age":1,"\\u005f_proto__":{"age":"x"}}', 'PUT');
    expect(escaped.statusCode).toBe(400);
    expect(escaped.json().errors).toEqual([{ path: '/__proto__', message: 'is a "__proto__" key, which Herald refuses anywhere in a body' }]);
    expect((await server.inject('/subjects/c-proto')).statusCode).toBe(404);
    // `constructor` is an ordinary key, as with Fastify's own parser.
    const ctor = await postJson('/events', '{"type":"signed.up","data":{"subjectId":"c-1","plan":"pro","constructor":{"prototype":{}}}}');
    expect(ctor.statusCode).toBe(202);
  });

  it('says what is wrong with JSON that does not parse', async () => {
    const res = await postJson('/events', '{"type":');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_json', message: 'the body is not valid JSON: Unexpected end of JSON input' });
  });

  it('names the whole body with the JSON Pointer "" when it is not an object', async () => {
    const events = await postJson('/events', '[1]');
    expect(events.statusCode).toBe(400);
    expect(events.json()).toEqual({
      error: 'invalid_event',
      message: 'the request is not an event or a batch of events: the body must be an object, got a list',
      errors: [{ path: '', message: 'must be an object, got a list' }],
    });
    const subject = await postJson('/subjects/c-1', '"Ada"', 'PUT');
    expect(subject.statusCode).toBe(400);
    expect(subject.json().errors).toEqual([{ path: '', message: 'must be an object, got a string ("Ada")' }]);
    const receipt = await postJson('/receipts/email', 'null');
    expect(receipt.statusCode).toBe(400);
    expect(receipt.json().errors).toEqual([{ path: '', message: 'must be an object, got null' }]);
  });
});
