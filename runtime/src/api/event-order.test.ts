/**
 * One subject's events are routed in the order they came, on the real runtime: in a
 * `POST /events` batch (subjects at once, each subject's events in order), and when they are
 * recorded for the scheduler to route (`subject.source`). A payment that follows the event
 * starting its journey finds the journey waiting for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime } from '../orchestrator/create-runtime.js';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { createVirtualClock } from '../orchestrator/virtual-clock.js';
import { withTestPlugins } from '../testing/test-plugins.js';
import { createApiServer } from './create-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-batch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `withSource`: profiles come from a CRM (`subject.source`), so ingest records events for the scheduler to route. */
function writeProject(root: string, withSource = false, firstStep = ''): void {
  mkdirSync(join(root, 'journeys'), { recursive: true });
  const source = `sources:
  crm:
    use: "@herald/source-file"
    config: { path: crm.json }
    queries:
      customerById:
        args: { id: string }
        with: { collection: customers, key: id }
        returns: { name: string }
subject:
  fields: { name: string? }
  source: { source: crm, query: customerById }
`;
  // The test swaps the source for fixtures, but the project names the file, and must hold it to compile.
  if (withSource) writeFileSync(join(root, 'crm.json'), '{"customers": {}}');
  writeFileSync(
    join(root, 'herald.yaml'),
    `project: batch-order
defaults: { locale: en, timezone: UTC }
${withSource ? source : ''}events:
  invoice.overdue:
    fields: { subjectId: string, invoiceId: string }
  invoice.paid:
    fields: { subjectId: string, invoiceId: string }
`,
  );
  writeFileSync(
    join(root, 'journeys/dunning.journey.yaml'),
    `journey: dunning
trigger: { event: invoice.overdue }
steps:
${firstStep}  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: paid
  - exit: unpaid
  - id: paid
    exit: paid
`,
  );
}

