/**
 * Ingest records an event (its id, so a re-post is a duplicate) and routes it in the same unit,
 * so most events cost no queued job: the journeys they start are advanced, and their first
 * deliveries started, before ingest answers. When routing throws (a store error, a bug) or its
 * unit conflicts for another reason than a duplicate id (another event of the same subject
 * changed what routing read), the event is recorded with an `event` job instead, which the
 * scheduler routes and retries like any job. So it is too when the project has a
 * `subject.source`. Events of one subject are ingested one after another (`ctx.ingestOrder`):
 * routing reads the subject's instances (reentry, who waits) and the event changes them, so
 * the second of two events posted at once is routed on the state the first one left. Either
 * way, once ingest answers the event is durable. At most `ingestConcurrency` events are routed
 * at once (`ctx.ingestSlots`): a flood of posts waits as events, not as routings in flight.
 */
import { eventOrderKeys } from '../engine/event-order-keys.js';
import type { IncomingEvent } from '../engine/types.js';
import { commitUnit, type HandlerContext } from './handler-context.js';
import { unitFrom } from './instance-effects.js';
import { jobIds } from './job-ids.js';
import { countStarted, instanceEntries, routeEvent, type Routed } from './route-event.js';

export type IngestOutcome = 'ingested' | 'duplicate';

export async function ingestEvent(ctx: HandlerContext, event: IncomingEvent): Promise<IngestOutcome> {
  // Settles with a value or the error of this event alone: a failed ingest does not fail the next one of its subject.
  // A place among the events being routed first (taken in the order events come, so an earlier
  // event of the same subject has its place already), then its turn among its subject's events.
  const outcome = await ctx.ingestSlots.run(() =>
    ctx.ingestOrder.run(eventOrderKeys(ctx.graphs.current.ir, event), () => ingestInOrder(ctx, event).then((ok) => ({ ok }), (error: unknown) => ({ error }))),
  );
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}

async function ingestInOrder(ctx: HandlerContext, event: IncomingEvent): Promise<IngestOutcome> {
  // Routing loads subject profiles; with `subject.source` that is a query to another system,
  // which must not hold up (or, when it hangs, time out) the caller of POST /events.
  if (ctx.graphs.current.ir.project.subjectSource === null) {
    const routed = await recordRouted(ctx, event);
    if (routed !== 'queue') return routed;
  }
  return recordQueued(ctx, event);
}

/** Records the event with its routing in one unit; 'queue' when that did not work out. */
async function recordRouted(ctx: HandlerContext, event: IncomingEvent): Promise<IngestOutcome | 'queue'> {
  try {
    const routed = await routeEvent(ctx, event, false);
    const outcome = await commitUnit(
      ctx,
      unitFrom(routed.parts, { events: [event.id], instances: instanceEntries(routed) }),
      routed.subjects,
    );
    if (outcome.ok) {
      countStarted(ctx, routed);
      return 'ingested';
    }
    if ((await ctx.driver.eventSeen(event.id)) || (await startedBefore(ctx, routed))) return 'duplicate';
    ctx.log.debug(`event ${event.id}: routing at ingest lost a race (${outcome.conflict}); queued for the scheduler`);
  } catch (error) {
    ctx.log.warn(`event ${event.id}: routing at ingest failed (${(error as Error).message}); queued for the scheduler`);
  }
  return 'queue';
}

/**
 * Whether an instance this event would start is there already: the event was routed before,
 * and retention has since forgotten its id (but kept the instance, as it keeps the claim of a
 * `reentry: never` journey). Routing it again would start nothing, so it is a duplicate.
 */
async function startedBefore(ctx: HandlerContext, routed: Routed): Promise<boolean> {
  for (const { instance } of routed.started) if (await ctx.driver.getInstance(instance.id)) return true;
  return false;
}

/** Records the event with an `event` job: the scheduler routes it. */
async function recordQueued(ctx: HandlerContext, event: IncomingEvent): Promise<IngestOutcome> {
  const unit = {
    events: [event.id],
    enqueue: [{ id: jobIds.event(event.id), job: { kind: 'event', event }, runAt: event.receivedAt }],
  } as const;
  const queued = await ctx.driver.commit(unit);
  return queued.ok ? 'ingested' : 'duplicate';
}
