/**
 * A message accepted under a policy without `failover.deliveryTimeout` can wait for ever; the
 * runtime says so the first time, once per policy and channel.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime } from './create-runtime.js';
import { makeTestProject } from './orchestrator-test-project.js';
import { createVirtualClock } from './virtual-clock.js';

// The worker pool runs the built worker: `npx tsc -b runtime` first.
const T0 = Date.UTC(2030, 0, 1, 12, 0);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function acceptingRuntime(failover: string) {
  const project = makeTestProject({ answer: 'accept' });
  cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
  project.write('policies/standard.policy.yaml', `policy: standard\ncategory: orders\nchannels: [email, sms]\n${failover}\n`);
  const warnings: string[] = [];
  const clock = createVirtualClock(T0);
  const runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
    graph: project.compile(),
    projectRoot: project.root,
    clock,
    pool: { threads: 1, logLevel: 'silent' },
    log: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} },
  });
  await runtime.start();
  cleanup.push(() => runtime.stop());
  for (const id of ['s-1', 's-2']) await runtime.putSubject({ id, contacts: { email: `${id}@example.com` } });
  for (const [i, subjectId] of ['s-1', 's-2', 's-1'].entries()) {
    await runtime.ingest({ type: 'order.shipped', id: `shipped-${i}`, data: { subjectId, orderId: `o-${i}` } });
  }
  await runtime.runUntilIdle(T0 + 60_000);
  return { runtime, warnings };
}

describe('a message that only a receipt would end', () => {
  it('is said once per policy and channel when the policy has no delivery timeout', async () => {
    const { runtime, warnings } = await acceptingRuntime('failover: { on: [failed, bounced] }');
    const waiting = (await runtime.searchArchive({ status: 'awaiting-receipt' })).items;
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    const said = warnings.filter((w) => w.includes('deliveryTimeout'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^policy standard: email accepted message \S+ and will report its outcome later, but the policy has no failover\.deliveryTimeout/);
    expect(said[0]).toContain('deliveryTimeout: 48h');
  });

  it('is not said when the policy has one', async () => {
    const { runtime, warnings } = await acceptingRuntime('failover: { on: [failed, bounced, timeout], deliveryTimeout: 1h }');
    expect((await runtime.searchArchive({ status: 'awaiting-receipt' })).items.length).toBeGreaterThanOrEqual(3);
    expect(warnings.filter((w) => w.includes('deliveryTimeout'))).toEqual([]);
  });
});
