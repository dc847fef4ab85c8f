import { describe, expect, it } from 'vitest';
import type { CallbackOutcome } from '../runtime-api.js';
import { createFakeRuntime, EMPTY_GRAPH } from '../testing/fake-runtime.js';
import { createApiServer, type ApiServerOptions } from './create-server.js';

const graph = { ...EMPTY_GRAPH, channels: { sms: { use: '@herald/channel-sms', message: 'sms', config: {} } } };

function setup(callbackOutcome?: CallbackOutcome, options: ApiServerOptions = {}) {
  const runtime = createFakeRuntime({ graph, ...(callbackOutcome ? { callbackOutcome } : {}) });
  return { runtime, server: createApiServer(runtime, options) };
}

const form = 'MessageSid=SM1&MessageStatus=delivered';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('POST /callbacks/:channel', () => {
  it('hands the raw body, its media type, headers and the called URL to the channel', async () => {
    const { runtime, server } = setup({ kind: 'applied', received: 1, matched: 1 });
    const res = await server.inject({ method: 'POST', url: '/callbacks/sms?x=1', headers: { ...formHeaders, 'x-twilio-signature': 'abc=' }, payload: form });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1, matched: 1 });
    expect(runtime.callbacks).toHaveLength(1);
    const { channel, callback } = runtime.callbacks[0]!;
    expect(channel).toBe('sms');
    expect(callback.body).toBe(form);
    expect(callback.contentType).toBe('application/x-www-form-urlencoded');
    expect(callback.headers['x-twilio-signature']).toBe('abc=');
    expect(callback.url).toBe('http://localhost:80/callbacks/sms?x=1');
  });

  it('signs over the public URL when one is set (behind a proxy the request host is not what the provider called)', async () => {
    const { runtime, server } = setup({ kind: 'applied', received: 0, matched: 0 }, { publicUrl: 'https://herald.example/' });
    await server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: form });
    expect(runtime.callbacks[0]!.callback.url).toBe('https://herald.example/callbacks/sms');
  });

  it('takes JSON and other bodies as text too, unparsed', async () => {
    const { runtime, server } = setup({ kind: 'applied', received: 0, matched: 0 });
    const json = '{"id":"x", "status":"DELIVRD"}';
    expect((await server.inject({ method: 'POST', url: '/callbacks/sms', headers: { 'content-type': 'application/json' }, payload: json })).statusCode).toBe(200);
    expect(runtime.callbacks[0]!.callback).toMatchObject({ body: json, contentType: 'application/json' });
    expect((await server.inject({ method: 'POST', url: '/callbacks/sms' })).statusCode).toBe(200);
    expect(runtime.callbacks[1]!.callback).toMatchObject({ body: '', contentType: '' });
    expect(runtime.callbacks[1]!.callback.rawBody).toHaveLength(0);
  });

  it('gives the bytes as they came beside the text, for signatures over bodies that are not UTF-8', async () => {
    const { runtime, server } = setup({ kind: 'applied', received: 0, matched: 0 });
    const bytes = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x7d]); // {"n":"caf\xe9"} in Latin-1
    await server.inject({ method: 'POST', url: '/callbacks/sms', headers: { 'content-type': 'application/json' }, payload: bytes });
    const { callback } = runtime.callbacks[0]!;
    expect(Buffer.from(callback.rawBody).equals(bytes)).toBe(true);
    expect(callback.body).toBe('{"n":"caf\ufffd"}');
  });

  it("answers the plugin's refusal with its status, and a failure with 503 so the provider retries", async () => {
    const refused = setup({ kind: 'refused', status: 403, reason: 'the X-Twilio-Signature does not match' });
    const r403 = await refused.server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: form });
    expect(r403.statusCode).toBe(403);
    expect(r403.json()).toEqual({ error: 'forbidden', message: 'the sms channel refused this callback: the X-Twilio-Signature does not match' });
    const bad = setup({ kind: 'refused', status: 400, reason: 'no MessageSid' });
    expect((await bad.server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: '' })).json().error).toBe('invalid_request');
    const failed = setup({ kind: 'failed', reason: 'timeout after 30000ms' });
    const r503 = await failed.server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: form });
    expect(r503.statusCode).toBe(503);
    // The plugin's reason is for the log; the caller learns only to come back.
    expect(r503.json()).toEqual({ error: 'unavailable', message: 'the sms channel could not read this callback now; try again later (the server log says why)' });
  });

  it('says where to post instead when the plugin reads no callbacks, and 404s an unknown channel', async () => {
    const { server } = setup();
    const res = await server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: form });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('/receipts/sms');
    const unknown = await server.inject({ method: 'POST', url: '/callbacks/fax', headers: formHeaders, payload: form });
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no channel named "fax" in this project (sms)' });
  });

  it('with an API token, takes it as a bearer token or as the password of basic auth (what a callback URL can carry), and nothing else', async () => {
    const { server } = setup({ kind: 'applied', received: 0, matched: 0 }, { token: 't0k' });
    const post = (authorization?: string) =>
      server.inject({ method: 'POST', url: '/callbacks/sms', headers: { ...formHeaders, ...(authorization ? { authorization } : {}) }, payload: form });
    const challenged = await post();
    expect(challenged.statusCode).toBe(401);
    // Twilio sends the credentials of a callback URL only after a Basic challenge.
    expect(challenged.headers['www-authenticate']).toEqual(['Basic realm="herald"', 'Bearer realm="herald"']);
    expect((await post('Bearer t0k')).statusCode).toBe(200);
    expect((await post(`Basic ${Buffer.from('herald:t0k').toString('base64')}`)).statusCode).toBe(200);
    const wrong = await post(`Basic ${Buffer.from('herald:nope').toString('base64')}`);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toBe('the basic-auth password is not the API token');
    expect(challenged.json().message).toMatch(/^this route needs the API token: as Authorization: Bearer <token>, or as the password of basic auth/);
    expect((await post(`Basic ${Buffer.from('t0k').toString('base64')}`)).statusCode).toBe(401);
    // Basic auth is for callbacks only: the rest of the API still wants the bearer token.
    const events = await server.inject({ method: 'GET', url: '/instances?subject=x', headers: { authorization: `Basic ${Buffer.from('herald:t0k').toString('base64')}` } });
    expect(events.statusCode).toBe(401);
    expect(events.headers['www-authenticate']).toBe('Bearer realm="herald"');
  });

  it('refuses a body over the limit with a 413 that names the limit, not event batches', async () => {
    const { server } = setup({ kind: 'applied', received: 0, matched: 0 }, { bodyLimit: 1024 });
    const res = await server.inject({ method: 'POST', url: '/callbacks/sms', headers: formHeaders, payload: 'x='.padEnd(2000, 'y') });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload_too_large', message: 'the request body is larger than the limit of 1024 bytes (herald start --body-limit)' });
  });

  it('keeps the rest of the API JSON-only', async () => {
    const { server } = setup();
    const res = await server.inject({ method: 'POST', url: '/receipts/sms', headers: formHeaders, payload: form });
    expect(res.statusCode).toBe(415);
  });
});
