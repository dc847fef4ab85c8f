import { describe, expect, it } from 'vitest';
import { T, type GraphIR } from '@herald/dsl';
import { createFakeRuntime, EMPTY_GRAPH } from '../testing/fake-runtime.js';
import { createApiServer } from './create-server.js';

/** As herald.yaml would declare it: `events: { invoice.overdue: { fields: { amount: number, note: string? } } }`. */
const graph = {
  ...EMPTY_GRAPH,
  events: { 'invoice.overdue': { type: T.object({ amount: T.number, note: T.optional(T.string) }) } },
};

const good = { type: 'invoice.overdue', data: { amount: 10 } };

function setup(options: { bodyLimit?: number } = {}) {
  const runtime = createFakeRuntime({ graph });
  return { runtime, server: createApiServer(runtime, options) };
}

describe('POST /events', () => {
  it('accepts a valid event with 202 and its id', async () => {
    const { runtime, server } = setup();
    const res = await server.inject({ method: 'POST', url: '/events', payload: { ...good, id: 'e-1' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ eventId: 'e-1', duplicate: false });
    const again = await server.inject({ method: 'POST', url: '/events', payload: { ...good, id: 'e-1' } });
    expect(again.json()).toEqual({ eventId: 'e-1', duplicate: true });
    expect(runtime.ingested).toHaveLength(1);
  });

  it('answers 422 naming the field when the payload does not match the declared type', async () => {
    const { runtime, server } = setup();
    const res = await server.inject({ method: 'POST', url: '/events', payload: { type: 'invoice.overdue', data: { amount: 'ten' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'invalid_event',
      message: 'the invoice.overdue event is invalid: /data/amount must be a number, got a string ("ten")',
      errors: [{ path: '/data/amount', message: 'must be a number, got a string ("ten")' }],
    });
    expect(runtime.ingested).toHaveLength(0);
  });

  it('answers 422 for a number JSON cannot hold (1e400 parses to Infinity), with the type errors beside it', async () => {
    const { runtime, server } = setup();
    const post = (payload: string) => server.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload });
    const one = await post('{"type":"invoice.overdue","data":{"amount":1e400,"note":-1e999}}');
    expect(one.statusCode).toBe(422);
    expect(one.json().errors).toEqual([
      { path: '/data/amount', message: 'must be a finite number (JSON has no Infinity)' },
      { path: '/data/note', message: 'must be a finite number (JSON has no Infinity)' },
    ]);
    const batch = await post('{"events":[{"type":"invoice.overdue","data":{"amount":1}},{"type":"invoice.overdue","data":{"amount":1e400}}]}');
    expect(batch.statusCode).toBe(422);
    expect(batch.json().errors).toEqual([{ index: 1, path: '/events/1/data/amount', message: 'must be a finite number (JSON has no Infinity)' }]);
    expect(runtime.ingested).toHaveLength(0);
  });

  it('answers 422 naming the path for data nested past 64 levels, alone or in a batch', async () => {
    const { runtime, server } = setup();
    const deep = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    const post = (payload: string) => server.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload });
    const one = await post(`{"type":"invoice.overdue","data":{"amount":1,"extra":{"list":${deep}}}}`);
    expect(one.statusCode).toBe(422);
    expect(one.json().errors).toEqual([{ path: `/data/extra/list${'/0'.repeat(62)}`, message: 'is nested deeper than 64 levels' }]);
    const batch = await post(`{"events":[{"type":"invoice.overdue","data":{"amount":1,"x":${deep}}}]}`);
    expect(batch.statusCode).toBe(422);
    expect(batch.json().errors).toEqual([{ index: 0, path: `/events/0/data/x${'/0'.repeat(63)}`, message: 'is nested deeper than 64 levels' }]);
    // 64 levels, `data` counted, are fine.
    const ok = await post(`{"type":"invoice.overdue","data":{"amount":1,"x":${'['.repeat(63)}${']'.repeat(63)}}}`);
    expect(ok.statusCode).toBe(202);
    expect(runtime.ingested).toHaveLength(1);
  });

  it('answers 422 for an empty subject id, where the event or a journey it starts reads one, alone or in a batch', async () => {
    const journey = { id: 'welcome', trigger: { event: 'signed.up', subject: 'event.account.owner', when: null, reentry: 'never' } } as unknown as GraphIR['journeys'][number];
    const runtime = createFakeRuntime({
      graph: {
        ...graph,
        events: {
          ...graph.events,
          'invoice.paid': { type: T.object({ subjectId: T.string, invoiceId: T.string }), subject: 'subjectId' },
          'signed.up': { type: T.object({ account: T.object({ owner: T.string }), note: T.string }), subject: null },
        },
        journeys: [journey],
      },
    });
    const server = createApiServer(runtime);
    const one = await server.inject({ method: 'POST', url: '/events', payload: { type: 'invoice.paid', data: { subjectId: '', invoiceId: 'INV-1' } } });
    expect(one.statusCode).toBe(422);
    expect(one.json()).toEqual({
      error: 'invalid_event',
      message: 'the invoice.paid event is invalid: /data/subjectId must not be empty: it is the subject id (events.invoice.paid.subject), and no subject has an empty id',
      errors: [{ path: '/data/subjectId', message: 'must not be empty: it is the subject id (events.invoice.paid.subject), and no subject has an empty id' }],
    });
    const batch = await server.inject({ method: 'POST', url: '/events', payload: { events: [{ type: 'signed.up', data: { account: { owner: '' }, note: '' } }] } });
    expect(batch.statusCode).toBe(422);
    // Only the field the subject is read from: other strings may well be empty.
    expect(batch.json().errors).toEqual([
      { index: 0, path: '/events/0/data/account/owner', message: 'must not be empty: it is the subject id (trigger.subject of journey welcome), and no subject has an empty id' },
    ]);
    expect(runtime.ingested).toHaveLength(0);
    const ok = await server.inject({ method: 'POST', url: '/events', payload: { type: 'signed.up', data: { account: { owner: 'c-1' }, note: '' } } });
    expect(ok.statusCode).toBe(202);
  });

  it.each([
    [{ data: {} }, [{ path: '/type', message: 'is required' }]],
    [{ type: 'x' }, [{ path: '/data', message: 'is required' }]],
    [{ type: 'x', data: 3 }, [{ path: '/data', message: 'must be an object, got a number (3)' }]],
    [{ type: '', data: {} }, [{ path: '/type', message: 'must not be empty' }]],
    [{ type: 'x', data: {}, id: '' }, [{ path: '/id', message: 'must not be empty' }]],
    [{ type: 'x', data: {}, id: 'i'.repeat(201) }, [{ path: '/id', message: 'must have at most 200 characters' }]],
    [{ type: 'x', data: {}, extra: 1 }, [{ path: '/extra', message: 'is not a known field' }]],
    [{ events: [good], type: 'x' }, [{ path: '/type', message: 'is not a known field' }]],
    [{ events: [] }, [{ path: '/events', message: 'must have at least 1 item' }]],
    [{ events: [good, { type: 'x' }] }, [{ path: '/events/1/data', message: 'is required' }]],
  ])('answers 400 for a malformed envelope %j', async (payload, errors) => {
    const { server } = setup();
    const res = await server.inject({ method: 'POST', url: '/events', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_event', errors });
  });

  it('words length and size limits for people, not as ajv does (`must NOT have fewer than 1 items`)', async () => {
    const { server } = setup();
    const res = await server.inject({ method: 'POST', url: '/events', payload: { events: [] } });
    expect(res.json()).toEqual({
      error: 'invalid_event',
      message: 'the request is not an event or a batch of events: /events must have at least 1 item',
      errors: [{ path: '/events', message: 'must have at least 1 item' }],
    });
    expect(JSON.stringify((await server.inject({ method: 'POST', url: '/events', payload: { type: '', data: {}, id: '' } })).json())).not.toMatch(/NOT|characters/);
  });

  it('answers 422 for a timestamp that is not one, saying what one looks like', async () => {
    const runtime = createFakeRuntime({ graph: { ...EMPTY_GRAPH, events: { 'invoice.overdue': { type: T.object({ dueDate: T.timestamp }) } } } });
    const res = await createApiServer(runtime).inject({ method: 'POST', url: '/events', payload: { type: 'invoice.overdue', data: { dueDate: 'next week' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'invalid_event',
      message: 'the invoice.overdue event is invalid: /data/dueDate must be an RFC 3339 timestamp such as 2026-11-01T09:00:00Z',
      errors: [{ path: '/data/dueDate', message: 'must be an RFC 3339 timestamp such as 2026-11-01T09:00:00Z' }],
    });
  });

  it('answers 400 for a body that is not JSON, and for an array', async () => {
    const { server } = setup();
    const bad = await server.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload: '{"type":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_json' });
    const array = await server.inject({ method: 'POST', url: '/events', payload: [good] });
    expect(array.statusCode).toBe(400);
    // The whole body is the JSON Pointer "" (RFC 6901); "/" would be a key named "".
    expect(array.json()).toMatchObject({ error: 'invalid_event', errors: [{ path: '', message: 'must be an object, got a list' }] });
  });

  it('answers 415 for a content type other than JSON', async () => {
    const { server } = setup();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await server.inject({ method: 'POST', url: '/events', headers: { 'content-type': type }, payload: 'type=x' });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toEqual({ error: 'unsupported_media_type', message: `content type "${type}" is not accepted here; send application/json` });
    }
  });

  it('answers 415 for text/plain and for no Content-Type, with or without a body, on every route that reads JSON', async () => {
    const { runtime, server } = setup();
    const json = JSON.stringify(good);
    const noType = 'the request has no Content-Type header; send the body as application/json (Content-Type: application/json)';
    const cases = [
      [{ 'content-type': 'text/plain' }, 'hello', 'content type "text/plain" is not accepted here; send application/json'],
      [{ 'content-type': 'text/plain' }, json, 'content type "text/plain" is not accepted here; send application/json'],
      [{}, json, noType],
      [{}, '', noType],
      [{ 'content-type': '' }, json, noType],
    ] as const;
    for (const [method, url] of [['POST', '/events'], ['PUT', '/subjects/c-100'], ['POST', '/receipts/email']] as const) {
      for (const [headers, payload, message] of cases) {
        const res = await server.inject({ method, url, headers, payload });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(headers)} ${payload}`).toBe(415);
        expect(res.json()).toEqual({ error: 'unsupported_media_type', message });
      }
    }
    expect(runtime.ingested).toHaveLength(0);
  });

  it('names the form the unsubscribe route takes in its 415, not JSON', async () => {
    const server = createApiServer(createFakeRuntime({ graph }), { unsubscribeSecret: 's' });
    const res = await server.inject({ method: 'POST', url: '/unsubscribe/t', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toBe('content type "text/plain" is not accepted here; send application/x-www-form-urlencoded');
  });

  it('answers 413 for a body over the limit', async () => {
    const { server } = setup({ bodyLimit: 1000 });
    const res = await server.inject({ method: 'POST', url: '/events', payload: { type: 'x', data: { pad: 'x'.repeat(2000) } } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: 'payload_too_large',
      message: 'the request body is larger than the limit of 1000 bytes; send fewer events per batch',
    });
  });

  it('ingests a valid batch in order and answers per item', async () => {
    const { runtime, server } = setup();
    const res = await server.inject({ method: 'POST', url: '/events', payload: { events: [{ ...good, id: 'a' }, { ...good, id: 'b' }, { ...good, id: 'a' }] } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      results: [
        { eventId: 'a', duplicate: false },
        { eventId: 'b', duplicate: false },
        { eventId: 'a', duplicate: true },
      ],
    });
    expect(runtime.ingested.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('refuses a whole batch with an invalid item: 422 naming each bad index, nothing ingested', async () => {
    const { runtime, server } = setup();
    const events = [good, { type: 'invoice.overdue', data: {} }, good, { type: 'nope', data: {} }];
    const res = await server.inject({ method: 'POST', url: '/events', payload: { events } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'invalid_event',
      message:
        '2 of 4 events are invalid, none was ingested: /events/1/data/amount is required; /events/3/type is not a declared event type: "nope" (declared: invoice.overdue)',
      errors: [
        { index: 1, path: '/events/1/data/amount', message: 'is required' },
        { index: 3, path: '/events/3/type', message: 'is not a declared event type: "nope" (declared: invoice.overdue)' },
      ],
    });
    expect(runtime.ingested).toHaveLength(0);
  });

  it('refuses a batch of more than 1,000 events', async () => {
    const { server } = setup({ bodyLimit: 10 * 1024 * 1024 });
    const res = await server.inject({ method: 'POST', url: '/events', payload: { events: Array.from({ length: 1001 }, () => good) } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ path: '/events', message: 'must have at most 1000 items' }] });
  });
});
