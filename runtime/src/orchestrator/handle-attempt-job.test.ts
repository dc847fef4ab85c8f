import { describe, expect, it } from 'vitest';
import type { QueuedJob } from '../driver/driver.js';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import type { Delivery } from '../delivery/types.js';
import { handleAttemptJob } from './handle-attempt-job.js';
import type { HandlerContext } from './handler-context.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0);
const attemptJob = (tries: number): QueuedJob => ({
  id: 'd1:email:1',
  job: { kind: 'attempt', deliveryId: 'd1', channel: 'email', attempt: 1, idempotencyKey: 'd1:email' },
  runAt: T0,
  tries,
});
// The delivery moved on before its attempt ran (a receipt, a timeout): the attempt is stale.
const movedOn = { id: 'd1', status: 'delivered', attempt: 1, channels: ['email'], channelIndex: 0 } as unknown as Delivery;

async function withStore() {
  const driver = createEmbeddedDriver({ path: ':memory:', clock: () => T0 });
  await driver.open();
  const ctx = { driver, now: () => T0 + 5 } as unknown as HandlerContext;
  return { driver, ctx };
}

describe('handleAttemptJob, stale attempts', () => {
  it('a stale first run sends nothing, acks its job and writes nothing to the ledger', async () => {
    const { driver, ctx } = await withStore();
    await driver.commit({ enqueue: [{ id: 'd1:email:1', job: attemptJob(0).job, runAt: T0 }] });
    await driver.reserve(10, T0, 60_000);
    expect(await handleAttemptJob(ctx, attemptJob(0), movedOn)).toEqual({ kind: 'done' });
    expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
    expect(await driver.ledgerBegin('d1:email#1', T0 + 10)).toEqual({ state: 'new' });
    await driver.close();
  });

  it('a stale re-run leaves the ledger as it is: an earlier run may have recorded its outcome there', async () => {
    const { driver, ctx } = await withStore();
    const outcome = { status: 'delivered', receipt: { providerMessageId: '<m@herald>' } };
    await driver.commit({ enqueue: [{ id: 'd1:email:1', job: attemptJob(1).job, runAt: T0 }] });
    await driver.ledgerFinish('d1:email#1', outcome, T0);
    expect(await handleAttemptJob(ctx, attemptJob(1), movedOn)).toEqual({ kind: 'done' });
    expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
    expect(await driver.ledgerBegin('d1:email#1', T0 + 10)).toEqual({ state: 'done', result: outcome });
    await driver.close();
  });
});
