/**
 * GET /metrics counts what became of each message, not only the provider's first answer:
 * herald_deliveries_total (final status by channel) and herald_receipts_total (status callbacks
 * and receipts that never came). herald_messages_total keeps counting attempts.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { makeTestProject } from './orchestrator-test-project.js';
import { createVirtualClock } from './virtual-clock.js';

// The worker pool runs the built worker: `npx tsc -b runtime` first.
const T0 = Date.UTC(2030, 0, 1, 12, 0);
const HOUR = 3_600_000;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function runtimeFor(answer: 'deliver' | 'accept' | 'bounce'): Promise<{ runtime: Runtime; clock: ReturnType<typeof createVirtualClock> }> {
  const project = makeTestProject({ answer });
  cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
  const clock = createVirtualClock(T0);
  const runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
    graph: project.compile(),
    projectRoot: project.root,
    clock,
    pool: { threads: 1, logLevel: 'silent' },
  });
  await runtime.start();
  cleanup.push(() => runtime.stop());
  return { runtime, clock };
}

const shipped = (orderId: string, subjectId: string) => ({ type: 'order.shipped', id: `shipped-${orderId}`, data: { subjectId, orderId } });

/** The value of one series, 0 when it is not there. */
function series(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('delivery metrics', () => {
  it('counts a message accepted and delivered by its receipt as delivered, and the receipt', async () => {
    const { runtime } = await runtimeFor('accept');
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-1', 's-1'));
    await runtime.runUntilIdle(T0 + 60_000);
    let text = await runtime.metrics();
    expect(series(text, 'herald_messages_total', 'channel="email",status="accepted"')).toBe(1);
    expect(series(text, 'herald_deliveries_total', 'channel="email",status="delivered"')).toBe(0);
    const [message] = (await runtime.searchArchive({ subjectId: 's-1' })).items;
    expect(await runtime.receipt(message!.delivery.providerMessageId!, 'delivered')).toBe(true);
    await runtime.runUntilIdle(T0 + 120_000);
    text = await runtime.metrics();
    expect(series(text, 'herald_deliveries_total', 'channel="email",status="delivered"')).toBe(1);
    expect(series(text, 'herald_receipts_total', 'channel="email",status="delivered"')).toBe(1);
    // The attempt is still one attempt.
    expect(series(text, 'herald_messages_total', 'channel="email",status="accepted"')).toBe(1);
  });

  it('counts a bounce by receipt (and the failover it leads to), a receipt timeout, a synchronous bounce and a skip', async () => {
    const { runtime } = await runtimeFor('accept');
    // s-1 can fail over to sms; s-2 has only email; s-3 has no address at all.
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com', sms: '+15550001' } });
    await runtime.putSubject({ id: 's-2', contacts: { email: 'bob@example.com' } });
    await runtime.putSubject({ id: 's-3', contacts: {} });
    await runtime.ingest(shipped('o-1', 's-1'));
    await runtime.ingest(shipped('o-2', 's-2'));
    await runtime.ingest(shipped('o-3', 's-3'));
    await runtime.runUntilIdle(T0 + 60_000);
    const [bounced] = (await runtime.searchArchive({ subjectId: 's-1' })).items;
    expect(await runtime.receipt(bounced!.delivery.providerMessageId!, 'bounced', '550 no such user')).toBe(true);
    // s-2's message waits for its receipt until the policy's delivery timeout (1h), then fails: no channel left.
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    const text = await runtime.metrics();
    expect(series(text, 'herald_receipts_total', 'channel="email",status="bounced"')).toBe(1);
    expect(series(text, 'herald_deliveries_total', 'channel="sms",status="delivered"')).toBe(1);
    expect(series(text, 'herald_receipts_total', 'channel="email",status="timeout"')).toBe(1);
    expect(series(text, 'herald_deliveries_total', 'channel="email",status="failed"')).toBe(1);
    expect(series(text, 'herald_deliveries_total', 'channel="none",status="skipped"')).toBe(1);
    expect(((await runtime.searchArchive({ subjectId: 's-2' })).items[0]!).delivery.status).toBe('failed');

    const sync = await runtimeFor('bounce');
    await sync.runtime.putSubject({ id: 's-4', contacts: { email: 'gone@example.com' } });
    await sync.runtime.ingest(shipped('o-4', 's-4'));
    await sync.runtime.runUntilIdle(T0 + 60_000);
    const after = await sync.runtime.metrics();
    expect(series(after, 'herald_messages_total', 'channel="email",status="bounced"')).toBe(1);
    expect(series(after, 'herald_deliveries_total', 'channel="email",status="bounced"')).toBe(1);
    expect(series(after, 'herald_deliveries_total', 'channel="email",status="failed"')).toBe(0);
  });

  it('adds the process and Node.js metrics with processMetrics (herald start turns them on)', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const runtime = createRuntime({
      driver: createEmbeddedDriver({ path: ':memory:' }),
      graph: project.compile(),
      projectRoot: project.root,
      clock: createVirtualClock(T0),
      pool: { threads: 1, logLevel: 'silent' },
      processMetrics: true,
    });
    await runtime.start();
    cleanup.push(() => runtime.stop());
    const text = await runtime.metrics();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^herald_queue_depth\{state="queued"\} 0$/m);
  });
});
