import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../message-id.js';
import { abortedSignal, manualClock, memoryLogger, providerCallback, testCallbackContext, testPluginContext, testSendContext } from './test-context.js';

describe('test contexts', () => {
  it('testSendContext derives the Message-ID from the key as the runtime does', () => {
    const ctx = testSendContext({ idempotencyKey: 'k-1', messageIdDomain: 'acme.test', attempt: 3 });
    expect(ctx).toMatchObject({ idempotencyKey: 'k-1', messageId: messageIdFor('k-1', 'acme.test'), attempt: 3 });
    expect(ctx.signal.aborted).toBe(false);
    expect(testSendContext().idempotencyKey).not.toBe(testSendContext().idempotencyKey);
  });

  it('memoryLogger records and manualClock moves only when told', () => {
    const logger = memoryLogger();
    const clock = manualClock(1000);
    const ctx = testPluginContext({ a: 1 }, { logger, clock });
    ctx.logger.warn('slow provider', { ms: 900 });
    expect(logger.entries).toEqual([{ level: 'warn', message: 'slow provider', fields: { ms: 900 } }]);
    expect(ctx.clock.now()).toBe(1000);
    clock.advance(500);
    expect(ctx.clock.now()).toBe(1500);
    expect(ctx.config).toEqual({ a: 1 });
  });

  it('abortedSignal is aborted with an Error reason', () => {
    const signal = abortedSignal('shutdown');
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('shutdown');
  });

  it('testCallbackContext gives a memoryLogger and a manualClock, or the ones it is given', () => {
    const ctx = testCallbackContext();
    ctx.logger.info('read', { id: 'x' });
    expect((ctx.logger as ReturnType<typeof memoryLogger>).entries).toEqual([{ level: 'info', message: 'read', fields: { id: 'x' } }]);
    expect(ctx.clock.now()).toBe(Date.UTC(2030, 0, 1));
    const logger = memoryLogger();
    const clock = manualClock(5);
    expect(testCallbackContext({ logger, clock })).toEqual({ logger, clock });
    expect(testCallbackContext({ clock }).logger).not.toBe(ctx.logger);
  });

  it('providerCallback builds what the runtime hands over: lower-case headers, the bare media type, body and rawBody alike', () => {
    const callback = providerCallback({
      url: 'https://herald.example/callbacks/sms?x=1',
      headers: { 'Content-Type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', 'X-Twilio-Signature': 'sig', Accept: ['a', 'b'], accept: 'c' },
      body: 'MessageSid=SM1&Body=caf%C3%A9 ☕',
    });
    expect(callback).toEqual({
      url: 'https://herald.example/callbacks/sms?x=1',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', 'x-twilio-signature': 'sig', accept: 'a, b, c' },
      contentType: 'application/x-www-form-urlencoded',
      body: 'MessageSid=SM1&Body=caf%C3%A9 ☕',
      rawBody: new Uint8Array(Buffer.from('MessageSid=SM1&Body=caf%C3%A9 ☕', 'utf8')),
    });
    expect(Object.isFrozen(callback)).toBe(true);
    expect(Object.isFrozen(callback.headers)).toBe(true);
  });

  it('providerCallback defaults to an empty body with no content type, and sets the header from contentType', () => {
    expect(providerCallback()).toEqual({ url: 'https://herald.invalid/callbacks/test', headers: {}, contentType: '', body: '', rawBody: new Uint8Array(0) });
    const json = providerCallback({ contentType: 'application/json; charset=utf-8', body: '{}' });
    expect(json.contentType).toBe('application/json');
    expect(json.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    // contentType wins over the header for the field; the header is kept as sent.
    expect(providerCallback({ headers: { 'content-type': 'text/plain' }, contentType: 'application/json' })).toMatchObject({
      contentType: 'application/json',
      headers: { 'content-type': 'text/plain' },
    });
    // Bytes as sent; body decodes them as the runtime does (invalid UTF-8 replaced, a BOM kept).
    const bytes = providerCallback({ body: new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff]) });
    expect(bytes.body).toBe('\ufeffa\ufffd');
    expect([...bytes.rawBody]).toEqual([0xef, 0xbb, 0xbf, 0x61, 0xff]);
    expect(bytes.body).toBe(Buffer.from(bytes.rawBody).toString('utf8'));
  });
});
