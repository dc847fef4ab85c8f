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

  it('answers /healthz without the token with { ok } alone, and its details with the token', async () => {
    const details = { state: 'running', driver: 'embedded', graphVersion: 'sha256:abc', queue: { queued: 3, reserved: 1 }, pool: { threads: 2 } };
    const runtime = createFakeRuntime();
    runtime.health = async () => ({ ok: true, details });
    const guarded = createApiServer(runtime, { token: 's3cret' });
    const anonymous = await guarded.inject('/healthz');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ ok: true });
    const wrong = await guarded.inject({ url: '/healthz', headers: { authorization: 'Bearer nope' } });
    expect(wrong.json()).toEqual({ ok: true });
    expect((await guarded.inject({ url: '/healthz', headers: { authorization: 'Bearer s3cret' } })).json()).toEqual({ ok: true, details });
    // Not running: 503 either way, with no details to a caller without the token.
    runtime.health = async () => ({ ok: false, details: { state: 'stopping' } });
    const down = await guarded.inject('/healthz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ ok: false });
    // An API without a token is open: everyone gets the details.
    runtime.health = async () => ({ ok: true, details });
    expect((await createApiServer(runtime).inject('/healthz')).json()).toEqual({ ok: true, details });
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
      // Tokens never expire: a link that does not work is not valid, and the page says no more.
      expect(res.body).toContain('This unsubscribe link is not valid. Use the link in a more recent message, or contact us.');
      expect(res.body).not.toContain('expired');
    }
    expect(runtime.optOuts).toEqual([]);
  });

  it('is not there without a token verifier', async () => {
    expect((await createApiServer(createFakeRuntime()).inject(`/unsubscribe/${goodToken}`)).statusCode).toBe(404);
  });

  it('answers 404, not 401, to a link without a secret but with an API token: a customer is never asked for a bearer token', async () => {
    const runtime = createFakeRuntime();
    const server = createApiServer(runtime, { token: 's3cret' });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const method of ['GET', 'POST'] as const) {
        const res = await fetch(`${url}/unsubscribe/${goodToken}`, {
          method,
          ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' } : {}),
        });
        expect(res.status, method).toBe(404);
        expect(res.headers.get('www-authenticate'), method).toBeNull();
        expect(await res.text(), method).toContain('This unsubscribe link is not valid.');
      }
      expect(runtime.optOuts).toEqual([]);
      // The rest of the API still wants its token.
      expect((await fetch(`${url}/instances/i-1`)).status).toBe(401);
    } finally {
      await server.close();
    }
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

  it('exits 1 with an error line when the drain outlasts its limit, and 0 with info lines when it does not', async () => {
    const runtime = createFakeRuntime();
    runtime.stopGate = new Promise(() => {});
    const exits: number[] = [];
    const lines: [string, string][] = [];
    const { shutdown, uninstall } = installShutdown(createApiServer(runtime), runtime, {
      timeoutMs: 50,
      exit: (code) => exits.push(code),
      log: (line, level) => void lines.push([level, line]),
    });
    try {
      void shutdown('SIGTERM');
      await new Promise((r) => setTimeout(r, 150));
      expect(exits).toEqual([1]);
      expect(lines).toEqual([
        ['info', 'herald: SIGTERM: stopping intake, draining work in flight (again to force)'],
        ['error', 'herald: still draining after 50 ms; exiting with code 1 (jobs still in flight run again at the next start)'],
      ]);
    } finally {
      uninstall();
    }
    const clean = createFakeRuntime();
    const cleanExits: number[] = [];
    const cleanLines: string[] = [];
    const second = installShutdown(createApiServer(clean), clean, { exit: (code) => cleanExits.push(code), log: (_line, level) => void cleanLines.push(level) });
    try {
      await second.shutdown('SIGTERM');
      expect(cleanExits).toEqual([0]);
      expect(cleanLines).toEqual(['info', 'info']);
    } finally {
      second.uninstall();
    }
  });
});
