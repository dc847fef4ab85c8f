/**
 * Starting journeys from an event, in two phases so the orchestrator can load what each
 * phase needs between them:
 *
 * 1. `triggerCandidates(graph, event)`: the journeys this event type triggers and, for each,
 *    the subject id (`trigger.subject`, vars `{event}`). No profile needed.
 * 2. `triggerCondition(graph, journey, event, subject)`: `trigger.when` (vars `{event, subject}`)
 *    with the subject's profile, loaded by the orchestrator.
 *
 * `triggeredJourneys` does both with a synchronous profile lookup. Then, per journey:
 * `mayStart(reentry, existing instances)` (the store's answer), `newInstance`, and
 * `advance(..., { kind: 'start' })`.
 *
 * Trigger expressions are evaluated at the event's `receivedAt`: `now()` means "when the
 * event arrived", so a replayed routing job decides the same way.
 */
import { ExprRuntimeError, type JourneyIR } from '@herald/dsl';
import type { CompiledGraph, CompiledJourney } from './compile-graph.js';
import { subjectIdOf } from './event-audience.js';
import { StepValueError } from './run-nodes.js';
import { subjectWithDefaults } from './subject-defaults.js';
import type { IncomingEvent, Instance, SubjectProfile } from './types.js';

export type Reentry = JourneyIR['trigger']['reentry'];

export interface TriggeredJourney {
  readonly journey: string;
  readonly subjectId: string;
  readonly reentry: Reentry;
}

export interface SkippedTrigger {
  readonly journey: string;
  /** Known once `trigger.subject` evaluated. */
  readonly subjectId: string | null;
  /** e.g. "trigger.subject failed: `event.customerId` is not set", "trigger.when is false". */
  readonly reason: string;
}

export interface TriggerResult {
  readonly triggered: readonly TriggeredJourney[];
  readonly skipped: readonly SkippedTrigger[];
}

export type TriggerCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Phase 1: journeys whose trigger is this event type, with the subject id each names. */
export function triggerCandidates(graph: CompiledGraph, event: IncomingEvent): TriggerResult {
  const triggered: TriggeredJourney[] = [];
  const skipped: SkippedTrigger[] = [];
  for (const j of graph.triggeredBy.get(event.type) ?? []) {
    const subject = evaluateSubject(j, event);
    if (subject.ok) triggered.push({ journey: j.id, subjectId: subject.subjectId, reentry: j.ir.trigger.reentry });
    else skipped.push({ journey: j.id, subjectId: null, reason: subject.reason });
  }
  return { triggered, skipped };
}

/** Phase 2: `trigger.when` with the subject's profile (complete it with `subjectWithDefaults` first). */
export function triggerCondition(graph: CompiledGraph, journeyId: string, event: IncomingEvent, subject: SubjectProfile): TriggerCheck {
  const j = graph.journeys.get(journeyId);
  if (!j) throw new Error(`graph ${graph.version} has no journey ${journeyId}`);
  if (!j.when) return { ok: true };
  try {
    const v = j.when({ vars: { event: event.data, subject }, now: () => event.receivedAt });
    if (v === true) return { ok: true };
    if (v === false) return { ok: false, reason: 'trigger.when is false' };
    return { ok: false, reason: `trigger.when gave ${JSON.stringify(v) ?? 'nothing'}, not a bool` };
  } catch (e) {
    if (e instanceof ExprRuntimeError || e instanceof StepValueError) return { ok: false, reason: `trigger.when failed: ${e.message}` };
    throw e;
  }
}

/**
 * Both phases. `subjectOf` returns the stored profile (undefined: none yet); without it every
 * subject is a bare profile with the project's defaults.
 */
export function triggeredJourneys(
  graph: CompiledGraph,
  event: IncomingEvent,
  subjectOf?: (subjectId: string) => SubjectProfile | undefined,
): TriggerResult {
  const candidates = triggerCandidates(graph, event);
  const triggered: TriggeredJourney[] = [];
  const skipped: SkippedTrigger[] = [...candidates.skipped];
  for (const c of candidates.triggered) {
    const subject = subjectWithDefaults(graph.ir, c.subjectId, subjectOf?.(c.subjectId));
    const check = triggerCondition(graph, c.journey, event, subject);
    if (check.ok) triggered.push(c);
    else skipped.push({ journey: c.journey, subjectId: c.subjectId, reason: check.reason });
  }
  return { triggered, skipped };
}

function evaluateSubject(j: CompiledJourney, event: IncomingEvent): { ok: true; subjectId: string } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = j.subject({ vars: { event: event.data }, now: () => event.receivedAt });
  } catch (e) {
    if (e instanceof ExprRuntimeError) return { ok: false, reason: `trigger.subject failed: ${e.message}` };
    throw e;
  }
  const subjectId = subjectIdOf(v);
  if (subjectId !== null) return { ok: true, subjectId };
  return { ok: false, reason: `trigger.subject \`${j.ir.trigger.subject}\` gave ${JSON.stringify(v) ?? 'nothing'}, not a subject id` };
}

/**
 * Why the reentry rule forbids a new instance, or null when it may start. `existing`: the
 * instances of this journey for this subject that the store holds (any version, any status).
 * - `never`: one instance per subject, ever;
 * - `after-exit`: a new one once none is active;
 * - `always`: any number at once.
 */
export function reentryBlock(reentry: Reentry, existing: readonly Instance[]): string | null {
  switch (reentry) {
    case 'always':
      return null;
    case 'never': {
      const first = existing[0];
      return first ? `reentry never: instance ${first.id} (${first.status}) exists` : null;
    }
    case 'after-exit': {
      const live = existing.find((i) => i.status === 'active');
      return live ? `reentry after-exit: instance ${live.id} is still active` : null;
    }
    default:
      throw new Error(`unknown reentry ${JSON.stringify(reentry satisfies never)}`);
  }
}

export function mayStart(reentry: Reentry, existing: readonly Instance[]): boolean {
  return reentryBlock(reentry, existing) === null;
}

/** A new instance at the journey's entry; run it with `advance(graph, instance, { kind: 'start' }, ctx)`. */
export function newInstance(graph: CompiledGraph, journeyId: string, subjectId: string, event: IncomingEvent, now: number, id: string): Instance {
  const j = graph.journeys.get(journeyId);
  if (!j) throw new Error(`graph ${graph.version} has no journey ${journeyId}`);
  return {
    id,
    journey: journeyId,
    version: graph.version,
    subjectId,
    status: 'active',
    at: j.ir.entry,
    waiting: null,
    vars: { trigger: event.data },
    startedAt: now,
    updatedAt: now,
    seq: 0,
    exitReason: null,
    history: [{ at: now, node: null, note: `triggered by ${event.type} (${event.id})` }],
    ...(event.emitDepth !== undefined && event.emitDepth > 0 ? { emitDepth: event.emitDepth } : {}),
  };
}
