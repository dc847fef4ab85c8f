/**
 * The engine: `advance(graph, instance, input, ctx) -> { instance, effects }`, a pure state
 * machine with a virtual clock (`ctx.now`). It runs nodes from where the instance is until it
 * must pause or ends, and says what the world should do in effects.
 *
 * - Deterministic: the same input on the same instance gives the same output (effect ids are
 *   built from instance id, node and seq), so a driver may replay an input after a crash.
 * - An input that does not apply (a stale timer, an event that does not match, a second
 *   `start`, anything for an ended instance) returns the same instance object and no effects.
 * - User-data problems (an expression failing at run time, a data load error) end the
 *   instance as `failed` with a reason; `advance` throws only on bugs (a graph that is not
 *   the instance's version, a journey the graph does not have).
 */
import { formatDuration } from '@herald/dsl';
import { assertNever } from './assert-never.js';
import type { CompiledGraph, CompiledJourney, CompiledNode } from './compile-graph.js';
import { shortVersion } from './describe.js';
import { evalLoads, failOnError, runFrom, takes } from './run-nodes.js';
import { fail, finishRun, note, setVar, startRun, type Run, type Stop } from './run-state.js';
import type { AdvanceContext, AdvanceResult, EngineInput, FetchResult, IncomingEvent, Instance, Waiting } from './types.js';

export { HISTORY_LIMIT, INBOX_LIMIT } from './run-state.js';
export { ADVANCE_STEP_LIMIT } from './run-nodes.js';

const NO_EFFECTS: AdvanceResult['effects'] = Object.freeze([]);

export function advance(graph: CompiledGraph, instance: Instance, input: EngineInput, ctx: AdvanceContext): AdvanceResult {
  if (instance.status !== 'active') return unchanged(instance);
  if (instance.version !== graph.version) {
    throw new Error(`instance ${instance.id} runs on graph ${instance.version}, not ${graph.version}: advance it with its own version`);
  }
  const journey = graph.journeys.get(instance.journey);
  if (!journey) throw new Error(`graph ${graph.version} has no journey ${instance.journey} (instance ${instance.id})`);

  const resumed = resume(graph, journey, instance, input, ctx);
  if (!resumed) return unchanged(instance);
  return { instance: finishRun(resumed.run, resumed.stop), effects: resumed.run.effects };
}

/**
 * Whether advancing `instance` with `input` may read the subject's profile. An event the
 * instance is not waiting for is only kept for a later wait (or dropped), which reads nothing:
 * a caller whose profiles come from another system (`subject.source`) need not ask it.
 */
export function advanceReadsSubject(instance: Instance, input: EngineInput): boolean {
  if (instance.status !== 'active' || input.kind === 'stop') return false;
  return input.kind !== 'event' || waitsFor(instance.waiting, input.event.type) !== null;
}

/** The instance's event wait or batch for events of `type`, if it is in one. */
function waitsFor(w: Waiting | null, type: string): Extract<Waiting, { kind: 'event' | 'batch' }> | null {
  return w !== null && (w.kind === 'event' || w.kind === 'batch') && w.event === type ? w : null;
}

/**
 * An event the wait or batch does not take: one that does not match leaves the instance as it
 * was; one whose match could not be decided leaves it waiting as it was, the history saying why.
 */
function notTaken(run: Run, verdict: false | 'undecided'): Resumed {
  if (verdict === false) return null;
  const { instance } = run;
  return { run, stop: { status: 'active', at: instance.at!, waiting: instance.waiting! } };
}

function unchanged(instance: Instance): AdvanceResult {
  return { instance, effects: NO_EFFECTS };
}

type Resumed = { readonly run: Run; readonly stop: Stop } | null;