describe('one subject’s events, in order', () => {
  it('in a POST /events batch: a payment after the event that starts its journey ends it', async () => {
    writeProject(scratch);
    const { ir, diagnostics } = loadProjectGraph(scratch);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph: ir!, projectRoot: scratch, clock, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    const server = createApiServer(runtime, {});
    try {
      const customers = Array.from({ length: 40 }, (_, i) => `c-${i}`);
      const overdue = (id: string) => ({ type: 'invoice.overdue', id: `overdue-${id}`, data: { subjectId: id, invoiceId: `INV-${id}` } });
      const paid = (id: string) => ({ type: 'invoice.paid', id: `paid-${id}`, data: { subjectId: id, invoiceId: `INV-${id}` } });
      // Every customer's overdue event, then every even customer's payment, interleaved with the others.
      const events = customers.flatMap((id, i) => (i % 2 === 0 ? [overdue(id), paid(id)] : [overdue(id)]));
      const res = await server.inject({ method: 'POST', url: '/events', payload: { events } });
      expect(res.statusCode).toBe(202);
      expect(res.json().results.map((r: { eventId: string }) => r.eventId)).toEqual(events.map((e) => e.id));
      await runtime.runUntilIdle(runtime.now());
      const instances = await runtime.findInstances({ journey: 'dunning' });
      const bySubject = new Map(instances.map((i) => [i.subjectId, i]));
      expect(bySubject.size).toBe(customers.length);
      const paidOnes = customers.filter((_, i) => i % 2 === 0);
      expect(paidOnes.map((id) => [id, bySubject.get(id)!.status])).toEqual(paidOnes.map((id) => [id, 'exited']));
      const unpaid = customers.filter((_, i) => i % 2 === 1);
      expect(unpaid.map((id) => [id, bySubject.get(id)!.status])).toEqual(unpaid.map((id) => [id, 'active']));
    } finally {
      await server.close();
      await runtime.stop();
    }
  });
  it('routes the events recorded for the scheduler (subject.source) of one subject in the order they came', async () => {
    const root = join(scratch, 'with-source');
    writeProject(root, true);
    const { ir, diagnostics } = loadProjectGraph(root);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ir!.project.subjectSource).not.toBeNull();
    const { graph } = withTestPlugins(ir!, { fixtures: { 'crm.customerById': [{ returns: { name: 'Ada' } }] }, outcomes: {} });
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph, projectRoot: root, clock, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      const customers = Array.from({ length: 20 }, (_, i) => `c-${i}`);
      for (const id of customers) {
        await runtime.ingest({ type: 'invoice.overdue', data: { subjectId: id, invoiceId: `INV-${id}` } });
        await runtime.ingest({ type: 'invoice.paid', data: { subjectId: id, invoiceId: `INV-${id}` } });
      }
      // Nothing is routed yet: all forty wait for the scheduler, which reserves them together.
      expect(await runtime.findInstances({ journey: 'dunning' })).toEqual([]);
      await runtime.runUntilIdle(runtime.now());
      const instances = await runtime.findInstances({ journey: 'dunning' });
      expect(instances.map((i) => [i.subjectId, i.status]).sort()).toEqual(customers.map((id) => [id, 'exited']).sort());
    } finally {
      await runtime.stop();
    }
  });
  it('keeps an event that comes before its instance waits for it, for the wait that takes it', async () => {
    const root = join(scratch, 'kept');
    // A reminder's hour first: the payment comes while the instance waits for the hour.
    writeProject(root, false, '  - wait: 1h\n');
    const { ir } = loadProjectGraph(root);
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph: ir!, projectRoot: root, clock, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      await runtime.ingest({ type: 'invoice.overdue', data: { subjectId: 'c-1', invoiceId: 'INV-1' } });
      await runtime.ingest({ type: 'invoice.overdue', data: { subjectId: 'c-2', invoiceId: 'INV-2' } });
      await runtime.runUntilIdle(runtime.now());
      // Paid early; another invoice's payment (c-2 waits for INV-2) is kept too, and never matches.
      await runtime.ingest({ type: 'invoice.paid', id: 'pay-1', data: { subjectId: 'c-1', invoiceId: 'INV-1' } });
      await runtime.ingest({ type: 'invoice.paid', id: 'pay-x', data: { subjectId: 'c-2', invoiceId: 'INV-other' } });
      await runtime.runUntilIdle(runtime.now());
      const [c1] = await runtime.findInstances({ subjectId: 'c-1' });
      expect(c1).toMatchObject({ status: 'active', inbox: [{ id: 'pay-1', type: 'invoice.paid' }] });
      expect(c1!.history.at(-1)!.note).toBe('kept invoice.paid (pay-1) for a later wait');
      await runtime.runUntilIdle(runtime.now() + 8 * 86_400_000);
      const after = new Map((await runtime.findInstances({ journey: 'dunning' })).map((i) => [i.subjectId, i]));
      // The hour over, the wait takes the kept payment at once; c-2's wait times out.
      expect(after.get('c-1')).toMatchObject({ status: 'exited', exitReason: 'paid' });
      expect(after.get('c-1')!.inbox).toBeUndefined();
      expect(after.get('c-1')!.history.map((h) => h.note)).toContainEqual(expect.stringMatching(/^received invoice\.paid \(pay-1\), kept since /));
      expect(after.get('c-2')).toMatchObject({ status: 'exited', exitReason: 'unpaid' });
    } finally {
      await runtime.stop();
    }
  });

  it('asks subject.source nothing for an event it only keeps; the wait that takes it later does', async () => {
    const root = join(scratch, 'kept-with-source');
    writeProject(root, true, '  - wait: 1h\n');
    const { ir } = loadProjectGraph(root);
    // The CRM knows nobody: every query of it logs that it did not know c-1, which counts them.
    const { graph } = withTestPlugins(ir!, { fixtures: { 'crm.customerById': [{}] }, outcomes: {} });
    const debug: string[] = [];
    const log = { debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {} };
    const queries = () => debug.filter((m) => m.startsWith('subject c-1: not in crm.customerById')).length;
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph, projectRoot: root, clock, log, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      await runtime.ingest({ type: 'invoice.overdue', data: { subjectId: 'c-1', invoiceId: 'INV-1' } });
      await runtime.runUntilIdle(runtime.now());
      const started = queries();
      expect(started).toBeGreaterThan(0);
      await runtime.ingest({ type: 'invoice.paid', id: 'pay-1', data: { subjectId: 'c-1', invoiceId: 'INV-1' } });
      await runtime.runUntilIdle(runtime.now());
      const [kept] = await runtime.findInstances({ subjectId: 'c-1' });
      expect(kept!.inbox?.map((e) => e.id)).toEqual(['pay-1']);
      expect(queries()).toBe(started);
      await runtime.runUntilIdle(runtime.now() + 2 * 3_600_000);
      const [done] = await runtime.findInstances({ subjectId: 'c-1' });
      expect(done).toMatchObject({ status: 'exited', exitReason: 'paid' });
      expect(queries()).toBeGreaterThan(started);
    } finally {
      await runtime.stop();
    }
  });
});
