/**
 * `event` jobs: route one event (route-event.ts) and commit what routing decided with the
 * job's ack. Ingest routes most events at once, in the unit that records them; an event lands
 * here when that did not work out (a conflict, an error while routing) and for events that
 * instances emit.
 */
import type { QueuedJob, UnitOfWork } from '../driver/driver.js';
import { ackOnly, commitOrConflict, type HandlerContext, type JobOutcome } from './handler-context.js';
import { unitFrom } from './instance-effects.js';
import { countStarted, instanceEntries, routeEvent, routedAnything } from './route-event.js';

export async function handleEventJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'event') throw new Error(`handleEventJob got a ${job.kind} job`);
  // An emitted event passed the compiler's type check, but values typed `any` are only known
  // now: one that does not fit its declared type would fail the journeys it reaches later, far
  // from the step that made it. It is not routed; the log names the fields.
  if (job.event.emitDepth !== undefined && ctx.validateEvent) {
    const errors = ctx.validateEvent(job.event.type, job.event.data);
    if (errors.length > 0) {
      ctx.metrics.eventsRejected.inc({ type: job.event.type });
      ctx.log.error(`emitted event ${job.event.id} (${job.event.type}) does not match its declared type, not routed: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      return ackOnly(ctx, queued);
    }
  }
  const routed = await routeEvent(ctx, job.event, true);
  if (!routedAnything(routed)) return ackOnly(ctx, queued);
  const unit: UnitOfWork = unitFrom(routed.parts, {
    instances: instanceEntries(routed),
    ack: [queued.id],
  });
  const outcome = await commitOrConflict(ctx, unit, routed.subjects);
  if (outcome.kind === 'done') countStarted(ctx, routed);
  return outcome;
}
