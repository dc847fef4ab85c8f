import { describe, expect, it } from 'vitest';
import { classifyFetchError, classifyResponse, twilioError } from './classify-response.js';

const NOW = Date.UTC(2030, 0, 1);
const keep = (text: string) => text;
const answer = (status: number, body: unknown = '', headers: Record<string, string> = {}) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: new Headers(headers),
});

describe('classifyResponse', () => {
  it('accepts a 2xx with a sid, keeping Twilio\'s status in the receipt', () => {
    expect(classifyResponse(answer(201, { sid: 'SM1', status: 'queued' }), NOW, keep)).toEqual({ status: 'accepted', receipt: { providerMessageId: 'SM1', status: 'queued' } });
    expect(classifyResponse(answer(201, { sid: 'SM1', status: 'accepted' }), NOW, keep)).toMatchObject({ status: 'accepted' });
    expect(classifyResponse(answer(200, { sid: 'SM1' }), NOW, keep)).toEqual({ status: 'accepted', receipt: { providerMessageId: 'SM1' } });
    expect(classifyResponse(answer(201, { sid: 'SM1', status: 'delivered' }), NOW, keep)).toEqual({ status: 'delivered', receipt: { providerMessageId: 'SM1', status: 'delivered' } });
  });

  it('refuses a 2xx without a usable sid', () => {
    for (const body of ['', 'OK', { sid: '' }, { sid: 42 }, [{ sid: 'SM1' }], { sid: 'x'.repeat(300) }]) {
      expect(classifyResponse(answer(201, body), NOW, keep)).toMatchObject({ status: 'failed', retryable: false, code: 'INVALID_RESPONSE' });
    }
  });

  it('bounces only the recipient-number errors', () => {
    for (const code of [21211, 21612, 21614]) expect(classifyResponse(answer(400, { code, message: 'm' }), NOW, keep)).toMatchObject({ bounced: true, code: `TWILIO_${code}` });
    for (const code of [21610, 21408, 21606, 21617, 20003]) expect(classifyResponse(answer(400, { code, message: 'm' }), NOW, keep)).not.toHaveProperty('bounced');
    // A bounce code on a 5xx is the server's trouble, not the address's.
    expect(classifyResponse(answer(500, { code: 21211 }), NOW, keep)).toMatchObject({ retryable: true, code: 'TWILIO_21211' });
  });

  it('retries 408, 425, 429 and 5xx, refuses the other 4xx and 3xx', () => {
    for (const status of [408, 425, 429, 500, 502, 503, 504]) expect(classifyResponse(answer(status), NOW, keep)).toMatchObject({ retryable: true, code: `HTTP_${status}` });
    for (const status of [301, 307, 400, 401, 403, 404, 409, 422]) expect(classifyResponse(answer(status), NOW, keep)).toMatchObject({ retryable: false, code: `HTTP_${status}` });
    expect(classifyResponse(answer(199), NOW, keep)).toMatchObject({ retryable: true, code: 'HTTP_199' });
  });

  it('puts reasons through redact and keeps them short', () => {
    const result = classifyResponse(answer(400, { code: 21211, message: `secret ${'x'.repeat(1000)}` }), NOW, (t) => t.replace('secret', '[redacted]'));
    const reason = result.status === 'failed' ? result.reason : '';
    expect(reason.startsWith('Twilio error 21211: [redacted] xxx')).toBe(true);
    expect(reason.length).toBe(500);
  });
});

describe('twilioError', () => {
  it('reads Twilio\'s error body and nothing else', () => {
    expect(twilioError('{"code":21211,"message":"Invalid To","more_info":"https://www.twilio.com/docs/errors/21211","status":400}')).toEqual({ code: 21211, message: 'Invalid To' });
    expect(twilioError('{"code":"20003"}')).toEqual({ code: 20003 });
    for (const body of ['', 'Bad Request', '[]', '{"error":"x"}', '{"code":1.5}']) expect(twilioError(body)).toBeUndefined();
  });
});

describe('classifyFetchError', () => {
  it('retries network errors with the code of their cause, and refuses a blocked port', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    expect(classifyFetchError(refused, keep)).toEqual({ status: 'failed', retryable: true, reason: 'network error: connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED' });
    expect(classifyFetchError(new TypeError('fetch failed'), keep)).toMatchObject({ retryable: true, code: 'NETWORK' });
    expect(classifyFetchError(new TypeError('fetch failed', { cause: new Error('bad port') }), keep)).toMatchObject({ retryable: false, code: 'BAD_PORT' });
  });
});
