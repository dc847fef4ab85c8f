/**
 * Starting journeys from an event, in two phases so the orchestrator can load what each
 * phase needs between them:
 *
 * 1. `triggerCandidates(graph, event)`: the journeys this event type triggers and, for each,
 *    the subject id (`trigger.subject`, vars `{event}`) and the key (`trigger.key`, the same
 *    vars). No profile needed.
 * 2. `triggerCondition(graph, journey, event, subject)`: `trigger.when` (vars `{event, subject}`)
 *    with the subject's profile, loaded by the orchestrator.
 *
 * `triggeredJourneys` does both with a synchronous profile lookup. Then, per journey:
 * `mayStart(reentry, existing instances, key)` (the store's answer), `newInstance`, and
 * `advance(..., { kind: 'start' })`.
 *
 * Trigger expressions are evaluated at the event's `receivedAt`: `now()` means "when the
 * event arrived", so a replayed routing job decides the same way.
 */
import { ExprRuntimeError, type JourneyIR } from '@herald/dsl';
import type { CompiledGraph, CompiledJourney } from './compile-graph.js';
import type { CompiledExpr } from '@herald/dsl';
import { subjectIdOf } from './event-audience.js';
import { StepValueError } from './run-nodes.js';
import { subjectWithDefaults } from './subject-defaults.js';
import type { IncomingEvent, Instance, SubjectProfile } from './types.js';

export type Reentry = JourneyIR['trigger']['reentry'];

export interface TriggeredJourney {
  readonly journey: string;
  readonly subjectId: string;
  readonly reentry: Reentry;
  /** `trigger.key`'s value; absent when the journey has none. */
  readonly key?: string;
}

export interface SkippedTrigger {
  readonly journey: string;
  /** Known once `trigger.subject` evaluated. */
  readonly subjectId: string | null;
  /** e.g. "trigger.subject failed: `event.customerId` is not set", "trigger.when is false". */
  readonly reason: string;
  /** Set by phase 1: which trigger expression named no subject id or no key. */
  readonly missing?: 'subject' | 'key';
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
    const subject = evaluateId(j, event, 'subject', j.subject);
    if (!subject.ok) {
      skipped.push({ journey: j.id, subjectId: null, reason: subject.reason, missing: 'subject' });
      continue;
    }
    const key = j.key ? evaluateId(j, event, 'key', j.key) : undefined;
    if (key !== undefined && !key.ok) {
      skipped.push({ journey: j.id, subjectId: subject.id, reason: key.reason, missing: 'key' });
      continue;
    }
    triggered.push({ journey: j.id, subjectId: subject.id, reentry: j.ir.trigger.reentry, ...(key !== undefined ? { key: key.id } : {}) });
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

type IdOutcome = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly reason: string };

/**
 * `trigger.subject` or `trigger.key` against the event: a non-empty string, or a number counted
 * as its decimal string (the same invoice is the same key whichever way the payload spells it).
 */
function evaluateId(j: CompiledJourney, event: IncomingEvent, which: 'subject' | 'key', expr: CompiledExpr): IdOutcome {
  let v: unknown;
  try {
    v = expr({ vars: { event: event.data }, now: () => event.receivedAt });
  } catch (e) {
    if (e instanceof ExprRuntimeError) return { ok: false, reason: `trigger.${which} failed: ${e.message}` };
    throw e;
  }
  const id = subjectIdOf(v);
  if (id !== null) return { ok: true, id };
  return { ok: false, reason: `trigger.${which} \`${j.ir.trigger[which]}\` gave ${JSON.stringify(v) ?? 'nothing'}, not a ${which === 'subject' ? 'subject id' : 'key'}` };
}

/**
 * Why the reentry rule forbids a new instance, or null when it may start. `existing`: the
 * instances of this journey for this subject that the store holds (any version, any status).
 * With a `key` (the journey's `trigger.key`) only those of the same key count, and an
 * instance without one (a journey without `key`, or one that had none when it started)
 * counts only for a start without one.
 * - `never`: one instance per subject (and key), ever;
 * - `after-exit`: a new one once none is active;
 * - `always`: any number at once.
 */
/**
 * A key as messages show it: as written when it is a plain id (`INV-1`), else quoted; cut at 40
 * characters (a key is the customer's data: a 5,000-character one must not fill a terminal).
 */
export function showKey(key: string): string {
  const cut = key.length > 40 ? `${key.slice(0, 37)}...` : key;
  return /^[\w.:@/#-]+$/.test(key) ? cut : JSON.stringify(cut);
}

export function reentryBlock(reentry: Reentry, existing: readonly Instance[], key?: string): string | null {
  // Without a key every instance of the subject counts, keyed ones too: a journey whose `key:`
  // was removed is per subject again, and those who ran it keyed have run it (reentry never).
  // With one, only that key's (and not the key-less ones of before the key was added).
  const same = (i: Instance) => key === undefined || i.key === key;
  const ofKey = key === undefined ? '' : ` (key ${showKey(key)})`;
  switch (reentry) {
    case 'always':
      return null;
    case 'never': {
      const first = existing.find(same);
      return first ? `reentry never: instance ${first.id} (${first.status}${key === undefined ? '' : `, key ${showKey(key)}`}) exists` : null;
    }
    case 'after-exit': {
      const live = existing.find((i) => i.status === 'active' && same(i));
      return live ? `reentry after-exit: instance ${live.id}${ofKey} is still active` : null;
    }
    default:
      throw new Error(`unknown reentry ${JSON.stringify(reentry satisfies never)}`);
  }
}

export function mayStart(reentry: Reentry, existing: readonly Instance[], key?: string): boolean {
  return reentryBlock(reentry, existing, key) === null;
}

/**
 * A new instance at the journey's entry; run it with `advance(graph, instance, { kind: 'start' }, ctx)`.
 * `key`: the `TriggeredJourney`'s, so the reentry rule and the store's claim can tell it apart.
 */
export function newInstance(graph: CompiledGraph, journeyId: string, subjectId: string, event: IncomingEvent, now: number, id: string, key?: string): Instance {
  const j = graph.journeys.get(journeyId);
  if (!j) throw new Error(`graph ${graph.version} has no journey ${journeyId}`);
  return {
    id,
    journey: journeyId,
    version: graph.version,
    subjectId,
    ...(key !== undefined ? { key } : {}),
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
