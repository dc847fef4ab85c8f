import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '../subjects/unsubscribe-token.js';
import { createFakeRuntime } from '../testing/fake-runtime.js';
import { createApiServer } from './create-server.js';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly method?: string;
  readonly url?: string;
  readonly statusCode?: number;
  readonly ms?: number;
}

function logged(level: 'debug' | 'info'): { readonly logger: Logger; readonly lines: Line[] } {
  const lines: Line[] = [];
  const logger = pino({ level }, { write: (json: string) => void lines.push(JSON.parse(json) as Line) });
  return { logger, lines };
}

describe('request log', () => {
  it('logs one line per request (method, url, status, ms) at info, and /healthz and /metrics at debug', async () => {
    const { logger, lines } = logged('debug');
    const server = createApiServer(createFakeRuntime(), { logger });
    await server.inject('/instances/i-1');
    await server.inject('/healthz');
    await server.inject('/metrics?x=1');
    expect(lines.map((l) => [l.level, l.method, l.url, l.statusCode])).toEqual([
      [30, 'GET', '/instances/i-1', 404],
      [20, 'GET', '/healthz', 200],
      [20, 'GET', '/metrics?x=1', 200],
    ]);
    expect(lines[0]!.msg).toMatch(/^GET \/instances\/i-1 404 \d+(\.\d)? ms$/);
    expect(typeof lines[0]!.ms).toBe('number');
  });

  it('leaves unsubscribe tokens out of the logged URL: they never expire and opt a customer out', async () => {
    const { logger, lines } = logged('info');
    const unsubscribeSecret = 'a-secret-of-some-length';
    const token = signUnsubscribeToken({ subjectId: 'c-100', category: 'billing' }, unsubscribeSecret);
    for (const options of [{ unsubscribeSecret }, { token: 't' }]) {
      const server = createApiServer(createFakeRuntime(), { logger, ...options });
      const url = await server.listen({ host: '127.0.0.1', port: 0 });
      try {
        await fetch(`${url}/unsubscribe/${token}?utm=x`);
        await fetch(`${url}/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      } finally {
        await server.close();
      }
    }
    const requests = lines.filter((l) => l.method !== undefined);
    expect(requests.map((l) => [l.method, l.url, l.statusCode])).toEqual([
      ['GET', '/unsubscribe/[token]?utm=x', 200],
      ['POST', '/unsubscribe/[token]', 200],
      ['GET', '/unsubscribe/[token]?utm=x', 404],
      ['POST', '/unsubscribe/[token]', 404],
    ]);
    expect(requests[0]!.msg).toMatch(/^GET \/unsubscribe\/\[token\]\?utm=x 200 [\d.]+ ms$/);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[0]);
  });

  it('at info (herald start by default), a load balancer polling /healthz logs nothing', async () => {
    const { logger, lines } = logged('info');
    const server = createApiServer(createFakeRuntime(), { logger });
    for (let i = 0; i < 5; i++) await server.inject('/healthz');
    expect(lines).toEqual([]);
    await server.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(lines.map((l) => [l.method, l.url, l.statusCode])).toEqual([['POST', '/events', 400]]);
  });
});
