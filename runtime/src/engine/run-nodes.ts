/**
 * Runs nodes from one id until the instance must pause (a wait, a batch, a fetch) or ends.
 * User-data problems end the instance as `failed` with a reason; they are never thrown out.
 */
import { ExprRuntimeError, formatDuration, type CompiledExpr } from '@herald/dsl';
import { assertNever } from './assert-never.js';
import type { CompiledField, CompiledLoad, CompiledNode } from './compile-graph.js';
import { describeInstant } from './describe.js';
import { currentVars, effectId, fail, note, setVar, type Run, type Stop } from './run-state.js';
import { splitArm } from './split-arm.js';
import type { DataRequest, IncomingEvent } from './types.js';

/** Nodes one advance may run: a cycle with no wait in it is stopped here (the compiler rejects such cycles too). */
export const ADVANCE_STEP_LIMIT = 1000;

/**
 * The longest chain of events emitted because of each other (an instance emits an event that
 * starts or resumes an instance that emits ...). A chain this long is a loop through `emit`
 * and a trigger or a wait, which no compile-time check can rule out: the instance that would
 * go past it fails instead of starting instances and sending messages without end.
 */
export const EMIT_DEPTH_LIMIT = 16;

/** A value an expression produced that the step cannot use; becomes the failure reason. */
export class StepValueError extends Error {
  override readonly name = 'StepValueError';
}

const COMPLETED: Stop = { status: 'completed' };

/** Run from `start` (null: the journey ends). `from` is the node that led there, for the history. */
export function runFrom(run: Run, start: string | null, from: string | null): Stop {
  let id = start;
  let last = from;
  let steps = 0;
  for (;;) {
    if (id === null) {
      note(run, last, 'completed');
      return COMPLETED;
    }
    if (++steps > ADVANCE_STEP_LIMIT) {
      return fail(run, id, `loop without a wait: more than ${ADVANCE_STEP_LIMIT} steps in one advance`);
    }
    const node = run.journey.nodes.get(id);
    if (!node) return fail(run, id, `the graph has no step \`${id}\``);
    let next: string | null | Stop;
    try {
      next = runNode(run, node);
    } catch (e) {
      return failOnError(run, id, e);
    }
    if (next !== null && typeof next === 'object') return next;
    last = id;
    id = next;
  }
}

/** `match` with the incoming event's data as `event`. */
export function matches(run: Run, match: CompiledExpr, event: IncomingEvent): boolean {
  run.scope['event'] = event.data;
  try {
    return isTrue(match, run, '`match`');
  } finally {
    run.scope['event'] = undefined;
  }
}

/**
 * Whether a wait's or batch's `match` takes `event`. A match that cannot be decided on this event
 * (a field it reads is absent: an optional one, or an event of another shape) does not take it,
 * and says so in the history: one odd event — a broadcast one reaches every waiting instance —
 * must not end the journeys that wait.
 */
export function takes(run: Run, node: string, match: CompiledExpr | null, event: IncomingEvent): boolean | 'undecided' {
  if (match === null) return true;
  try {
    return matches(run, match, event);
  } catch (e) {
    if (!(e instanceof ExprRuntimeError || e instanceof StepValueError)) throw e;
    note(run, node, `${event.type} (${event.id}) not taken: its match could not be decided (${e.message})`);
    return 'undecided';
  }
}

/** The first kept event this wait takes (removed from the inbox), or null. */
function takeKept(run: Run, node: Extract<CompiledNode, { kind: 'wait-event' }>): IncomingEvent | null {
  const inbox = run.inbox ?? run.instance.inbox ?? [];
  const index = inbox.findIndex((e) => e.type === node.ir.event && takes(run, node.ir.id, node.match, e) === true);
  if (index < 0) return null;
  run.inbox = inbox.filter((_, i) => i !== index);
  const kept = inbox[index]!;
  run.cause = Math.max(run.cause, kept.emitDepth ?? 0);
  return kept;
}

/** ExprRuntimeError and StepValueError are user-data problems: the instance fails. Anything else is a bug. */
export function failOnError(run: Run, node: string | null, e: unknown): Stop {
  const at = (reason: string) => (node === null ? reason : `at ${node}: ${reason}`);
  if (e instanceof ExprRuntimeError || e instanceof StepValueError) return fail(run, node, at(e.message));
  // Anything else is a bug in Herald (a library function that let a RangeError out). The same
  // input would throw again on every retry, holding up the event or job for good: the instance
  // fails instead, with the error in its history for the report.
  if (e instanceof Error) return fail(run, node, at(`internal error (a bug in Herald, please report it): ${e.name}: ${e.message}`));
  throw e;
}

