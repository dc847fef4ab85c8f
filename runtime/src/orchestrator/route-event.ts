/**
 * Routing one event: journeys it triggers start (on the current graph), each advanced through
 * its first steps with their deliveries started; instances of the event's subject waiting for
 * its type each get an `instance` job with the event, so a conflict on one instance never
 * holds up the others or the new starts. What routing decides is returned as unit parts; the
 * caller commits them — `ingest` together with the event itself, an `event` job with its ack.
 * Why each journey did or did not start is told to `onRouted` (`herald dev` prints it).
 * Which waiting instances an event reaches: engine/event-audience.ts.
 */
import { redactEndedInstance } from '../archive/redact.js';
import { advance, advanceReadsSubject } from '../engine/advance.js';
import { audienceOfEvent, type EventAudience } from '../engine/event-audience.js';
import type { InstanceExclusivity, UnitOfWork } from '../driver/driver.js';
import { newInstance, reentryBlock, triggerCandidates, triggerCondition, type Reentry } from '../engine/start-instance.js';
import type { CompiledGraph } from '../engine/compile-graph.js';
import type { IncomingEvent, Instance, SubjectProfile } from '../engine/types.js';
import { waitingForOf } from '../engine/waiting-for.js';
import { advanceInstance } from './advance-instance.js';
import { loadSubject, type HandlerContext } from './handler-context.js';
import { emptyParts, type UnitParts } from './instance-effects.js';
import { jobIds } from './job-ids.js';
import { addInstanceEffectsStarted } from './start-delivery.js';

export interface Routed {
  readonly parts: UnitParts;
  /** Instances this event starts, as their first advance left them, with the claim their journey's reentry makes. */
  readonly started: readonly { readonly instance: Instance; readonly exclusive?: InstanceExclusivity }[];
  /** The subject's instances this event reached, as it left them, with the seq they were read at. */
  readonly told: readonly { readonly instance: Instance; readonly expectedSeq: number; readonly before: Instance['status'] }[];
  /** The subject profiles routing decided on, by id: the attempts it starts are sent on them. */
  readonly subjects: ReadonlyMap<string, SubjectProfile>;
}

/**
 * What routing decided about one event, for RuntimeOptions.onRouted: why an event that was
 * accepted (202) started nothing is otherwise only in debug logs.
 */
export type RoutingDecision =
  | { readonly kind: 'started'; readonly event: RoutedEventRef; readonly journey: string; readonly subjectId: string; readonly instanceId: string; readonly key?: string }
  | {
      readonly kind: 'not-started';
      readonly event: RoutedEventRef;
      readonly journey: string;
      /** Null when `trigger.subject` named none. */
      readonly subjectId: string | null;
      /** `no-key`: the journey has a `trigger.key` and the event gave none. */
      readonly cause: 'no-subject-id' | 'no-key' | 'condition' | 'reentry';
      /** "trigger.when is false", "reentry after-exit: instance … (key INV-1) is still active". */
      readonly reason: string;
    }
  /** A journey waits for this type, but the event carries no subject id where its declaration says. */
  | { readonly kind: 'no-subject-id'; readonly event: RoutedEventRef; readonly path: string }
  /**
   * A subject's instance it reached: `taken` by the step waiting for it, `kept` for a later wait,
   * or `ignored` (the waiting step's `match` is false for it, or the instance neither waits for
   * nor keeps it now; `waiting` says which).
   */
  | {
      readonly kind: 'reached';
      readonly event: RoutedEventRef;
      readonly journey: string;
      readonly subjectId: string;
      readonly instanceId: string;
      readonly at: string | null;
      readonly outcome: 'taken' | 'kept' | 'ignored';
      readonly waiting: boolean;
    }
  /** No journey starts on its type and no instance was waiting for it; `awaited`: a journey of the graph waits for the type. */
  | { readonly kind: 'unheard'; readonly event: RoutedEventRef; readonly subjectId: string | null; readonly awaited: boolean };

export interface RoutedEventRef {
  readonly id: string;
  readonly type: string;
}

/** What a new instance claims in the store, so two events routed at once cannot both start it. */
function exclusivityOf(reentry: Reentry): InstanceExclusivity | undefined {
  switch (reentry) {
    case 'never':
      return 'once';
    case 'after-exit':
      return 'while-active';
    case 'always':
      return undefined;
  }
}

/** The instance rows a routing writes: the ones it starts and the ones it told. */
export function instanceEntries(routed: Routed): NonNullable<UnitOfWork['instances']> {
  return [
    ...routed.started.map(({ instance, exclusive }) => ({ instance, expectedSeq: null, ...(exclusive ? { exclusive } : {}) })),
    ...routed.told.map(({ instance, expectedSeq }) => ({ instance, expectedSeq })),
  ];
}

/** Whether routing changed anything beyond recording the event. */
export function routedAnything(routed: Routed): boolean {
  return routed.started.length > 0 || routed.told.length > 0 || routed.parts.enqueue.length > 0;
}

