/** What every job handler gets: the I/O edges (driver, pool), the graphs, the clock, logs and metrics. */
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Delivery } from '../delivery/types.js';
import type { CommitOutcome, Driver, QueuedJob, UnitOfWork } from '../driver/driver.js';
import type { Instance, SubjectProfile } from '../engine/types.js';
import { subjectWithDefaults } from '../engine/subject-defaults.js';
import type { CompiledGraph } from '../engine/compile-graph.js';
import type { WorkerPool } from '../pool/worker-pool.js';
import type { GraphCache } from './graph-cache.js';
import type { LogDigest } from './log-digest.js';
import type { BoundedRuns } from './bounded-runs.js';
import type { OrderedRuns } from './ordered-runs.js';
import { handOverAttempts, type HandOverTarget } from './hand-over-attempts.js';
import type { RoutingDecision } from './route-event.js';
import type { RuntimeMetrics } from './runtime-metrics.js';
import type { EventValidator } from './validate-event.js';

export interface HandlerContext {
  readonly driver: Driver;
  readonly pool: WorkerPool;
  readonly graphs: GraphCache;
  readonly now: () => number;
  readonly log: PluginLogger;
  readonly metrics: RuntimeMetrics;
  /** Attempts sent again because an earlier run left them in flight: one warning per burst. */
  readonly resends: LogDigest;
  /** A fetch whose source keeps failing retryably is given up after this many tries. */
  readonly fetchMaxTries: number;
  /** Where attempts a unit makes due now are run from memory (hand-over-attempts.ts); none: from the queue. */
  readonly handOver?: HandOverTarget;
  /** Told every delivery a committed unit wrote (RuntimeOptions.onDelivery). */
  readonly onDelivery?: (delivery: Delivery) => void;
  /** Told every instance a committed unit wrote (RuntimeOptions.onInstance). */
  readonly onInstance?: (instance: Instance) => void;
  /** Told what routing decided about each event (RuntimeOptions.onRouted). */
  readonly onRouted?: (decision: RoutingDecision) => void;
  /** An event's data against its declared type, as ingest checks it; for events instances emit. */
  readonly validateEvent?: EventValidator;
  /** Ingest of one subject's events, one after another (ingest-event.ts). */
  readonly ingestOrder: OrderedRuns;
  /** Events being routed by ingest at once, at most (ingest-event.ts). */
  readonly ingestSlots: BoundedRuns;
}

/** How a job went: finished (its unit, ack included, is committed), lost a race, or must be tried later. */
export type JobOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string };

export const DONE: JobOutcome = Object.freeze({ kind: 'done' });

export type JobHandler = (ctx: HandlerContext, queued: QueuedJob) => Promise<JobOutcome>;

/**
 * Every unit the orchestrator writes goes through here: attempts it makes due now are handed over
 * once it commits, with the subject profiles the unit was decided on (`subjects`, by id).
 */
export async function commitUnit(ctx: HandlerContext, unit: UnitOfWork, subjects?: ReadonlyMap<string, SubjectProfile>): Promise<CommitOutcome> {
  const handOver = handOverAttempts(unit, ctx.handOver, ctx.now(), subjects);
  let committed = false;
  try {
    const outcome = await ctx.driver.commit(handOver.unit);
    committed = outcome.ok;
    if (committed && ctx.onDelivery) for (const { delivery } of handOver.unit.deliveries ?? []) tell(ctx, 'onDelivery', ctx.onDelivery, delivery, `delivery ${delivery.id}`);
    if (committed && ctx.onInstance) for (const { instance } of handOver.unit.instances ?? []) tell(ctx, 'onInstance', ctx.onInstance, instance, `instance ${instance.id}`);
    return outcome;
  } finally {
    handOver.settle(committed);
  }
}

/** An observer that throws is logged: what it watches is committed already. */
function tell<T>(ctx: HandlerContext, name: string, observer: (value: T) => void, value: T, what: string): void {
  try {
    observer(value);
  } catch (error) {
    ctx.log.error(`${name} threw for ${what}: ${(error as Error).message}`);
  }
}

export async function commitOrConflict(ctx: HandlerContext, unit: UnitOfWork, subjects?: ReadonlyMap<string, SubjectProfile>): Promise<JobOutcome> {
  const outcome = await commitUnit(ctx, unit, subjects);
  return outcome.ok ? DONE : { kind: 'conflict', reason: outcome.conflict };
}

/** Finish a job that has nothing to change (a stale timer, an input that does not apply). */
export function ackOnly(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  return commitOrConflict(ctx, { ack: [queued.id] });
}

/** The profile Herald stores for the subject, with the project's defaults; never asks `subject.source`. */
export async function storedSubject(ctx: HandlerContext, graph: CompiledGraph, id: string): Promise<SubjectProfile> {
  return subjectWithDefaults(graph.ir, id, await ctx.driver.getSubject(id));
}

/** The subject as journeys see it: the stored profile, `subject.source`'s answer merged over it, with the project's defaults. */
export async function loadSubject(ctx: HandlerContext, graph: CompiledGraph, id: string): Promise<SubjectProfile> {
  const from = graph.ir.project.subjectSource;
  if (!from) return storedSubject(ctx, graph, id);
  const stored = await ctx.driver.getSubject(id);
  // `subject.source`: the query's fields are merged over the stored profile (contacts per channel).
  const answer = await ctx.pool.run({ kind: 'query', source: from.source, query: from.query, args: { id }, attempt: 1, now: ctx.now() });
  const r = answer.result;
  if (r.ok && (r.value === null || r.value === undefined)) {
    // The source does not know this subject: normal (a CRM need not hold every recipient), so
    // not a warning per event.
    ctx.log.debug(`subject ${id}: not in ${from.source}.${from.query}; using the stored profile`);
    return subjectWithDefaults(graph.ir, id, stored);
  }
  if (!r.ok || typeof r.value !== 'object' || Array.isArray(r.value)) {
    // A profile source that is down must not stop every journey: the stored profile still holds
    // addresses, consent and preferences. The gap is logged.
    ctx.log.warn(`subject ${id}: ${from.source}.${from.query} gave no profile (${r.ok ? 'not an object' : r.reason}); using the stored profile`);
    return subjectWithDefaults(graph.ir, id, stored);
  }
  const extra = r.value as Record<string, unknown>;
  const contacts = { ...(stored?.contacts ?? {}), ...((extra['contacts'] as Record<string, string> | undefined) ?? {}) };
  return subjectWithDefaults(graph.ir, id, { ...(stored ?? { id, contacts: {}, channels: [], optOuts: [] }), ...extra, id, contacts });
}
