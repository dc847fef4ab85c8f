/**
 * A batch over the real runtime keeps each subject's events in order while taking subjects at
 * once: a payment posted in the same batch as the event that starts its journey finds the
 * journey waiting for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime } from '../orchestrator/create-runtime.js';
import { loadProjectGraph } from '../orchestrator/load-project-graph.js';
import { createVirtualClock } from '../orchestrator/virtual-clock.js';
import { createApiServer } from './create-server.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-batch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeProject(): void {
  mkdirSync(join(scratch, 'journeys'), { recursive: true });
  writeFileSync(
    join(scratch, 'herald.yaml'),
    `project: batch-order
defaults: { locale: en, timezone: UTC }
events:
  invoice.overdue:
    fields: { subjectId: string, invoiceId: string }
  invoice.paid:
    fields: { subjectId: string, invoiceId: string }
`,
  );
  writeFileSync(
    join(scratch, 'journeys/dunning.journey.yaml'),
    `journey: dunning
trigger: { event: invoice.overdue }
steps:
  - wait: { event: invoice.paid, match: "event.invoiceId == trigger.invoiceId", timeout: 7d }
    onEvent: paid
  - exit: unpaid
  - id: paid
    exit: paid
`,
  );
}

describe('POST /events, a batch on the real runtime', () => {
  it('applies each subject’s events in batch order: a payment after the event that starts its journey ends it', async () => {
    writeProject();
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
});