/**
 * `repeat`: whether this event may have been routed before (an `event` job runs again after a
 * crash or a conflict). Ingest routes in the unit that records the event id, so never twice:
 * it skips the look for instances this very event started.
 */
export async function routeEvent(ctx: HandlerContext, event: IncomingEvent, repeat: boolean): Promise<Routed> {
  const graph = ctx.graphs.current;
  const now = ctx.now();
  const parts = emptyParts();
  const started: { instance: Instance; exclusive?: InstanceExclusivity }[] = [];
  const subjects = new Map<string, SubjectProfile>();
  const decisions: RoutingDecision[] = [];
  const ref: RoutedEventRef = { id: event.id, type: event.type };

  const candidates = triggerCandidates(graph, event);
  for (const skipped of candidates.skipped) {
    ctx.log.debug(`event ${event.id}: ${skipped.journey} not started: ${skipped.reason}`);
    const cause = skipped.missing === 'key' ? 'no-key' : 'no-subject-id';
    decisions.push({ kind: 'not-started', event: ref, journey: skipped.journey, subjectId: skipped.subjectId, cause, reason: skipped.reason });
  }
  for (const c of candidates.triggered) {
    const id = jobIds.instance(c.journey, event.id);
    const subject = await loadSubject(ctx, graph, c.subjectId);
    subjects.set(c.subjectId, subject);
    const condition = triggerCondition(graph, c.journey, event, subject);
    if (!condition.ok) {
      ctx.log.debug(`event ${event.id}: ${c.journey} not started for ${c.subjectId}: ${condition.reason}`);
      decisions.push({ kind: 'not-started', event: ref, journey: c.journey, subjectId: c.subjectId, cause: 'condition', reason: condition.reason });
      continue;
    }
    // Started by this very event already (a retried routing job): nothing to do.
    if (repeat && (await ctx.driver.getInstance(id))) continue;
    // `always` needs no look at the subject's other instances (there may be thousands).
    const existing = c.reentry === 'always' ? [] : await ctx.driver.findInstances({ journey: c.journey, subjectId: c.subjectId });
    const blocked = reentryBlock(c.reentry, existing, c.key);
    if (blocked !== null) {
      ctx.log.debug(`event ${event.id}: ${c.journey} not started for ${c.subjectId}: ${blocked}`);
      decisions.push({ kind: 'not-started', event: ref, journey: c.journey, subjectId: c.subjectId, cause: 'reentry', reason: blocked });
      continue;
    }
    const fresh = newInstance(graph, c.journey, c.subjectId, event, now, id, c.key);
    const result = advance(graph, fresh, { kind: 'start' }, { now, subject });
    const exclusive = exclusivityOf(c.reentry);
    started.push({ instance: redactEndedInstance(result.instance, graph.ir.project.archive.redact), ...(exclusive ? { exclusive } : {}) });
    decisions.push({ kind: 'started', event: ref, journey: c.journey, subjectId: c.subjectId, instanceId: id, ...(c.key === undefined ? {} : { key: c.key }) });
    await addInstanceEffectsStarted(ctx, parts, graph, result.instance, result.effects, subject, now);
  }

  const audience = audienceOfEvent(graph.ir, event);
  const awaited = graph.awaitedBy.has(event.type);
  const missesSubject = audience.kind === 'nobody' && awaited;
  if (audience.kind === 'nobody') ctx.log.debug(`event ${event.id}: no subject id at ${audience.path}; it reaches no waiting instance`);
  if (missesSubject) decisions.push({ kind: 'no-subject-id', event: ref, path: audience.path });
  const told = await instancesToTell(ctx, event, audience);
  const applied: { instance: Instance; expectedSeq: number; before: Instance['status'] }[] = [];
  for (const instance of told) {
    // The subject's own instances take the event in this unit, so the next event of the subject
    // is routed on the state this one leaves (a restart `after-exit` allows once it ended the
    // instance, a `batch` it opened). A broadcast reaches any number of subjects' instances:
    // each gets a job of its own, so a conflict on one holds up no other.
    if (audience.kind === 'subject') {
      const taken = await applyEvent(ctx, instance, event, now, parts, subjects);
      if (taken) applied.push(taken);
      // Worked out only for a listener (herald dev): it compares the instance before and after.
      if (ctx.onRouted) decisions.push({
        kind: 'reached',
        event: ref,
        journey: instance.journey,
        subjectId: instance.subjectId,
        instanceId: instance.id,
        at: instance.at,
        outcome: reachedOutcome(instance, taken?.instance),
        waiting: waitingForOf(instance) === event.type,
      });
    } else {
      parts.enqueue.push({ id: jobIds.eventFor(event.id, instance.id), job: { kind: 'instance', instanceId: instance.id, input: { kind: 'event', event } }, runAt: now });
    }
  }
  const journeysOnIt = candidates.triggered.length + candidates.skipped.length;
  if (journeysOnIt === 0 && told.length === 0 && !missesSubject) {
    ctx.log.debug(`event ${event.id}: ${awaited ? 'no instance was waiting for it' : `no journey starts on ${event.type} or waits for it`}`);
    decisions.push({ kind: 'unheard', event: ref, subjectId: audience.kind === 'subject' ? audience.subjectId : null, awaited });
  }
  if (ctx.onRouted) await tellRouted(ctx, ctx.onRouted, event, repeat, decisions);
  return { parts, started, told: applied, subjects };
}

