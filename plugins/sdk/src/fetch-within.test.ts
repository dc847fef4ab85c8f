import { getEventListeners, setMaxListeners } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithin, TIMEOUT_CODE } from './fetch-within.js';

/** A real HTTP server: /ok answers at once, /hang never answers, /half sends the status and part of the body, then stalls. */
let server: Server;
let base: string;
const open: ServerResponse[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.writeHead(201, { 'content-type': 'application/json' }).end('{"sid":"SM1"}');
    open.push(res);
    if (req.url === '/half') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write('{"code":');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = (over: { signal?: AbortSignal; closing?: AbortSignal; timeoutMs?: number } = {}) => {
  const closing = over.closing ?? new AbortController().signal;
  setMaxListeners(0, closing);
  return { signal: over.signal ?? new AbortController().signal, closing, timeoutMs: over.timeoutMs ?? 5000 };
};

describe('fetchWithin', () => {
  it('gives the answer and the start of its body', async () => {
    const out = await fetchWithin(`${base}/ok`, { method: 'POST', body: 'x' }, limits());
    expect(out.kind).toBe('answered');
    if (out.kind !== 'answered') return;
    expect(out.response.status).toBe(201);
    expect(out.body).toBe('{"sid":"SM1"}');
    expect(out.cutShortBy).toBeNull();
  });

  it('stops a request with no answer in time: a retryable TIMEOUT', async () => {
    const out = await fetchWithin(`${base}/hang`, {}, limits({ timeoutMs: 100 }));
    expect(out).toEqual({ kind: 'stopped', failure: { status: 'failed', retryable: true, reason: 'no response within 100 ms', code: TIMEOUT_CODE } });
  });

  it("stops on the send's signal and on the channel closing, saying which", async () => {
    const send = new AbortController();
    const pending = fetchWithin(`${base}/hang`, {}, limits({ signal: send.signal }));
    setTimeout(() => send.abort(new Error('the runtime gave up')), 50);
    expect(await pending).toMatchObject({ kind: 'stopped', failure: { retryable: true, reason: 'aborted: the runtime gave up' } });

    const closing = new AbortController();
    const inFlight = fetchWithin(`${base}/hang`, {}, limits({ closing: closing.signal }));
    setTimeout(() => closing.abort(new Error('the channel closed')), 50);
    expect(await inFlight).toMatchObject({ kind: 'stopped', failure: { retryable: true, reason: 'aborted: the channel closed' } });
    // Already aborted: no request is made.
    expect(await fetchWithin(`${base}/ok`, {}, limits({ closing: closing.signal }))).toMatchObject({ kind: 'stopped' });
  });

  it('an answer whose body is cut short by the time limit keeps its status and says what cut it', async () => {
    const out = await fetchWithin(`${base}/half`, {}, limits({ timeoutMs: 150 }));
    expect(out.kind).toBe('answered');
    if (out.kind !== 'answered') return;
    expect(out.response.status).toBe(500);
    expect(out.body).toBe('{"code":');
    expect(out.cutShortBy).toMatchObject({ retryable: true, code: TIMEOUT_CODE });
  });

  it('a connection that fails is an error for the channel to classify', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const out = await fetchWithin(`http://127.0.0.1:${port}/`, {}, limits());
    expect(out.kind).toBe('error');
  });

  it('leaves no listener on the long-lived closing signal', async () => {
    const closing = new AbortController();
    const l = limits({ closing: closing.signal, timeoutMs: 100 });
    await Promise.all([fetchWithin(`${base}/ok`, {}, l), fetchWithin(`${base}/hang`, {}, l), fetchWithin(`${base}/half`, {}, l)]);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(l.signal, 'abort')).toHaveLength(0);
  });
});
