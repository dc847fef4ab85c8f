import { describe, expect, it } from 'vitest';
import { classifyFetchError, classifyResponse } from './classify-response.js';

const NOW = Date.UTC(2030, 0, 1);
const answer = (status: number, body = '', headers: Record<string, string> = {}) => ({
  status,
  body,
  headers: new Headers(headers),
});

describe('classifyResponse', () => {
  it('treats 2xx as delivered, with the JSON id or else the idempotency key as receipt', () => {
    expect(classifyResponse(answer(200, '{"id":"msg_1","ok":true}'), 'key', NOW)).toEqual({
      status: 'delivered',
      receipt: { providerMessageId: 'msg_1', httpStatus: 200 },
    });
    expect(classifyResponse(answer(201, '{"id":42}'), 'key', NOW)).toMatchObject({ receipt: { providerMessageId: '42' } });
    for (const body of ['', 'OK', '{"id":""}', '[{"id":"x"}]', '{"id":{"a":1}}', `{"id":"${'x'.repeat(300)}"}`, '{"id":"trunc']) {
      expect(classifyResponse(answer(202, body), 'key', NOW)).toEqual({ status: 'delivered', receipt: { providerMessageId: 'key', httpStatus: 202 } });
    }
    expect(classifyResponse(answer(204), 'key', NOW)).toMatchObject({ status: 'delivered', receipt: { httpStatus: 204 } });
  });

  it('retries 408, 425, 429 and 5xx, honouring Retry-After', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) {
      expect(classifyResponse(answer(status, 'busy'), 'k', NOW)).toEqual({
        status: 'failed',
        retryable: true,
        reason: `HTTP ${status}: busy`,
        code: `HTTP_${status}`,
      });
    }
    expect(classifyResponse(answer(429, '', { 'retry-after': '30' }), 'k', NOW)).toMatchObject({ retryable: true, retryAfterMs: 30_000, reason: 'HTTP 429' });
    expect(classifyResponse(answer(503, '', { 'retry-after': new Date(NOW + 90_000).toUTCString() }), 'k', NOW)).toMatchObject({ retryAfterMs: 90_000 });
  });

  it('refuses other 4xx permanently, with a short excerpt of the body', () => {
    const long = `{"error":  "bad\n request", "detail": "${'x'.repeat(1000)}"}`;
    const result = classifyResponse(answer(400, long), 'k', NOW);
    expect(result).toMatchObject({ status: 'failed', retryable: false, code: 'HTTP_400' });
    expect(result.status === 'failed' && result.reason.startsWith('HTTP 400: {"error": "bad request"')).toBe(true);
    expect(result.status === 'failed' && result.reason.length).toBeLessThanOrEqual(220);
    for (const status of [401, 403, 404, 409, 413, 422]) expect(classifyResponse(answer(status), 'k', NOW)).toMatchObject({ retryable: false, code: `HTTP_${status}` });
  });

  it('treats 410 Gone as permanent but not as a bounce: the URL is the channel\'s, not the subject\'s address', () => {
    const gone = classifyResponse(answer(410, 'endpoint removed'), 'k', NOW);
    expect(gone).toEqual({ status: 'failed', retryable: false, reason: 'HTTP 410: endpoint removed', code: 'HTTP_410' });
  });

  it('does not follow redirects: the config needs the final URL', () => {
    expect(classifyResponse(answer(308, '', { location: 'https://new.example/hook' }), 'k', NOW)).toEqual({
      status: 'failed',
      retryable: false,
      reason: 'HTTP 308: the webhook URL redirects to https://new.example/hook; configure the final URL',
      code: 'HTTP_308',
    });
  });

  it('retries a status it does not know', () => {
    expect(classifyResponse(answer(199), 'k', NOW)).toMatchObject({ retryable: true, code: 'HTTP_199' });
  });
});

describe('classifyFetchError', () => {
  it('retries network errors, with the code of their cause', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    expect(classifyFetchError(refused)).toEqual({
      status: 'failed',
      retryable: true,
      reason: 'network error: connect ECONNREFUSED 127.0.0.1:9',
      code: 'ECONNREFUSED',
    });
    expect(classifyFetchError(new TypeError('fetch failed'))).toMatchObject({ retryable: true, code: 'NETWORK', reason: 'network error: fetch failed' });
    expect(classifyFetchError('weird')).toMatchObject({ retryable: true, code: 'NETWORK' });
  });

  it('refuses a port fetch blocks by specification', () => {
    expect(classifyFetchError(new TypeError('fetch failed', { cause: new Error('bad port') }))).toMatchObject({ retryable: false, code: 'BAD_PORT' });
  });
});