/** Decide what the input means for the instance; null when it does not apply. */
function resume(graph: CompiledGraph, journey: CompiledJourney, instance: Instance, input: EngineInput, ctx: AdvanceContext): Resumed {
  const w = instance.waiting;
  switch (input.kind) {
    case 'start':
      if (w !== null || instance.seq !== 0) return null;
      return start(startRun(graph, journey, instance, ctx));
    case 'timer':
      if (w === null || w.kind === 'fetch' || w.timerId !== input.timerId) return null;
      return onTimer(startRun(graph, journey, instance, ctx), w);
    case 'event': {
      const waited = waitsFor(w, input.event.type);
      if (waited !== null) {
        const run = startRun(graph, journey, instance, ctx);
        run.cause = Math.max(run.cause, input.event.emitDepth ?? 0);
        return onEvent(run, waited, input.event);
      }
      return journey.awaits.has(input.event.type) ? keep(startRun(graph, journey, instance, ctx), input.event) : null;
    }
    case 'fetched':
      if (w === null || w.kind !== 'fetch' || w.requestId !== input.requestId) return null;
      return onFetched(startRun(graph, journey, instance, ctx), input);
    case 'stop':
      return stopped(startRun(graph, journey, instance, ctx), w, input.reason);
    default:
      return assertNever(input);
  }
}

/**
 * Stopped by an operator: the instance exits where it is, and the timer of its wait is cancelled.
 * A data load in flight comes back to an ended instance, which takes nothing more.
 */
function stopped(run: Run, w: Waiting | null, reason: string): Resumed {
  if (w !== null && w.kind !== 'fetch' && w.timerId !== null) run.effects.push({ kind: 'cancel', timerId: w.timerId });
  const why = `stopped by an operator${reason === '' ? '' : `: ${reason}`}`;
  note(run, run.instance.at, why);
  return { run, stop: { status: 'exited', reason: why } };
}

/** The journey's `data:` first (requestId `<instance>:fetch:<seq>`), then the entry node. */
function start(run: Run): Resumed {
  const { journey, instance } = run;
  note(run, null, `started on ${journey.id}@${shortVersion(instance.version)}`);
  if (journey.data.length === 0) return { run, stop: runFrom(run, journey.ir.entry, null) };
  try {
    const requestId = `${instance.id}:fetch:${run.seq}`;
    run.effects.push({ kind: 'fetch', requestId, loads: evalLoads(run, journey.data) });
    note(run, null, `loading ${journey.data.map((d) => d.name).join(', ')}`);
    return { run, stop: { status: 'active', at: journey.ir.entry, waiting: { kind: 'fetch', requestId, journeyData: true } } };
  } catch (e) {
    return { run, stop: failOnError(run, null, e) };
  }
}

function onTimer(run: Run, w: Exclude<Waiting, { kind: 'fetch' }>): Resumed {
  const node = nodeAt(run);
  switch (w.kind) {
    case 'timer':
      if (node?.kind !== 'wait-duration' && node?.kind !== 'wait-until') return { run, stop: wrongNode(run, 'a wait') };
      note(run, node.ir.id, 'wait over');
      return { run, stop: runFrom(run, node.ir.next, node.ir.id) };
    case 'event':
      if (node?.kind !== 'wait-event') return { run, stop: wrongNode(run, 'an event wait') };
      note(run, node.ir.id, `timed out waiting for ${w.event}`);
      return { run, stop: runFrom(run, node.ir.onTimeout, node.ir.id) };
    case 'batch':
      if (node?.kind !== 'batch') return { run, stop: wrongNode(run, 'a batch') };
      return flushBatch(run, node, w.items, `window of ${formatDuration(node.ir.windowMs)} ended`);
    default:
      return assertNever(w);
  }
}

