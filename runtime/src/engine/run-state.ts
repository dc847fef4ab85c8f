/**
 * The working state of one `advance` call: a copy-on-write view of the instance's vars,
 * the evaluation scope, the effects and history notes produced so far. `finishRun` turns
 * it and the way the run stopped into the next Instance.
 */
import type { EvalEnv } from '@herald/dsl';
import type { CompiledGraph, CompiledJourney } from './compile-graph.js';
import type { AdvanceContext, Effect, HistoryEntry, IncomingEvent, Instance, Waiting } from './types.js';

/** Instances keep only the last entries of their history. */
export const HISTORY_LIMIT = 100;

/** Events an instance keeps for a later wait at most; the oldest go first. */
export const INBOX_LIMIT = 20;

/** What an instance sees as `journey.*`. */
export interface JourneyMeta {
  readonly id: string;
  readonly instanceId: string;
  readonly version: string;
  /** ISO-8601, as every timestamp value. */
  readonly startedAt: string;
}

/** How a run of nodes ended. */
export type Stop =
  | { readonly status: 'active'; readonly at: string; readonly waiting: Waiting }
  | { readonly status: 'completed' }
  | { readonly status: 'exited'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

export interface Run {
  readonly graph: CompiledGraph;
  readonly journey: CompiledJourney;
  readonly instance: Instance;
  readonly now: number;
  /** The seq of the instance this run produces; part of every effect id it makes. */
  readonly seq: number;
  readonly meta: JourneyMeta;
  /** Variables for expressions: the instance's vars, `subject`, `journey` (and `event` during a match). */
  readonly scope: Record<string, unknown>;
  readonly env: EvalEnv;
  /** The instance's vars once a step wrote one; null while unchanged. */
  vars: Record<string, unknown> | null;
  /** The instance's inbox once this run changed it; null while unchanged. */
  inbox: IncomingEvent[] | null;
  /** The deepest `emitDepth` among the events behind this run (its trigger, the event it takes). */
  cause: number;
  /** Effect ids made per node in this run: a loop can pass a `send` more than once in one advance. */
  readonly visits: Map<string, number>;
  readonly effects: Effect[];
  readonly notes: HistoryEntry[];
}

export function startRun(graph: CompiledGraph, journey: CompiledJourney, instance: Instance, ctx: AdvanceContext): Run {
  const now = ctx.now;
  const meta: JourneyMeta = {
    id: instance.journey,
    instanceId: instance.id,
    version: instance.version,
    startedAt: new Date(instance.startedAt).toISOString(),
  };
  const scope: Record<string, unknown> = { ...instance.vars, subject: ctx.subject, journey: meta };
  return {
    graph,
    journey,
    instance,
    now,
    seq: instance.seq + 1,
    meta,
    scope,
    env: { vars: scope, now: () => now },
    vars: null,
    inbox: null,
    cause: instance.emitDepth ?? 0,
    visits: new Map(),
    effects: [],
    notes: [],
  };
}

export function setVar(run: Run, name: string, value: unknown): void {
  run.vars ??= { ...run.instance.vars };
  run.vars[name] = value;
  run.scope[name] = value;
}

export function currentVars(run: Run): Readonly<Record<string, unknown>> {
  return run.vars ?? run.instance.vars;
}

export function note(run: Run, node: string | null, text: string): void {
  run.notes.push({ at: run.now, node, note: text });
}

/**
 * An effect id stable for this visit of this node: the same on a replay of the same input. A
 * node passed again in the same run (a loop through a `send` that takes kept events without
 * pausing) gets `.2`, `.3`, ...: the same id twice would be one delivery, the second dropped.
 */
export function effectId(run: Run, node: string): string {
  const visit = (run.visits.get(node) ?? 0) + 1;
  run.visits.set(node, visit);
  const id = `${run.instance.id}:${node}:${run.seq}`;
  return visit === 1 ? id : `${id}.${visit}`;
}

export function fail(run: Run, node: string | null, reason: string): Stop {
  note(run, node, `failed: ${reason}`);
  return { status: 'failed', reason };
}

export function finishRun(run: Run, stop: Stop): Instance {
  const i = run.instance;
  const active = stop.status === 'active';
  return {
    id: i.id,
    journey: i.journey,
    version: i.version,
    subjectId: i.subjectId,
    ...(i.key !== undefined ? { key: i.key } : {}),
    status: stop.status,
    at: active ? stop.at : null,
    waiting: active ? stop.waiting : null,
    vars: currentVars(run),
    startedAt: i.startedAt,
    updatedAt: run.now,
    seq: run.seq,
    exitReason: stop.status === 'exited' || stop.status === 'failed' ? stop.reason : null,
    history: appendHistory(i.history, run.notes),
    ...inboxField(active ? (run.inbox ?? i.inbox ?? []) : []),
  };
}

function inboxField(inbox: readonly IncomingEvent[]): { inbox?: readonly IncomingEvent[] } {
  return inbox.length === 0 ? {} : { inbox: inbox.length > INBOX_LIMIT ? inbox.slice(inbox.length - INBOX_LIMIT) : inbox };
}

export function appendHistory(history: readonly HistoryEntry[], added: readonly HistoryEntry[]): readonly HistoryEntry[] {
  if (added.length === 0) return history;
  const all = history.length === 0 ? added : [...history, ...added];
  return all.length > HISTORY_LIMIT ? all.slice(all.length - HISTORY_LIMIT) : all;
}