function runNode(run: Run, node: CompiledNode): string | null | Stop {
  const id = node.ir.id;
  switch (node.kind) {
    case 'send': {
      const { template, policy } = node.ir;
      const i = run.instance;
      run.effects.push({
        kind: 'send',
        sendId: effectId(run, id),
        instanceId: i.id,
        journey: i.journey,
        version: i.version,
        node: id,
        subjectId: i.subjectId,
        template,
        policy,
        // The render context: vars plus `journey` (the worker has no instance to compute it from).
        vars: { ...currentVars(run), journey: run.meta },
      });
      note(run, id, `send ${template} (policy ${policy})`);
      return node.ir.next;
    }
    case 'wait-duration':
      return waitTimer(run, id, run.now + node.ir.ms, node.ir.next, `wait ${formatDuration(node.ir.ms)}`);
    case 'wait-until': {
      const value = node.until(run.env);
      const until = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(until)) throw new StepValueError(`\`until\` gave ${describe(value)}, not a timestamp`);
      return waitTimer(run, id, until, node.ir.next, 'wait');
    }
    case 'wait-event': {
      const { event, timeoutMs } = node.ir;
      const kept = takeKept(run, node);
      if (kept !== null) {
        if (node.ir.as !== null) setVar(run, node.ir.as, kept.data);
        note(run, id, `received ${kept.type} (${kept.id}), kept since ${describeInstant(kept.receivedAt)}`);
        return node.ir.onEvent;
      }
      const subjectId = run.instance.subjectId;
      run.effects.push({ kind: 'await', event, subjectId });
      if (timeoutMs === null) {
        note(run, id, `waiting for ${event}`);
        return { status: 'active', at: id, waiting: { kind: 'event', event, timerId: null, until: null } };
      }
      const timerId = effectId(run, id);
      const until = run.now + timeoutMs;
      run.effects.push({ kind: 'schedule', timerId, at: until });
      note(run, id, `waiting for ${event} until ${describeInstant(until)} (timeout ${formatDuration(timeoutMs)})`);
      return { status: 'active', at: id, waiting: { kind: 'event', event, timerId, until } };
    }
    case 'branch': {
      for (const arm of node.arms) {
        if (isTrue(arm.when, run, 'the condition')) {
          note(run, id, `branch: \`${arm.text}\` → ${arm.next ?? 'end'}`);
          return arm.next;
        }
      }
      note(run, id, `branch: no condition held → ${node.ir.otherwise ?? 'end'}`);
      return node.ir.otherwise;
    }
    case 'split': {
      const arms = node.ir.arms;
      const k = splitArm(`${run.instance.subjectId}:${run.instance.journey}:${id}`, arms.map((a) => a.weight), node.totalWeight);
      const arm = arms[k]!;
      note(run, id, `split: arm ${k + 1} of ${arms.length} (weight ${arm.weight}) → ${arm.next ?? 'end'}`);
      return arm.next;
    }
    case 'set': {
      for (const [name, expr] of node.vars) setVar(run, name, expr(run.env));
      note(run, id, `set ${node.vars.map(([n]) => n).join(', ')}`);
      return node.ir.next;
    }
    case 'fetch': {
      const requestId = effectId(run, id);
      run.effects.push({ kind: 'fetch', requestId, loads: evalLoads(run, node.loads) });
      note(run, id, `fetching ${node.loads.map((l) => l.name).join(', ')}`);
      return { status: 'active', at: id, waiting: { kind: 'fetch', requestId } };
    }
    case 'batch': {
      const { event, windowMs, max } = node.ir;
      const timerId = effectId(run, id);
      const until = run.now + windowMs;
      run.effects.push({ kind: 'await', event, subjectId: run.instance.subjectId }, { kind: 'schedule', timerId, at: until });
      note(run, id, `batching ${event} for ${formatDuration(windowMs)}${max === null ? '' : ` (max ${max})`}`);
      return { status: 'active', at: id, waiting: { kind: 'batch', event, timerId, until, items: [], max } };
    }
    case 'emit': {
      const depth = run.cause + 1;
      if (depth > EMIT_DEPTH_LIMIT) {
        throw new StepValueError(`emit ${node.ir.event} would be the ${depth}th event of one chain of emits (at most ${EMIT_DEPTH_LIMIT}): a loop through emit and a trigger?`);
      }
      run.effects.push({ kind: 'emit', event: { type: node.ir.event, data: evalFields(run, node.data) }, depth });
      note(run, id, `emit ${node.ir.event}`);
      return node.ir.next;
    }
    case 'exit':
      note(run, id, `exit: ${node.ir.reason}`);
      return { status: 'exited', reason: node.ir.reason };
    default:
      return assertNever(node);
  }
}

/** Pause on a timer, or go on at once when the time has come already. */
function waitTimer(run: Run, id: string, until: number, next: string | null, what: string): string | null | Stop {
  if (until <= run.now) {
    note(run, id, `${what}: ${describeInstant(until)} has passed, going on`);
    return next;
  }
  const timerId = effectId(run, id);
  run.effects.push({ kind: 'schedule', timerId, at: until });
  note(run, id, `${what} until ${describeInstant(until)}`);
  return { status: 'active', at: id, waiting: { kind: 'timer', timerId, until } };
}

export function evalLoads(run: Run, loads: readonly CompiledLoad[]): DataRequest[] {
  return loads.map((l) => ({ name: l.name, source: l.source, query: l.query, args: evalFields(run, l.args) }));
}

function evalFields(run: Run, fields: readonly CompiledField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of fields) out[name] = expr(run.env);
  return out;
}

/** A condition must give a bool: data that does not match its declared type fails rather than counting as false. */
export function isTrue(expr: CompiledExpr, run: Run, what: string): boolean {
  const v = expr(run.env);
  if (v === true || v === false) return v;
  throw new StepValueError(`${what} gave ${describe(v)}, not a bool`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}