/** What the event did to an instance: a longer inbox is a kept event; a moved step, status or wait (a batch's items) a taken one; a note alone (a `match` that could not be decided) nothing. */
function reachedOutcome(before: Instance, after: Instance | undefined): 'taken' | 'kept' | 'ignored' {
  if (after === undefined) return 'ignored';
  if ((after.inbox?.length ?? 0) > (before.inbox?.length ?? 0)) return 'kept';
  const moved = after.status !== before.status || after.at !== before.at || JSON.stringify(after.waiting) !== JSON.stringify(before.waiting);
  return moved ? 'taken' : 'ignored';
}

/** One instance takes the event now, as an `instance` job would; undefined when it leaves the instance as it was. */
async function applyEvent(
  ctx: HandlerContext,
  instance: Instance,
  event: IncomingEvent,
  now: number,
  parts: UnitParts,
  subjects: Map<string, SubjectProfile>,
): Promise<{ instance: Instance; expectedSeq: number; before: Instance['status'] } | undefined> {
  const input = { kind: 'event', event } as const;
  const advanced = await advanceInstance(ctx, instance, input, now, parts, subjects.get(instance.subjectId));
  if (!advanced) return undefined;
  if (advanceReadsSubject(instance, input)) subjects.set(instance.subjectId, advanced.subject);
  return { instance: advanced.instance, expectedSeq: instance.seq, before: instance.status };
}

/**
 * Told before the caller commits, so a routing that loses a race and runs again tells again.
 * A re-posted event id is not told at all: ingest answers it as a duplicate, and a "not
 * started: reentry" about the instance that very event started would mislead.
 */
async function tellRouted(
  ctx: HandlerContext,
  onRouted: (decision: RoutingDecision) => void,
  event: IncomingEvent,
  repeat: boolean,
  decisions: readonly RoutingDecision[],
): Promise<void> {
  if (!repeat && (await ctx.driver.eventSeen(event.id))) return;
  for (const decision of decisions) {
    try {
      onRouted(decision);
    } catch (error) {
      ctx.log.error(`onRouted threw for event ${event.id}: ${(error as Error).message}`);
    }
  }
}

/**
 * The instances an event goes to: those waiting for its type and the subject's other active
 * instances whose own graph version has a `wait` for it, which keep it for that wait
 * (engine/advance.ts `keep`) — loading data or sending when it comes, they would miss it.
 * Whether to look at the subject's active instances at all is decided by every loaded version
 * (GraphCache.keepers: the current one and those of instances active at start), not only the
 * current graph: an instance on an earlier version may wait for a type the current one no
 * longer does. A type no version waits for costs what it did: the waiting-for lookup.
 */
async function instancesToTell(ctx: HandlerContext, event: IncomingEvent, audience: EventAudience): Promise<readonly Instance[]> {
  if (audience.kind === 'nobody') return [];
  if (audience.kind === 'any-subject') return ctx.driver.findInstances({ waitingFor: event.type });
  const keepers = ctx.graphs.keepers(event.type);
  if (keepers.size === 0) return ctx.driver.findInstances({ waitingFor: event.type, subjectId: audience.subjectId });
  // One look at the subject's active instances answers both.
  const active = await ctx.driver.findInstances({ subjectId: audience.subjectId, status: 'active' });
  const told: Instance[] = [];
  for (const instance of active) {
    if (waitingForOf(instance) === event.type) told.push(instance);
    else if (keepers.has(instance.journey)) {
      // Its own version decides (the current graph's journey of that id may wait for it or not).
      const own = ctx.graphs.peek(instance.version) ?? (await graphOrNone(ctx, instance.version));
      if (own?.journeys.get(instance.journey)?.awaits.has(event.type)) told.push(instance);
    }
  }
  return told;
}

/**
 * A version loadGraphCache could not load (a corrupt store) is asked for again; when it still
 * does not load, its instance is not told: its own jobs fail on that version anyway.
 */
async function graphOrNone(ctx: HandlerContext, version: string): Promise<CompiledGraph | undefined> {
  try {
    return await ctx.graphs.get(version);
  } catch {
    return undefined;
  }
}

/** After the routing's unit committed. */
export function countStarted(ctx: HandlerContext, routed: Routed): void {
  for (const { instance } of routed.started) ctx.metrics.instanceTransition(instance.journey, null, instance.status);
  for (const { instance, before } of routed.told) ctx.metrics.instanceTransition(instance.journey, before, instance.status);
}
