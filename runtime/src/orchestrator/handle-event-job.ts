/**
 * `event` jobs: route one event. Journeys it triggers start (on the current graph) in this
 * job's unit, each advanced through its first steps; instances of the event's subject waiting
 * for its type each get an `instance` job with the event, so a conflict on one instance never
 * holds up the others or the new starts.
 *
 * The event's subject is `data.subjectId` (the default of `trigger.subject`); an event without
 * one is offered to every instance waiting for its type, and their `match` decides.
 */
import type { QueuedJob, UnitOfWork } from '../driver/driver.js';
import { advance } from '../engine/advance.js';
import { mayStart, newInstance, triggerCandidates, triggerCondition } from '../engine/start-instance.js';
import type { IncomingEvent, Instance } from '../engine/types.js';
import { ackOnly, commitOrConflict, loadSubject, type HandlerContext, type JobOutcome } from './handler-context.js';
import { addInstanceEffects, emptyParts, unitFrom } from './instance-effects.js';
import { startNewDeliveries } from './start-delivery.js';
import { jobIds } from './job-ids.js';

export function subjectIdOfEvent(event: IncomingEvent): string | null {
  const id = event.data['subjectId'];
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}

export async function handleEventJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'event') throw new Error(`handleEventJob got a ${job.kind} job`);
  const event = job.event;
  const graph = ctx.graphs.current;
  const now = ctx.now();
  const parts = emptyParts();
  const started: Instance[] = [];

  const candidates = triggerCandidates(graph, event);
  for (const skipped of candidates.skipped) ctx.log.debug(`event ${event.id}: ${skipped.journey} not started: ${skipped.reason}`);
  for (const c of candidates.triggered) {
    const id = jobIds.instance(c.journey, event.id);
    const subject = await loadSubject(ctx, graph, c.subjectId);
    const condition = triggerCondition(graph, c.journey, event, subject);
    if (!condition.ok) {
      ctx.log.debug(`event ${event.id}: ${c.journey} not started for ${c.subjectId}: ${condition.reason}`);
      continue;
    }
    // Started by this very event already (a retried routing job): nothing to do.
    if (await ctx.driver.getInstance(id)) continue;
    // `always` needs no look at the subject's other instances (there may be thousands).
    const existing = c.reentry === 'always' ? [] : await ctx.driver.findInstances({ journey: c.journey, subjectId: c.subjectId });
    if (!mayStart(c.reentry, existing)) {
      ctx.log.debug(`event ${event.id}: ${c.journey} not started for ${c.subjectId}: reentry ${c.reentry}`);
      continue;
    }
    const fresh = newInstance(graph, c.journey, c.subjectId, event, now, id);
    const result = advance(graph, fresh, { kind: 'start' }, { now, subject });
    started.push(result.instance);
    const firstNew = parts.deliveries.length;
    addInstanceEffects(parts, graph, result.instance, result.effects, now);
    await startNewDeliveries(ctx, graph, subject, parts, firstNew, now);
  }

  const subjectId = subjectIdOfEvent(event);
  const waiting = await ctx.driver.findInstances(subjectId === null ? { waitingFor: event.type } : { waitingFor: event.type, subjectId });
  for (const instance of waiting) {
    parts.enqueue.push({ id: jobIds.eventFor(event.id, instance.id), job: { kind: 'instance', instanceId: instance.id, input: { kind: 'event', event } }, runAt: now });
  }

  if (started.length === 0 && parts.enqueue.length === 0) return ackOnly(ctx, queued);
  const unit: UnitOfWork = unitFrom(parts, {
    instances: started.map((instance) => ({ instance, expectedSeq: null })),
    ack: [queued.id],
  });
  const outcome = await commitOrConflict(ctx, unit);
  if (outcome.kind === 'done') {
    for (const i of started) ctx.metrics.instanceTransition(i.journey, null, i.status);
  }
  return outcome;
}
