import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { messageIdFor } from '@herald/plugin-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Driver, UnitOfWork } from '../driver/driver.js';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { verifyUnsubscribeToken } from '../subjects/unsubscribe-token.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './create-runtime.js';
import { makeTestProject, type TestProject } from './orchestrator-test-project.js';
import { createVirtualClock, type VirtualClock } from './virtual-clock.js';

// The worker pool runs the built worker: `npx tsc -b runtime` first.
const T0 = Date.UTC(2030, 0, 1, 12, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Setup {
  readonly project: TestProject;
  readonly runtime: Runtime;
  readonly clock: VirtualClock;
  readonly driver: Driver;
}

async function setup(
  options: { project?: TestProject; driver?: Driver; wrap?: (d: Driver) => Driver; clock?: VirtualClock; runtime?: Partial<RuntimeOptions> } = {},
): Promise<Setup> {
  const project = options.project ?? makeTestProject();
  if (!options.project) cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
  const clock = options.clock ?? createVirtualClock(T0);
  const inner = options.driver ?? createEmbeddedDriver({ path: ':memory:', clock: clock.now });
  const driver = options.wrap ? options.wrap(inner) : inner;
  const runtime = createRuntime({ driver, graph: project.compile(), projectRoot: project.root, clock, pool: { threads: 1, logLevel: 'silent' }, ...options.runtime });
  await runtime.start();
  cleanup.push(() => runtime.stop());
  return { project, runtime, clock, driver };
}

const shipped = (orderId: string, subjectId = 's-1') => ({ type: 'order.shipped', id: `shipped-${orderId}`, data: { subjectId, orderId } });

/** A runtime on real time (the scheduler runs by itself) over a fresh project; the caller stops it. */
async function realTime(
  options: { project?: TestProject; driver?: Driver; runtime?: Partial<RuntimeOptions> } = {},
): Promise<{ readonly project: TestProject; readonly runtime: Runtime }> {
  const project = options.project ?? makeTestProject();
  if (!options.project) cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
  const runtime = createRuntime({
    driver: options.driver ?? createEmbeddedDriver({ path: ':memory:' }),
    graph: project.compile(),
    projectRoot: project.root,
    pool: { threads: 1, logLevel: 'silent' },
    ...options.runtime,
  });
  await runtime.start();
  await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
  return { project, runtime };
}

/** Waits (10 s at most) until the recorder channel was called `n` times. */
async function waitForCalls(project: TestProject, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (project.calls().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

async function onlyDelivery(runtime: Runtime, subjectId = 's-1') {
  const { items } = await runtime.searchArchive({ subjectId });
  return items;
}

describe('orchestrator', () => {
  it('runs a journey on a virtual clock: event → instance → delivery → attempt → archive, then the timer a day later', async () => {
    const { runtime, project } = await setup();
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com', sms: '+1555' } });
    await runtime.ingest(shipped('o-1'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(project.calls().map((c) => [c.to, c.subject])).toEqual([['ann@example.com', 'Order o-1 shipped']]);
    const [instance] = await runtime.findInstances({ subjectId: 's-1' });
    expect(instance).toMatchObject({ status: 'active', journey: 'shipped' });
    await runtime.runUntilIdle(T0 + 2 * DAY);
    expect(project.calls()).toHaveLength(2);
    expect(await runtime.getInstance(instance!.id)).toMatchObject({ status: 'completed' });
    const items = await onlyDelivery(runtime);
    expect(items.map((m) => [m.delivery.node, m.delivery.status])).toEqual(
      expect.arrayContaining([
        ['tell', 'delivered'],
        ['remind', 'delivered'],
      ]),
    );
    const call = project.calls()[0]!;
    expect(call.messageId).toBe(messageIdFor(call.key));
    const metrics = await runtime.metrics();
    expect(metrics).toMatch(/herald_instances_started_total\{journey="shipped"\} 1/);
    expect(metrics).toMatch(/herald_instances_ended_total\{journey="shipped",status="completed"\} 1/);
    expect(metrics).toMatch(/herald_messages_total\{channel="email",status="delivered"\} 2/);
    expect(metrics).toMatch(/herald_queue_depth\{state="queued"\} 0/);
  });

  it('shows the series of its event types, journeys and channels at 0 from the start', async () => {
    const { runtime } = await setup();
    const metrics = await runtime.metrics();
    for (const series of [
      'herald_events_ingested_total{type="order.shipped"} 0',
      'herald_events_rejected_total{type="(unknown)"} 0',
      'herald_instances_started_total{journey="shipped"} 0',
      'herald_instances_ended_total{journey="shipped",status="failed"} 0',
      'herald_messages_total{channel="email",status="delivered"} 0',
      'herald_deliveries_total{channel="email",status="bounced"} 0',
      'herald_deliveries_total{channel="none",status="skipped"} 0',
    ]) expect(metrics).toContain(series);
  });

  it('shows events being routed and waiting at ingest (herald_ingest_events), back to 0 once answered', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Ingest's commits wait at the gate: the first event holds the one place, the others wait for it.
    const { runtime } = await setup({
      runtime: { ingestConcurrency: 1 },
      wrap: (d) => ({ ...d, commit: async (unit: UnitOfWork) => (unit.events ? gate.then(() => d.commit(unit)) : d.commit(unit)) }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    const posted = ['o-50', 'o-51', 'o-52'].map((o) => runtime.ingest(shipped(o)));
    // Until the three have reached ingest (a slow machine may take a moment), not a fixed sleep.
    await vi.waitFor(async () => expect(await runtime.metrics()).toMatch(/^herald_ingest_events\{state="waiting"\} 2$/m), { timeout: 5_000, interval: 10 });
    expect(await runtime.metrics()).toMatch(/^herald_ingest_events\{state="routing"\} 1$/m);
    open();
    await Promise.all(posted);
    const after = await runtime.metrics();
    expect(after).toMatch(/^herald_ingest_events\{state="routing"\} 0$/m);
    expect(after).toMatch(/^herald_ingest_events\{state="waiting"\} 0$/m);
  });

  it('stops an instance for an operator: it exits with the reason, its deferred message is skipped, and nothing goes out later', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    // T0 is 12:00 UTC: inside these quiet hours, so the first message waits for 13:00.
    project.write('policies/standard.policy.yaml', 'policy: standard\ncategory: orders\nchannels: [email, sms]\nquietHours: { from: "11:00", to: "13:00" }\n');
    const { runtime } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-60'));
    await runtime.runUntilIdle(T0);
    const [instance] = await runtime.findInstances({ journey: 'shipped', subjectId: 's-1' });
    expect(instance).toMatchObject({ status: 'active' });
    const [deferred] = await onlyDelivery(runtime);
    expect(deferred!.delivery.status).toBe('deferred');

    const stopped = await runtime.stopInstance(instance!.id, 'customer asked us to stop');
    expect(stopped).toMatchObject({ kind: 'stopped', instance: { status: 'exited', exitReason: 'stopped by an operator: customer asked us to stop' }, cancelled: [deferred!.delivery.id] });
    expect(await runtime.getInstance(instance!.id)).toMatchObject({ status: 'exited', waiting: null });
    const [skipped] = await onlyDelivery(runtime);
    expect(skipped!.delivery.status).toBe('skipped');
    expect(skipped!.delivery.history.at(-1)!.note).toBe('skipped: cancelled, its instance was stopped by an operator');

    // Past the quiet hours and the day's wait: nothing is sent, and the stopped instance stays as it was.
    await runtime.runUntilIdle(T0 + 3 * DAY);
    expect(project.calls()).toEqual([]);
    expect(await runtime.getInstance(instance!.id)).toMatchObject({ status: 'exited', exitReason: 'stopped by an operator: customer asked us to stop' });
    expect(await runtime.stopInstance(instance!.id, 'again')).toMatchObject({ kind: 'ended', instance: { status: 'exited' } });
    expect(await runtime.stopInstance('nope', 'x')).toEqual({ kind: 'not-found' });
    expect(await runtime.metrics()).toMatch(/herald_instances_ended_total\{journey="shipped",status="exited"\} 1/);
  });

  it('tells onInstance every instance a committed unit wrote, its end included', async () => {
    const told: string[] = [];
    const { runtime } = await setup({ runtime: { onInstance: (i) => told.push(`${i.id} ${i.status} ${i.at ?? '-'}`) } });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-40'));
    await runtime.runUntilIdle(T0 + 2 * DAY);
    expect(told[0]).toMatch(/ active /);
    expect(told.at(-1)).toMatch(/ completed -$/);
  });

  it('does not call the provider again when it died after the provider call and the ledger, before its commit', async () => {
    let crashed = false;
    const { runtime, project } = await setup({
      wrap: (d) => ({
        ...d,
        async commit(unit: UnitOfWork) {
          if (!crashed && unit.archive?.length) {
            crashed = true;
            throw new Error('simulated crash before the attempt commit');
          }
          return d.commit(unit);
        },
      }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-2'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(crashed).toBe(true);
    expect(project.calls()).toHaveLength(1);
    const [message] = (await onlyDelivery(runtime)).filter((m) => m.delivery.node === 'tell');
    expect(message!.delivery.status).toBe('delivered');
    expect(message!.attempts).toHaveLength(1);
    // The content is archived even though the second run sent nothing (re-rendered for the archive).
    expect(message!.contents[0]!.fields['subject']).toBe('Order o-2 shipped');
  });

  it('sends again with the same idempotency key and Message-ID when it died during the provider call (no outcome in the ledger)', async () => {
    let crashed = false;
    let finishRefused = false;
    const begun: string[] = [];
    const warnings: string[] = [];
    const { runtime, project } = await setup({
      runtime: { log: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} } },
      // The process "dies" with the provider's answer in hand: neither the attempt's commit
      // (which carries the ledger's done) nor the ledger write that would keep its outcome lands.
      wrap: (d) => ({
        ...d,
        async commit(unit: UnitOfWork) {
          if (!crashed && unit.archive?.length) {
            crashed = true;
            throw new Error('simulated crash during the provider call');
          }
          return d.commit(unit);
        },
        async ledgerBegin(key, now) {
          const entry = await d.ledgerBegin(key, now);
          begun.push(`${key} ${entry.state}`);
          return entry;
        },
        async ledgerFinish(key, result, now) {
          if (crashed && !finishRefused) {
            finishRefused = true;
            throw new Error('simulated crash: the ledger is gone with the process');
          }
          return d.ledgerFinish(key, result, now);
        },
      }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-3'));
    await runtime.runUntilIdle(T0 + HOUR);
    const calls = project.calls();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.key).toBe(calls[0]!.key);
    expect(calls[1]!.messageId).toBe(calls[0]!.messageId);
    // The first run asked nothing; the re-run asked the ledger, which held nothing for it.
    expect(begun).toEqual([`${calls[0]!.key}#1 new`]);
    // The possible duplicate is counted and said.
    expect(await runtime.metrics()).toContain('herald_attempts_resent_total{channel="email"} 1');
    expect(warnings.filter((w) => w.includes('sending again with the same idempotency key'))).toEqual([
      `attempt ${calls[0]!.key}#1: an earlier run may have reached the provider and recorded no outcome; sending again with the same idempotency key`,
    ]);
    const [message] = await onlyDelivery(runtime);
    expect(message!.delivery.status).toBe('delivered');
    expect(message!.attempts).toHaveLength(1);
  });

  it('a first attempt leaves the ledger alone: no unit marks it, the attempt asks it nothing; its job is the mark', async () => {
    const ledgerCalls: string[] = [];
    const marks: string[] = [];
    const { runtime, project } = await setup({
      wrap: (d) => ({
        ...d,
        async commit(unit: UnitOfWork) {
          for (const e of unit.ledger ?? []) marks.push(`done ${e.key}`);
          for (const e of unit.enqueue ?? []) if (e.job.kind === 'attempt') marks.push(`job ${e.id}${unit.events?.length ? ' (with the event)' : ''}`);
          for (const id of unit.ack ?? []) if (unit.archive?.length) marks.push(`ack ${id} (with the archive)`);
          return d.commit(unit);
        },
        async ledgerBegin(key, now) {
          ledgerCalls.push(`begin ${key}`);
          return d.ledgerBegin(key, now);
        },
        async ledgerFinish(key, result, now) {
          ledgerCalls.push(`finish ${key}`);
          return d.ledgerFinish(key, result, now);
        },
      }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-first'));
    await runtime.runUntilIdle(T0 + HOUR);
    const [call] = project.calls();
    expect(project.calls()).toHaveLength(1);
    const job = `${call!.key}:1`;
    expect(marks).toEqual([`job ${job} (with the event)`, `ack ${job} (with the archive)`]);
    expect(ledgerCalls).toEqual([]);
    const [message] = (await onlyDelivery(runtime)).filter((m) => m.delivery.node === 'tell');
    expect(message!.delivery.status).toBe('delivered');
  });

  it('routes an event inside ingest: the instance exists and its delivery has started before any job runs', async () => {
    const { runtime, driver, project } = await setup();
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    expect(await runtime.ingest(shipped('o-10'))).toEqual({ ok: true, eventId: 'shipped-o-10', duplicate: false });
    const [instance] = await runtime.findInstances({ subjectId: 's-1' });
    expect(instance).toMatchObject({ journey: 'shipped', status: 'active' });
    const [delivery] = (await runtime.searchArchive({ subjectId: 's-1' })).items;
    expect(delivery!.delivery.status).toBe('attempting');
    // Queued: the attempt (due now) and the journey's reminder timer; no event job, no delivery start job.
    expect(await driver.queueDepth()).toEqual({ queued: 2, reserved: 0 });
    const due = await driver.reserve(10, T0, 1000);
    expect(due.map((j) => j.job.kind)).toEqual(['attempt']);
    expect(project.calls()).toHaveLength(0);
    expect(await runtime.ingest(shipped('o-10'))).toEqual({ ok: true, eventId: 'shipped-o-10', duplicate: true });
  });

  it('a re-posted event id whose record retention purged, while the instance it started is kept, is a duplicate', async () => {
    const { runtime, driver } = await setup();
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    expect(await runtime.ingest(shipped('o-30'))).toMatchObject({ ok: true, duplicate: false });
    // The event id is forgotten; the instance is still active (it waits), so it stays.
    await driver.purgeArchive(T0 + 1);
    expect(await driver.eventSeen('shipped-o-30')).toBe(false);
    expect(await runtime.ingest(shipped('o-30'))).toEqual({ ok: true, eventId: 'shipped-o-30', duplicate: true });
    await runtime.runUntilIdle(T0 + HOUR);
    expect(await runtime.findInstances({ subjectId: 's-1' })).toHaveLength(1);
  });

  it('queues the event for the scheduler when routing it at ingest fails, and loses nothing', async () => {
    let failures = 0;
    const { runtime, project } = await setup({
      wrap: (d) => ({
        ...d,
        async findInstances(q) {
          if (failures === 0 && q.waitingFor !== undefined) {
            failures++;
            throw new Error('simulated: the store hiccupped');
          }
          return d.findInstances(q);
        },
      }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    expect(await runtime.ingest(shipped('o-11'))).toMatchObject({ ok: true, duplicate: false });
    expect(failures).toBe(1);
    expect(await runtime.findInstances({ subjectId: 's-1' })).toEqual([]);
    await runtime.runUntilIdle(T0 + HOUR);
    expect(project.calls().map((c) => c.subject)).toEqual(['Order o-11 shipped']);
    expect(await runtime.ingest(shipped('o-11'))).toMatchObject({ ok: true, duplicate: true });
  });

  it('reentry after-exit: two events for one subject ingested at the same moment start one instance, and neither is lost', async () => {
    const project = makeTestProject({ reentry: 'after-exit' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const { runtime } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    const results = await Promise.all([runtime.ingest(shipped('o-20')), runtime.ingest(shipped('o-21'))]);
    expect(results.map((r) => r.ok && !r.duplicate)).toEqual([true, true]);
    await runtime.runUntilIdle(T0 + HOUR);
    const instances = await runtime.findInstances({ subjectId: 's-1' });
    expect(instances.map((i) => i.status)).toEqual(['active']);
    expect(project.calls()).toHaveLength(1);
    // Once it has ended, the next event starts the journey again.
    await runtime.runUntilIdle(T0 + 3 * DAY);
    expect((await runtime.findInstances({ subjectId: 's-1' })).map((i) => i.status)).toEqual(['completed']);
    await runtime.ingest(shipped('o-22'));
    expect((await runtime.findInstances({ subjectId: 's-1' })).map((i) => i.status).sort()).toEqual(['active', 'completed']);
  });

  it('a frequency cap of one holds for messages started at the same moment, and for two sends of one unit', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    project.write(
      'policies/standard.policy.yaml',
      'policy: standard\ncategory: orders\nchannels: [email, sms]\nfrequencyCap: { max: 1, per: 1d }\nfailover: { on: [failed, bounced] }\n',
    );
    const { runtime } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    // Routed at the same moment: each read a count of 0 before either committed.
    await Promise.all([runtime.ingest(shipped('o-30')), runtime.ingest(shipped('o-31')), runtime.ingest(shipped('o-32'))]);
    await runtime.runUntilIdle(T0 + HOUR);
    expect(project.calls()).toHaveLength(1);
    const items = await onlyDelivery(runtime);
    expect(items.map((m) => m.delivery.status).sort()).toEqual(['delivered', 'skipped', 'skipped']);
    for (const m of items.filter((i) => i.delivery.status === 'skipped')) {
      expect(m.delivery.history.map((h) => h.note)).toEqual(['skipped: frequency cap: 1 per 1d reached']);
    }

    // Two sends in a row, started in one unit: the second sees the first's count.
    const twice = makeTestProject();
    cleanup.push(() => rmSync(twice.root, { recursive: true, force: true }));
    twice.write('policies/standard.policy.yaml', 'policy: standard\ncategory: orders\nchannels: [email, sms]\nfrequencyCap: { max: 1, per: 1d }\n');
    twice.write('journeys/shipped.journey.yaml', 'journey: shipped\ntrigger: { event: order.shipped, reentry: always }\nsteps:\n  - send: shipped\n  - send: shipped\n');
    const second = await setup({ project: twice });
    await second.runtime.putSubject({ id: 's-2', contacts: { email: 'bob@example.com' } });
    await second.runtime.ingest(shipped('o-33', 's-2'));
    await second.runtime.runUntilIdle(T0 + HOUR);
    expect((await onlyDelivery(second.runtime, 's-2')).map((m) => m.delivery.status).sort()).toEqual(['delivered', 'skipped']);
    expect(twice.calls()).toHaveLength(1);
  });

  it('logs a message that failed in the end at warn, naming it and why', async () => {
    const project = makeTestProject({ answer: 'bounce' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    project.write('policies/standard.policy.yaml', 'policy: standard\ncategory: orders\nchannels: [email]\nfailover: { on: [bounced] }\n');
    const warnings: string[] = [];
    const { runtime } = await setup({ project, runtime: { log: { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } } });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-50'));
    await runtime.runUntilIdle(T0 + HOUR);
    const [message] = await onlyDelivery(runtime);
    expect(message!.delivery.status).toBe('failed');
    expect(warnings.filter((w) => w.includes('the message failed'))).toEqual([
      `message ${message!.delivery.id} (shipped/tell to s-1): ${message!.delivery.history.at(-1)!.note}: the message failed (GET /archive/<id> has its history)`,
    ]);
  });

  it('a message that fails in the end gives its place under the cap back', async () => {
    const project = makeTestProject({ answer: 'bounce' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    project.write(
      'policies/standard.policy.yaml',
      'policy: standard\ncategory: orders\nchannels: [email]\nfrequencyCap: { max: 1, per: 1d }\nfailover: { on: [failed, bounced] }\n',
    );
    const { runtime, driver } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-40'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect((await onlyDelivery(runtime)).map((m) => m.delivery.status)).toEqual(['failed']);
    expect(await driver.countSent('s-1', 'orders', T0 - DAY)).toBe(0);
    await runtime.ingest(shipped('o-41'));
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    expect(project.calls()).toHaveLength(2);
  });

  it('an event reaches only the waiting journeys of the subject its declaration names; one about no subject reaches all', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const config = readFileSync(join(project.root, 'herald.yaml'), 'utf8');
    project.write(
      'herald.yaml',
      `${config}  order.paid:\n    subject: customerId\n    fields: { customerId: string, orderId: string }\n  sale.started:\n    fields: { percent: number }\n`,
    );
    project.write(
      'journeys/shipped.journey.yaml',
      'journey: shipped\ntrigger: { event: order.shipped, reentry: always }\nsteps:\n  - wait: { event: order.paid, timeout: 7d }\n  - wait: { event: sale.started, timeout: 7d }\n',
    );
    const { runtime } = await setup({ project });
    await runtime.ingest(shipped('o-50', 's-1'));
    await runtime.ingest(shipped('o-51', 's-2'));
    await runtime.runUntilIdle(T0 + HOUR);
    const waitingFor = async () =>
      Object.fromEntries((await runtime.findInstances({ journey: 'shipped' })).map((i) => [i.subjectId, i.waiting?.kind === 'event' ? i.waiting.event : i.status]));
    expect(await waitingFor()).toEqual({ 's-1': 'order.paid', 's-2': 'order.paid' });
    // No `subjectId` in the payload: the declared `customerId` says whose it is.
    await runtime.ingest({ type: 'order.paid', id: 'paid-1', data: { customerId: 's-2', orderId: 'o-51' } });
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    expect(await waitingFor()).toEqual({ 's-1': 'order.paid', 's-2': 'sale.started' });
    // An event type that names no subject is offered to every instance waiting for it.
    await runtime.ingest({ type: 'order.paid', id: 'paid-2', data: { customerId: 's-1', orderId: 'o-50' } });
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    await runtime.ingest({ type: 'sale.started', id: 'sale-1', data: { percent: 20 } });
    await runtime.runUntilIdle(T0 + 3 * HOUR);
    expect(await waitingFor()).toEqual({ 's-1': 'completed', 's-2': 'completed' });
  });

  it('runs a job again on fresh state after a conflict', async () => {
    let conflicts = 0;
    const { runtime, project } = await setup({
      wrap: (d) => ({
        ...d,
        // The first conflict hits routing at ingest (the event goes to an event job), the next two that job.
        async commit(unit: UnitOfWork) {
          if (conflicts < 3 && unit.instances?.some((x) => x.expectedSeq === null)) {
            conflicts++;
            return { ok: false, conflict: 'simulated: instance id taken' };
          }
          return d.commit(unit);
        },
      }),
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-4'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(conflicts).toBe(3);
    expect(project.calls()).toHaveLength(1);
    expect((await onlyDelivery(runtime))[0]!.delivery.status).toBe('delivered');
    expect(await runtime.metrics()).toMatch(/herald_job_conflicts_total\{kind="event"\} 2/);
  });

  it('waits for a receipt after an accepted send, and fails over to sms when none comes within the delivery timeout', async () => {
    const project = makeTestProject({ answer: 'accept' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const { runtime } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com', sms: '+1555' } });
    await runtime.putSubject({ id: 's-2', contacts: { email: 'bob@example.com', sms: '+1666' } });
    await runtime.ingest(shipped('o-5', 's-1'));
    await runtime.ingest(shipped('o-6', 's-2'));
    await runtime.runUntilIdle(T0 + 10 * 60_000);
    const first = (await onlyDelivery(runtime, 's-1'))[0]!;
    expect(first.delivery.status).toBe('awaiting-receipt');
    expect(await runtime.receipt(first.delivery.providerMessageId!, 'delivered')).toBe(true);
    expect(await runtime.receipt('p-unknown', 'delivered')).toBe(false);
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    expect((await onlyDelivery(runtime, 's-1'))[0]!.delivery.status).toBe('delivered');
    const second = (await onlyDelivery(runtime, 's-2')).find((m) => m.delivery.node === 'tell')!;
    expect(second.delivery.status).toBe('delivered');
    expect(second.attempts.map((a) => a.channel)).toEqual(['email', 'sms']);
    expect(second.delivery.history.map((h) => h.note)).toEqual(expect.arrayContaining([expect.stringMatching(/no receipt within 1h → failover to sms/)]));
  });

  it('adds a signed unsubscribe link, and an opt-out keeps the next message off that channel', async () => {
    const { runtime, project } = await setup({ runtime: { publicBaseUrl: 'https://herald.example', unsubscribeSecret: 'k3y' } });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com', sms: '+1555' } });
    await runtime.ingest(shipped('o-7'));
    await runtime.runUntilIdle(T0 + HOUR);
    const url = project.calls()[0]!.metadata['unsubscribeUrl']!;
    const claim = verifyUnsubscribeToken(url.replace('https://herald.example/unsubscribe/', ''), 'k3y');
    expect(claim).toEqual({ subjectId: 's-1', category: 'orders' });
    await runtime.optOut(claim!.subjectId, 'email');
    await runtime.optOut(claim!.subjectId, 'email');
    expect((await runtime.getSubject('s-1'))!.optOuts).toEqual(['email']);
    await runtime.runUntilIdle(T0 + 2 * DAY);
    expect(project.calls()).toHaveLength(1);
    const remind = (await onlyDelivery(runtime)).find((m) => m.delivery.node === 'remind')!;
    expect(remind.attempts.map((a) => a.channel)).toEqual(['sms']);
  });

  it('keeps running instances on the graph version they started on', async () => {
    const project = makeTestProject({ subjectLine: 'v1: order {{trigger.orderId}}' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const path = join(project.root, 'state', 'herald.db');
    const clock = createVirtualClock(T0);
    const v1 = createRuntime({
      driver: createEmbeddedDriver({ path, clock: clock.now }),
      graph: project.compile(),
      projectRoot: project.root,
      clock,
      pool: { threads: 1, logLevel: 'silent' },
    });
    await v1.start();
    await v1.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await v1.ingest(shipped('o-8'));
    await v1.runUntilIdle(T0 + HOUR);
    await v1.stop();

    project.write(
      'templates/shipped.template.yaml',
      'template: shipped\nemail:\n  en:\n    subject: "v2: order {{trigger.orderId}}"\n    text: "v2"\nsms:\n  en:\n    body: "v2"\n',
    );
    const v2graph = project.compile();
    const v2 = createRuntime({ driver: createEmbeddedDriver({ path, clock: clock.now }), graph: v2graph, projectRoot: project.root, clock, pool: { threads: 1, logLevel: 'silent' } });
    await v2.start();
    cleanup.push(() => v2.stop());
    await v2.ingest(shipped('o-9'));
    await v2.runUntilIdle(T0 + 2 * DAY);
    const subjects = project.calls().map((c) => c.subject);
    // o-8 started on v1 and stays there for its reminder; o-9 starts on v2.
    expect(subjects.filter((s) => s.includes('o-8'))).toEqual(['v1: order o-8', 'v1: order o-8']);
    expect(subjects.filter((s) => s.includes('o-9'))).toEqual(['v2: order o-9', 'v2: order o-9']);
  });

  it('runs by itself in real time, and stop() finishes what is in flight', async () => {
    const { project, runtime } = await realTime();
    for (let i = 0; i < 20; i++) await runtime.ingest(shipped(`rt-${i}`));
    await waitForCalls(project, 20);
    expect(project.calls()).toHaveLength(20);
    expect(await runtime.health()).toMatchObject({ ok: true, details: { state: 'running' } });
    await runtime.stop();
    expect(await runtime.health()).toMatchObject({ ok: false, details: { state: 'stopped' } });
    await expect(runtime.ingest(shipped('late'))).rejects.toThrow(/stopped/);
  });

  it('runs the attempts a unit makes due from memory, leased in the store, and from the queue once the scheduler is full', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const run = async (concurrency: number) => {
      const inner = createEmbeddedDriver({ path: ':memory:' });
      const seen = { deliveryReads: 0, attemptsReserved: 0, leasedAttempts: 0 };
      const driver: Driver = {
        ...inner,
        getDelivery: (id) => {
          seen.deliveryReads++;
          return inner.getDelivery(id);
        },
        reserve: async (max, now, lease) => {
          const jobs = await inner.reserve(max, now, lease);
          seen.attemptsReserved += jobs.filter((j) => j.job.kind === 'attempt').length;
          return jobs;
        },
        commit: (unit) => {
          seen.leasedAttempts += (unit.enqueue ?? []).filter((e) => e.job.kind === 'attempt' && e.leasedUntil !== undefined).length;
          return inner.commit(unit);
        },
      };
      const { runtime } = await realTime({ project, driver, runtime: { concurrency } });
      const before = project.calls().length;
      // Ten subjects: one subject's events are ingested one after another, ten at once here.
      for (let i = 0; i < 10; i++) await runtime.putSubject({ id: `ho-s-${i}`, contacts: { email: `s${i}@example.com` } });
      await Promise.all(Array.from({ length: 10 }, (_, i) => runtime.ingest(shipped(`ho-${concurrency}-${i}`, `ho-s-${i}`))));
      await waitForCalls(project, before + 10);
      await runtime.stop();
      expect(project.calls().length - before).toBe(10);
      return seen;
    };
    // Room for all: every first attempt runs on the delivery its unit wrote; none is read back or reserved.
    expect(await run(64)).toEqual({ deliveryReads: 0, attemptsReserved: 0, leasedAttempts: 10 });
    // Room for two: those two run from memory, the other eight from the queue, and all are sent once.
    const tight = await run(2);
    expect(tight.leasedAttempts).toBeLessThanOrEqual(2);
    expect(tight.leasedAttempts).toBeGreaterThan(0);
    expect(tight.attemptsReserved).toBe(10 - tight.leasedAttempts);
  });

  it('with a subject.source, a message costs one query: the attempt handed over is sent on the profile its routing loaded', async () => {
    const project = makeTestProject({ crm: { 's-1': { name: 'Ann from the CRM' } }, subjectLine: 'Hello {{subject.name}}' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const { runtime } = await realTime({ project });
    const before = runtime.pool!.stats().tasks;
    await runtime.ingest(shipped('crm-1'));
    await waitForCalls(project, 1);
    await runtime.stop();
    expect(project.calls().map((c) => c.subject)).toEqual(['Hello Ann from the CRM']);
    // The routing's query and the send; the attempt did not ask the CRM again.
    expect(runtime.pool!.stats().tasks - before).toBe(2);
  });

  it('with a subject.source, a subject the source does not know gets its message on the stored profile, and no warning', async () => {
    const project = makeTestProject({ crm: { 's-1': { name: 'Ann from the CRM' } }, subjectLine: 'Hello {{subject.name}}' });
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const lines: { level: string; text: string }[] = [];
    const at = (level: string) => (text: string) => void lines.push({ level, text });
    const { runtime } = await realTime({ project, runtime: { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } } });
    await runtime.putSubject({ id: 's-2', contacts: { email: 's-2@example.com' } });
    await runtime.ingest(shipped('unknown', 's-2'));
    await waitForCalls(project, 1);
    await runtime.stop();
    expect(project.calls().map((c) => c.to)).toEqual(['s-2@example.com']);
    expect(lines.filter((l) => l.text.startsWith('subject s-2'))).toEqual([{ level: 'debug', text: 'subject s-2: not in crm.customerById; using the stored profile' }]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('tells onDelivery every delivery a committed unit wrote; an observer that throws is logged and changes nothing', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const { runtime, project } = await setup({
      runtime: {
        log: { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) },
        onDelivery: (d) => {
          seen.push(`${d.node} ${d.status} ${d.history.length}`);
          if (d.status === 'attempting') throw new Error('observer broke');
        },
      },
    });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-9'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(project.calls()).toHaveLength(1);
    // Started and made its attempt due in the event's unit, then the attempt's outcome.
    expect(seen).toEqual(['tell attempting 2', 'tell delivered 3']);
    expect(errors).toEqual([expect.stringMatching(/^onDelivery threw for delivery .*: observer broke$/)]);
    const [message] = await onlyDelivery(runtime);
    expect(message!.delivery.history.map((h) => h.note)).toEqual(['sms skipped: no address', 'email attempt 1', 'email delivered']);
  });

  it('redacts what archive.redact lists and purges by archive.retention', async () => {
    const project = makeTestProject();
    cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
    const config = readFileSync(join(project.root, 'herald.yaml'), 'utf8');
    project.write('herald.yaml', config + 'archive:\n  retention: 30d\n  redact: [content.text, vars.trigger.orderId]\n');
    const { runtime, clock } = await setup({ project });
    await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
    await runtime.ingest(shipped('o-secret'));
    await runtime.runUntilIdle(T0 + HOUR);
    // The provider got the real message; the archive keeps only what it may.
    expect(project.calls()[0]!.text).toContain('o-secret');
    const [message] = await onlyDelivery(runtime);
    expect(message!.delivery.status).toBe('delivered');
    expect(message!.contents[0]!.fields).toMatchObject({ subject: 'Order o-secret shipped', text: '[redacted]' });
    expect((message!.delivery.vars['trigger'] as Record<string, unknown>)['orderId']).toBe('[redacted]');
    expect(JSON.stringify(await runtime.getArchived(message!.delivery.id))).not.toContain('on its way');
    // The instance keeps the data while its steps may read it (the reminder), and blanks it once it has ended.
    const instanceId = message!.delivery.instanceId;
    expect(((await runtime.getInstance(instanceId))!.vars['trigger'] as Record<string, unknown>)['orderId']).toBe('o-secret');
    await runtime.runUntilIdle(T0 + 2 * DAY);
    const ended = (await runtime.getInstance(instanceId))!;
    expect(ended.status).toBe('completed');
    expect((ended.vars['trigger'] as Record<string, unknown>)['orderId']).toBe('[redacted]');

    expect(await runtime.purgeArchiveNow()).toBe(0);
    clock.set(T0 + 31 * DAY);
    expect(await runtime.purgeArchiveNow()).toBeGreaterThan(0);
    expect(await runtime.getArchived(message!.delivery.id)).toBeUndefined();
  });
});
