import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../message-id.js';
import { abortedSignal, manualClock, memoryLogger, testPluginContext, testSendContext } from './test-context.js';

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
});
