import { maxHeaderSize } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { T } from '@herald/dsl';
import { createFakeRuntime, EMPTY_GRAPH } from '../testing/fake-runtime.js';
import { createApiServer } from './create-server.js';
import { installShutdown } from './install-shutdown.js';
import { signUnsubscribeToken } from '../subjects/unsubscribe-token.js';

const unsubscribeSecret = 'unsubscribe-secret';
const goodToken = signUnsubscribeToken({ subjectId: 'c-100', category: 'billing' }, unsubscribeSecret);

describe('bearer auth', () => {
  const server = createApiServer(createFakeRuntime(), { token: 's3cret', unsubscribeSecret });

  it('refuses a missing or wrong token with 401 and WWW-Authenticate', async () => {
    const none = await server.inject('/instances/i-1');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="herald"');
    expect(none.json()).toEqual({ error: 'unauthorized', message: 'this route needs an Authorization: Bearer <token> header' });
    const wrong = await server.inject({ url: '/instances/i-1', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    const basic = await server.inject({ url: '/metrics', headers: { authorization: 'Basic czNjcmV0' } });
    expect(basic.statusCode).toBe(401);
  });

  it('lets the right token through, and health and unsubscribe without one', async () => {
    expect((await server.inject({ url: '/instances/i-1', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(404);
    expect((await server.inject('/healthz')).statusCode).toBe(200);
    expect((await server.inject(`/unsubscribe/${goodToken}`)).statusCode).toBe(200);
  });
});

describe('unsubscribe', () => {
  it('GET shows a confirmation form and does not opt out (link scanners fetch every URL)', async () => {
    const runtime = createFakeRuntime();
    const res = await createApiServer(runtime, { unsubscribeSecret }).inject(`/unsubscribe/${goodToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Stop receiving billing messages?');
    expect(res.body).toContain('<form method="post">');
    expect(runtime.optOuts).toEqual([]);
  });

  it('POST (RFC 8058 one-click, form-encoded) opts out and confirms', async () => {
    const runtime = createFakeRuntime();
    const res = await createApiServer(runtime, { unsubscribeSecret }).inject({
      method: 'POST',
      url: `/unsubscribe/${goodToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You will no longer receive billing messages from us.');
    expect(runtime.optOuts).toEqual([{ subjectId: 'c-100', entry: 'billing' }]);
  });

  it('answers a bad token with a 400 page and no opt-out', async () => {
    const runtime = createFakeRuntime();
    const server = createApiServer(runtime, { unsubscribeSecret });
    for (const method of ['GET', 'POST'] as const) {
      const res = await server.inject({ method, url: '/unsubscribe/forged' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This unsubscribe link is not valid or has expired');
    }
    expect(runtime.optOuts).toEqual([]);
  });

  it('is not there without a token verifier', async () => {
    expect((await createApiServer(createFakeRuntime()).inject(`/unsubscribe/${goodToken}`)).statusCode).toBe(404);
  });
});

describe('a listening server', () => {
  let server: FastifyInstance | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('answers real HTTP requests on an ephemeral port', async () => {
    const runtime = createFakeRuntime({ graph: { ...EMPTY_GRAPH, events: { 'invoice.paid': { type: T.object({ invoiceId: T.string }) } } } });
    server = createApiServer(runtime, { token: 't' });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ type: 'invoice.paid', data: { invoiceId: 'INV-1' }, id: 'p-1' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ eventId: 'p-1', duplicate: false });
    const tooBig = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ type: 'x', data: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('answers what the HTTP parser refuses in the common shape: headers over the limit (431), a request that is not HTTP (400)', async () => {
    server = createApiServer(createFakeRuntime(), { token: 't' });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.server.address() as AddressInfo;
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
        socket.on('close', () => resolve(answer)).on('error', reject);
      });
    const big = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'x'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(big).toContain('Content-Type: application/json; charset=utf-8');
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'headers_too_large',
      message: `the request's URL and headers are larger than the limit of ${maxHeaderSize} bytes`,
    });
    const garbage = await raw('HELLO\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'invalid_request', message: 'the request is not valid HTTP' });
  });

  it('shuts down in order: intake closed, runtime drained, then exit 0', async () => {
    const runtime = createFakeRuntime();
    let release!: () => void;
    runtime.stopGate = new Promise((r) => (release = r));
    server = createApiServer(runtime);
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const exits: number[] = [];
    const { shutdown, uninstall } = installShutdown(server, runtime, { exit: (code) => exits.push(code), log: () => {} });
    try {
      const done = shutdown('SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
      // Intake is closed while the runtime still drains.
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(runtime.stopped).toBe(false);
      expect(exits).toEqual([]);
      release();
      await done;
      expect(runtime.stopped).toBe(true);
      expect(exits).toEqual([0]);
    } finally {
      uninstall();
    }
  });
});