function onEvent(run: Run, w: Extract<Waiting, { kind: 'event' | 'batch' }>, event: IncomingEvent): Resumed {
  const node = nodeAt(run);
  const id = run.instance.at;
  if (w.kind === 'event') {
    if (node?.kind !== 'wait-event') return { run, stop: wrongNode(run, 'an event wait') };
    const verdict = takes(run, node.ir.id, node.match, event);
    if (verdict !== true) return notTaken(run, verdict);
    if (w.timerId !== null) run.effects.push({ kind: 'cancel', timerId: w.timerId });
    if (node.ir.as !== null) setVar(run, node.ir.as, event.data);
    note(run, id, `received ${event.type} (${event.id})`);
    return { run, stop: runFrom(run, node.ir.onEvent, id) };
  }
  if (node?.kind !== 'batch') return { run, stop: wrongNode(run, 'a batch') };
  const verdict = takes(run, node.ir.id, node.match, event);
  if (verdict !== true) return notTaken(run, verdict);
  const items = [...w.items, event.data];
  if (w.max !== null && items.length >= w.max) {
    run.effects.push({ kind: 'cancel', timerId: w.timerId });
    return flushBatch(run, node, items, `max ${w.max} reached`);
  }
  note(run, id, `batched ${event.type} (${event.id}): ${items.length}${w.max === null ? '' : ` of max ${w.max}`}`);
  return { run, stop: { status: 'active', at: node.ir.id, waiting: { ...w, items } } };
}

/**
 * An event the instance does not wait for now, of a type a `wait` of its journey waits for
 * (CompiledJourney.awaits): kept for that wait, which it may come before — while the instance
 * loads its data, sends, or waits for something else. Null (ignored) when it is kept already.
 */
function keep(run: Run, event: IncomingEvent): Resumed {
  const { instance } = run;
  if (instance.status !== 'active' || instance.waiting === null || instance.at === null) return null;
  const inbox = instance.inbox ?? [];
  if (inbox.some((e) => e.id === event.id)) return null;
  run.inbox = [...inbox, event];
  note(run, instance.at, `kept ${event.type} (${event.id}) for a later wait`);
  return { run, stop: { status: 'active', at: instance.at, waiting: instance.waiting } };
}

function flushBatch(run: Run, node: Extract<CompiledNode, { kind: 'batch' }>, items: readonly unknown[], why: string): Resumed {
  setVar(run, node.ir.as, items);
  note(run, node.ir.id, `batch: ${items.length} ${node.ir.event} collected, ${why}`);
  return { run, stop: runFrom(run, node.ir.next, node.ir.id) };
}


function onFetched(run: Run, input: Extract<EngineInput, { kind: 'fetched' }>): Resumed {
  const { journey, instance } = run;
  // The journey's own `data:` (marked since events can be kept meanwhile, which moves the seq on;
  // an instance stored before the mark loads it at seq 1, the only fetch start can leave pending).
  const w = instance.waiting;
  if (journey.data.length > 0 && ((w?.kind === 'fetch' && w.journeyData === true) || instance.seq === 1)) {
    return loaded(run, input.result, null, journey.data.map((d) => d.name), instance.at);
  }
  const node = nodeAt(run);
  if (node?.kind !== 'fetch') return { run, stop: wrongNode(run, 'a fetch') };
  return loaded(run, input.result, node.ir.id, node.loads.map((l) => l.name), node.ir.next);
}

function loaded(run: Run, result: FetchResult, at: string | null, names: readonly string[], next: string | null): Resumed {
  if (!result.ok) {
    // Sending with missing data would put blanks or wrong content in front of a customer: stop instead.
    return { run, stop: fail(run, at, `data load failed: ${result.error}`) };
  }
  for (const name of names) setVar(run, name, Object.prototype.hasOwnProperty.call(result.data, name) ? (result.data[name] ?? null) : null);
  note(run, at, `loaded ${names.join(', ')}`);
  return { run, stop: runFrom(run, next, at) };
}

function nodeAt(run: Run): CompiledNode | undefined {
  const at = run.instance.at;
  return at === null ? undefined : run.journey.nodes.get(at);
}

/** The instance waits in a node of another kind: the stored state does not fit this graph. */
function wrongNode(run: Run, expected: string): Stop {
  return fail(run, run.instance.at, `the instance waits at \`${run.instance.at}\`, which is not ${expected} in this graph`);
}
