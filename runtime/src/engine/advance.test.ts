import { describe, expect, it } from 'vitest';
import type { GraphIR } from '@herald/dsl';
import { advance, ADVANCE_STEP_LIMIT, advanceReadsSubject, HISTORY_LIMIT, INBOX_LIMIT } from './advance.js';
import { compileGraph, type CompiledGraph } from './compile-graph.js';
import { newInstance } from './start-instance.js';
import { EMIT_DEPTH_LIMIT } from './run-nodes.js';
import { subjectWithDefaults } from './subject-defaults.js';
import { compileTestGraph } from './test-graph.js';
import type { AdvanceContext, AdvanceResult, Effect, IncomingEvent, Instance } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-02T09:00:00Z');

const FLOW = `journey: flow
trigger: { event: order.placed, when: event.amount > 0, reentry: always }
steps:
  - id: hello
    send: note
  - id: pause
    wait: 1d
  - id: until
    wait: { until: "trigger.at + 2d" }
  - id: paid
    wait: { event: order.paid, match: "event.orderId == trigger.orderId", timeout: 3d, as: payment }
    onEvent: thanks
    onTimeout: late
  - id: late
    emit: { event: order.flagged, data: { subjectId: trigger.subjectId, orderId: trigger.orderId, note: "'late by ' + string(daysBetween(trigger.at, now()))" } }
  - exit: late
  - id: thanks
    set: { total: "trigger.amount * 2", average: "total / 2", paidFor: payment.orderId }
  - id: ratio
    set: { ratio: "100 / (trigger.amount - 5)" }
`;

const ROUTING = `journey: routing
trigger: { event: item.viewed, reentry: always }
steps:
  - branch:
      - when: trigger.sku.startsWith("PRO-")
        goto: ab
      - when: trigger.sku == "free"
        goto: free
      - else: plain
  - id: ab
    split:
      - weight: 30
        goto: a
      - weight: 70
        goto: b
  - id: a
    exit: arm-a
  - id: b
    exit: arm-b
  - id: free
    send: note
  - id: plain
    exit: plain
`;

const BATCH = `journey: digest
trigger: { event: order.placed, reentry: always }
steps:
  - id: collect
    batch: { event: item.viewed, match: "event.sku != 'ignored'", window: 1h, max: 3, as: views }
  - set: { count: size(views) }
  - id: window
    batch: { event: item.viewed, window: 2h, as: later }
  - send: note
`;

const FETCH = `journey: fetcher
trigger: { event: order.paid }
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
  - id: again
    fetch:
      other: { source: crm, query: customerById, args: { id: "customer.name + '-2'" } }
  - branch:
      - when: other.segment == "vip"
        goto: vip
      - else: done
  - id: vip
    send: note
  - id: done
    exit: done
`;

const LOADING = `journey: loading
trigger: { event: item.viewed }
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
  - wait: { event: order.paid, timeout: 1d }
    onEvent: paid
  - exit: unpaid
  - id: paid
    exit: paid
`;

const ACKS = `journey: acks
trigger: { event: order.placed }
steps:
  - wait: 1h
  - id: ack
    wait: { event: order.paid, timeout: 1d }
    onTimeout: done
  - send: note
  - goto: ack
  - id: done
    exit: done
`;

const UNTIL = `journey: until
trigger: { event: order.flagged }
steps:
  - wait: { until: "timestamp(trigger.note)" }
  - send: note
`;

const ir: GraphIR = compileTestGraph({
  'journeys/flow.journey.yaml': FLOW,
  'journeys/routing.journey.yaml': ROUTING,
  'journeys/digest.journey.yaml': BATCH,
  'journeys/loading.journey.yaml': LOADING,
  'journeys/acks.journey.yaml': ACKS,
  'journeys/fetcher.journey.yaml': FETCH,
  'journeys/until.journey.yaml': UNTIL,
});
const graph = compileGraph(ir);
const subject = subjectWithDefaults(ir, 'c1', { contacts: { email: 'c1@example.com' } });

function ev(type: string, data: Record<string, unknown>, id = `${type}-1`, receivedAt = T0): IncomingEvent {
  return { id, type, data: { subjectId: 'c1', ...data }, receivedAt };
}

function ctx(now: number, s = subject): AdvanceContext {
  return { now, subject: s };
}

function started(g: CompiledGraph, journey: string, event: IncomingEvent, now = T0, id = 'i1', subjectId = 'c1'): AdvanceResult {
  return advance(g, newInstance(g, journey, subjectId, event, now, id), { kind: 'start' }, ctx(now));
}

function kinds(effects: readonly Effect[]): string[] {
  return effects.map((e) => e.kind);
}

function timerOf(i: Instance): string {
  const w = i.waiting;
  if (!w || w.kind === 'fetch' || w.timerId === null) throw new Error(`not waiting on a timer: ${JSON.stringify(w)}`);
  return w.timerId;
}

const placed = ev('order.placed', { orderId: 'o1', amount: 10, at: '2026-03-02T09:00:00Z' });

describe('advance: send and waits', () => {
  it('sends, then waits 1d on a timer', () => {
    const { instance, effects } = started(graph, 'flow', placed);
    expect(effects).toEqual([
      {
        kind: 'send',
        sendId: 'i1:hello:1',
        instanceId: 'i1',
        journey: 'flow',
        version: ir.version,
        node: 'hello',
        subjectId: 'c1',
        template: 'note',
        policy: 'standard',
        vars: { trigger: placed.data, journey: { id: 'flow', instanceId: 'i1', version: ir.version, startedAt: '2026-03-02T09:00:00.000Z' } },
      },
      { kind: 'schedule', timerId: 'i1:pause:1', at: T0 + DAY },
    ]);
    expect(instance).toMatchObject({ status: 'active', at: 'pause', seq: 1, updatedAt: T0, waiting: { kind: 'timer', timerId: 'i1:pause:1', until: T0 + DAY } });
    expect(instance.history.map((h) => h.note)).toEqual([
      'triggered by order.placed (order.placed-1)',
      `started on flow@${ir.version.slice(0, 'sha256:'.length + 12)}`,
      'send note (policy standard)',
      'wait 1d until 2026-03-03T09:00:00.000Z',
    ]);
  });

  it('wait until: schedules at the evaluated timestamp, then waits for the event with a timeout', () => {
    let r = started(graph, 'flow', placed);
    r = advance(graph, r.instance, { kind: 'timer', timerId: 'i1:pause:1' }, ctx(T0 + DAY));
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:until:2', at: T0 + 2 * DAY }]);
    r = advance(graph, r.instance, { kind: 'timer', timerId: 'i1:until:2' }, ctx(T0 + 2 * DAY));
    expect(r.effects).toEqual([
      { kind: 'await', event: 'order.paid', subjectId: 'c1' },
      { kind: 'schedule', timerId: 'i1:paid:3', at: T0 + 5 * DAY },
    ]);
    expect(r.instance.waiting).toEqual({ kind: 'event', event: 'order.paid', timerId: 'i1:paid:3', until: T0 + 5 * DAY });
  });

  it('wait until in the past goes on at once', () => {
    const late = ev('order.flagged', { orderId: 'o1', note: '2026-03-01T00:00:00Z' });
    const { instance, effects } = started(graph, 'until', late);
    expect(kinds(effects)).toEqual(['send']);
    expect(instance.status).toBe('completed');
    expect(instance.history.map((h) => h.note)).toContain('wait: 2026-03-01T00:00:00.000Z has passed, going on');
  });

  it('wait until a value that is not a timestamp fails the instance', () => {
    const { instance, effects } = started(graph, 'until', ev('order.flagged', { orderId: 'o1', note: 'soon' }));
    expect(effects).toEqual([]);
    expect(instance.status).toBe('failed');
    expect(instance.exitReason).toMatch(/^at #1: .*soon/);
  });
});

/** Run flow up to its event wait. */
function atPaidWait(): Instance {
  let r = started(graph, 'flow', placed);
  r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + DAY));
  r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + 2 * DAY));
  return r.instance;
}

describe('advance: event waits', () => {
  it('a matching event cancels the timeout, binds `as`, and runs set in dependency order', () => {
    const waiting = atPaidWait();
    const paid = ev('order.paid', { orderId: 'o1' }, 'pay-1', T0 + 3 * DAY);
    const { instance, effects } = advance(graph, waiting, { kind: 'event', event: paid }, ctx(T0 + 3 * DAY));
    expect(effects).toEqual([{ kind: 'cancel', timerId: 'i1:paid:3' }]);
    expect(instance.status).toBe('completed');
    // `average` sorts before `total` in the IR but reads it: evaluated after it.
    expect(instance.vars).toMatchObject({ payment: paid.data, total: 20, average: 10, paidFor: 'o1', ratio: 20 });
  });

  it('an event that does not match leaves the instance unchanged (same object, no effects)', () => {
    const waiting = atPaidWait();
    const other = ev('order.paid', { orderId: 'o2' });
    const r = advance(graph, waiting, { kind: 'event', event: other }, ctx(T0 + 3 * DAY));
    expect(r.instance).toBe(waiting);
    expect(r.effects).toEqual([]);
  });

  it('an event of another type is ignored', () => {
    const waiting = atPaidWait();
    const r = advance(graph, waiting, { kind: 'event', event: ev('item.viewed', { sku: 'x' }) }, ctx(T0 + 3 * DAY));
    expect(r.instance).toBe(waiting);
  });

  it('an event that comes before the wait is kept, and the wait takes the first that matches at once', () => {
    const pausing = started(graph, 'flow', placed).instance; // in its 1d pause
    const early = ev('order.paid', { orderId: 'o1' }, 'pay-1', T0 + HOUR);
    const other = ev('order.paid', { orderId: 'o2' }, 'pay-2', T0 + 2 * HOUR);
    let r = advance(graph, pausing, { kind: 'event', event: early }, ctx(T0 + HOUR));
    expect(r.effects).toEqual([]);
    expect(r.instance).toMatchObject({ status: 'active', at: 'pause', waiting: pausing.waiting, seq: pausing.seq + 1, inbox: [early] });
    expect(r.instance.history.at(-1)).toMatchObject({ node: 'pause', note: 'kept order.paid (pay-1) for a later wait' });
    // The same event again (a replayed job) is kept once.
    expect(advance(graph, r.instance, { kind: 'event', event: early }, ctx(T0 + HOUR)).instance).toBe(r.instance);
    r = advance(graph, r.instance, { kind: 'event', event: other }, ctx(T0 + 2 * HOUR));
    expect(r.instance.inbox).toEqual([early, other]);
    r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + DAY));
    r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + 2 * DAY));
    // At the event wait: the kept o1 payment matches, so no timeout is scheduled and the journey goes on.
    expect(kinds(r.effects)).not.toContain('schedule');
    expect(r.instance.status).toBe('completed');
    expect(r.instance.vars).toMatchObject({ payment: early.data, paidFor: 'o1' });
    expect(r.instance.history.map((h) => h.note)).toContain('received order.paid (pay-1), kept since 2026-03-02T10:00:00.000Z');
    expect(r.instance.inbox).toBeUndefined();
  });

  it('kept events taken one after another through a send in a loop make one delivery each', () => {
    let r = started(graph, 'acks', placed);
    for (const n of [1, 2, 3]) r = advance(graph, r.instance, { kind: 'event', event: ev('order.paid', { orderId: `o${n}` }, `pay-${n}`, T0 + n) }, ctx(T0 + n));
    expect(r.instance.inbox).toHaveLength(3);
    r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + HOUR));
    const sends = r.effects.filter((e) => e.kind === 'send');
    expect(sends).toHaveLength(3);
    expect(new Set(sends.map((e) => (e.kind === 'send' ? e.sendId : ''))).size).toBe(3);
    // The first visit keeps the id a single visit always had (replays of stored effects stay equal).
    expect(sends.map((e) => (e.kind === 'send' ? e.sendId : ''))).toEqual([`i1:#3:${r.instance.seq}`, `i1:#3:${r.instance.seq}.2`, `i1:#3:${r.instance.seq}.3`]);
    expect(r.instance).toMatchObject({ status: 'active', at: 'ack' });
  });

  it('keeps only events a wait of the journey takes, and at most INBOX_LIMIT, the oldest dropped', () => {
    const pausing = started(graph, 'flow', placed).instance;
    expect(advance(graph, pausing, { kind: 'event', event: ev('item.viewed', { sku: 'x' }) }, ctx(T0)).instance).toBe(pausing);
    let i = pausing;
    for (let n = 0; n < INBOX_LIMIT + 3; n++) i = advance(graph, i, { kind: 'event', event: ev('order.paid', { orderId: `x${n}` }, `p${n}`) }, ctx(T0)).instance;
    expect(i.inbox).toHaveLength(INBOX_LIMIT);
    expect(i.inbox![0]!.id).toBe('p3');
  });

  it('advanceReadsSubject: an event only kept reads no profile; one the instance waits for, a timer or a start may', () => {
    const pausing = started(graph, 'flow', placed).instance;
    const waiting = atPaidWait();
    const paid = ev('order.paid', { orderId: 'o1' }, 'pay-1', T0 + HOUR);
    // A profile that throws on any read: advancing on it proves nothing was read.
    const unreadable = new Proxy({} as AdvanceContext['subject'], {
      get: (_, key) => {
        throw new Error(`read subject.${String(key)}`);
      },
    });
    expect(advanceReadsSubject(pausing, { kind: 'event', event: paid })).toBe(false);
    const kept = advance(graph, pausing, { kind: 'event', event: paid }, ctx(T0 + HOUR, unreadable));
    expect(kept.instance).toEqual(advance(graph, pausing, { kind: 'event', event: paid }, ctx(T0 + HOUR)).instance);
    expect(kept.instance.inbox).toEqual([paid]);
    expect(advanceReadsSubject(waiting, { kind: 'event', event: ev('item.viewed', { sku: 'x' }) })).toBe(false);
    expect(advance(graph, waiting, { kind: 'event', event: ev('item.viewed', { sku: 'x' }) }, ctx(T0, unreadable)).instance).toBe(waiting);

    expect(advanceReadsSubject(waiting, { kind: 'event', event: paid })).toBe(true);
    expect(advanceReadsSubject(pausing, { kind: 'timer', timerId: timerOf(pausing) })).toBe(true);
    expect(advanceReadsSubject({ ...waiting, status: 'completed' }, { kind: 'timer', timerId: 'x' })).toBe(false);
  });

  it('the timeout goes to onTimeout: emit with evaluated data, then exit', () => {
    const waiting = atPaidWait();
    const { instance, effects } = advance(graph, waiting, { kind: 'timer', timerId: 'i1:paid:3' }, ctx(T0 + 5 * DAY));
    expect(effects).toEqual([{ kind: 'emit', event: { type: 'order.flagged', data: { subjectId: 'c1', orderId: 'o1', note: 'late by 5' } }, depth: 1 }]);
    expect(instance).toMatchObject({ status: 'exited', exitReason: 'late', at: null, waiting: null });
  });

  it('stale timers (another id, or the timeout after the event came) change nothing', () => {
    const waiting = atPaidWait();
    const stale = advance(graph, waiting, { kind: 'timer', timerId: 'i1:pause:1' }, ctx(T0 + 5 * DAY));
    expect(stale.instance).toBe(waiting);
    expect(stale.effects).toEqual([]);
    const done = advance(graph, waiting, { kind: 'event', event: ev('order.paid', { orderId: 'o1' }) }, ctx(T0 + 3 * DAY)).instance;
    const late = advance(graph, done, { kind: 'timer', timerId: 'i1:paid:3' }, ctx(T0 + 5 * DAY));
    expect(late.instance).toBe(done);
    expect(late.effects).toEqual([]);
  });

  it('a runtime expression error fails the instance with the message and the node', () => {
    const waiting = atPaidWait();
    const zero = { ...waiting, vars: { ...waiting.vars, trigger: { ...placed.data, amount: 5 } } };
    const { instance, effects } = advance(graph, zero, { kind: 'event', event: ev('order.paid', { orderId: 'o1' }) }, ctx(T0 + 3 * DAY));
    expect(effects).toEqual([{ kind: 'cancel', timerId: 'i1:paid:3' }]);
    expect(instance.status).toBe('failed');
    expect(instance.exitReason).toMatch(/^at ratio: .*division by zero/);
    const last = instance.history.at(-1)!;
    expect(last.node).toBe('ratio');
    expect(last.note).toMatch(/^failed: /);
  });

  it('an event its match cannot decide on is not taken, and the instance goes on waiting, saying why', () => {
    const waiting = atPaidWait();
    const odd = { id: 'x', type: 'order.paid', data: { subjectId: 'c1' }, receivedAt: T0 };
    const r = advance(graph, waiting, { kind: 'event', event: odd }, ctx(T0));
    expect(r.effects).toEqual([]);
    expect(r.instance).toMatchObject({ status: 'active', at: waiting.at, waiting: waiting.waiting, seq: waiting.seq + 1 });
    expect(r.instance.history.at(-1)!.note).toMatch(/^order\.paid \(x\) not taken: its match could not be decided \(.*orderId/);
    // The wait still takes the right one afterwards.
    const paid = advance(graph, r.instance, { kind: 'event', event: ev('order.paid', { orderId: 'o1' }, 'pay-1', T0 + DAY) }, ctx(T0 + DAY));
    expect(paid.instance.status).toBe('completed');
  });
});

describe('advance: chains of emits', () => {
  it('an emitted event is one deeper than the deepest event behind the run; past EMIT_DEPTH_LIMIT the instance fails instead', () => {
    const waiting = atPaidWait();
    // The wait times out into an emit: its depth follows the instance's trigger.
    const deep = { ...waiting, emitDepth: 3 };
    const r = advance(graph, deep, { kind: 'timer', timerId: 'i1:paid:3' }, ctx(T0 + 5 * DAY));
    expect(r.effects).toEqual([expect.objectContaining({ kind: 'emit', depth: 4 })]);
    const tooDeep = advance(graph, { ...waiting, emitDepth: EMIT_DEPTH_LIMIT }, { kind: 'timer', timerId: 'i1:paid:3' }, ctx(T0 + 5 * DAY));
    expect(tooDeep.effects).toEqual([]);
    expect(tooDeep.instance.status).toBe('failed');
    expect(tooDeep.instance.exitReason).toMatch(/a loop through emit/);
  });

  it('an instance started by an emitted event carries its depth', () => {
    const event = { ...placed, id: 'emitted-1', emitDepth: 5 };
    expect(newInstance(graph, 'flow', 'c1', event, T0, 'i9').emitDepth).toBe(5);
    expect(newInstance(graph, 'flow', 'c1', placed, T0, 'i9').emitDepth).toBeUndefined();
  });
});

describe('advance: replay and stale inputs', () => {
  it('the same input on the same instance gives identical output', () => {
    const waiting = atPaidWait();
    const input = { kind: 'event', event: ev('order.paid', { orderId: 'o1' }) } as const;
    const a = advance(graph, waiting, input, ctx(T0 + 3 * DAY));
    const b = advance(graph, waiting, input, ctx(T0 + 3 * DAY));
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const s1 = started(graph, 'flow', placed);
    const s2 = started(graph, 'flow', placed);
    expect(JSON.stringify(s2)).toBe(JSON.stringify(s1));
  });

  it('a second start, or any input for an ended instance, changes nothing', () => {
    const first = started(graph, 'flow', placed).instance;
    expect(advance(graph, first, { kind: 'start' }, ctx(T0)).instance).toBe(first);
    const ended = started(graph, 'routing', ev('item.viewed', { sku: 'other' })).instance;
    expect(ended.status).toBe('exited');
    expect(advance(graph, ended, { kind: 'start' }, ctx(T0)).instance).toBe(ended);
    expect(advance(graph, ended, { kind: 'timer', timerId: 'x' }, ctx(T0)).effects).toEqual([]);
  });

  it('refuses a graph of another version (a caller bug)', () => {
    const first = started(graph, 'flow', placed).instance;
    expect(() => advance(graph, { ...first, version: 'sha256:other' }, { kind: 'start' }, ctx(T0))).toThrow(/runs on graph sha256:other/);
  });
});

describe('advance: branch and split', () => {
  it('takes the first arm that holds, else otherwise', () => {
    expect(started(graph, 'routing', ev('item.viewed', { sku: 'free' })).effects.map((e) => e.kind)).toEqual(['send']);
    const plain = started(graph, 'routing', ev('item.viewed', { sku: 'x' })).instance;
    expect(plain.exitReason).toBe('plain');
    expect(plain.history.map((h) => h.note)).toContain('branch: no condition held → plain');
  });

  it('a split arm is stable per subject and recorded in history', () => {
    const pro = ev('item.viewed', { sku: 'PRO-1' });
    const once = started(graph, 'routing', pro, T0, 'i1', 'subject-42').instance;
    const again = started(compileGraph(JSON.parse(JSON.stringify(ir)) as GraphIR), 'routing', pro, T0 + DAY, 'i2', 'subject-42').instance;
    expect(again.exitReason).toBe(once.exitReason);
    expect(once.history.some((h) => h.node === 'ab' && /^split: arm [12] of 2 \(weight (30|70)\) → [ab]$/.test(h.note))).toBe(true);
  });

  it('splits subjects roughly by weight', () => {
    const pro = ev('item.viewed', { sku: 'PRO-1' });
    let a = 0;
    const n = 10_000;
    for (let k = 0; k < n; k++) if (started(graph, 'routing', pro, T0, `i${k}`, `customer-${k}`).instance.exitReason === 'arm-a') a++;
    expect(a / n).toBeGreaterThan(0.28);
    expect(a / n).toBeLessThan(0.32);
  });
});

describe('advance: batch', () => {
  const order = ev('order.placed', { orderId: 'o1', amount: 10, at: '2026-03-02T09:00:00Z' });
  const view = (sku: string, k: number) => ({ kind: 'event', event: ev('item.viewed', { sku }, `v${k}`) }) as const;

  it('collects matching events and goes on when max is reached', () => {
    let r = started(graph, 'digest', order);
    expect(r.effects).toEqual([
      { kind: 'await', event: 'item.viewed', subjectId: 'c1' },
      { kind: 'schedule', timerId: 'i1:collect:1', at: T0 + HOUR },
    ]);
    r = advance(graph, r.instance, view('a', 1), ctx(T0 + 1000));
    expect(r.effects).toEqual([]);
    expect(r.instance.waiting).toMatchObject({ kind: 'batch', items: [{ subjectId: 'c1', sku: 'a' }], max: 3 });
    const ignored = advance(graph, r.instance, view('ignored', 2), ctx(T0 + 2000));
    expect(ignored.instance).toBe(r.instance);
    r = advance(graph, r.instance, view('b', 3), ctx(T0 + 3000));
    r = advance(graph, r.instance, view('c', 4), ctx(T0 + 4000));
    expect(r.effects).toEqual([
      { kind: 'cancel', timerId: 'i1:collect:1' },
      { kind: 'await', event: 'item.viewed', subjectId: 'c1' },
      { kind: 'schedule', timerId: 'i1:window:4', at: T0 + 4000 + 2 * HOUR },
    ]);
    expect(r.instance.vars['count']).toBe(3);
    expect((r.instance.vars['views'] as unknown[]).map((v) => (v as { sku: string }).sku)).toEqual(['a', 'b', 'c']);
    // The old window's timer is stale now.
    expect(advance(graph, r.instance, { kind: 'timer', timerId: 'i1:collect:1' }, ctx(T0 + HOUR)).instance).toBe(r.instance);
  });

  it('goes on with what it has when the window ends (also with nothing)', () => {
    let r = started(graph, 'digest', order);
    r = advance(graph, r.instance, view('a', 1), ctx(T0 + 1000));
    r = advance(graph, r.instance, { kind: 'timer', timerId: 'i1:collect:1' }, ctx(T0 + HOUR));
    expect(r.instance.vars['count']).toBe(1);
    expect(r.instance.history.map((h) => h.note)).toContain('batch: 1 item.viewed collected, window of 1h ended');
    r = advance(graph, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + 3 * HOUR));
    expect(r.instance.vars['later']).toEqual([]);
    expect(kinds(r.effects)).toEqual(['send']);
    expect(r.instance.status).toBe('completed');
  });

  it('keeps only the last HISTORY_LIMIT history entries', () => {
    let r = started(graph, 'digest', order);
    r = advance(graph, r.instance, view('a', 1), ctx(T0));
    r = advance(graph, r.instance, view('b', 2), ctx(T0));
    r = advance(graph, r.instance, view('c', 3), ctx(T0));
    for (let k = 0; k < 150; k++) r = advance(graph, r.instance, view(`x${k}`, 10 + k), ctx(T0 + k));
    expect(r.instance.history).toHaveLength(HISTORY_LIMIT);
    expect(r.instance.history.at(-1)!.note).toBe('batched item.viewed (v159): 150');
    expect(r.instance.seq).toBe(154);
  });
});

describe('advance: data and fetch', () => {
  const paid = ev('order.paid', { orderId: 'o1' });

  it('loads the journey data first, then fetches mid-journey, merging results into vars', () => {
    let r = started(graph, 'fetcher', paid);
    expect(r.effects).toEqual([
      { kind: 'fetch', requestId: 'i1:fetch:1', loads: [{ name: 'customer', source: 'crm', query: 'customerById', args: { id: 'c1' } }] },
    ]);
    expect(r.instance.waiting).toEqual({ kind: 'fetch', requestId: 'i1:fetch:1', journeyData: true });
    const stale = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:fetch:0', result: { ok: true, data: {} } }, ctx(T0));
    expect(stale.instance).toBe(r.instance);
    r = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:fetch:1', result: { ok: true, data: { customer: { name: 'Ada', segment: 'vip' } } } }, ctx(T0));
    expect(r.effects).toEqual([
      { kind: 'fetch', requestId: 'i1:again:2', loads: [{ name: 'other', source: 'crm', query: 'customerById', args: { id: 'Ada-2' } }] },
    ]);
    r = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:again:2', result: { ok: true, data: { other: { name: 'B', segment: 'vip' }, trigger: 'ignored' } } }, ctx(T0));
    expect(kinds(r.effects)).toEqual(['send']);
    expect(r.instance.vars).toMatchObject({ trigger: paid.data, customer: { name: 'Ada' }, other: { segment: 'vip' } });
    expect(r.instance).toMatchObject({ status: 'exited', exitReason: 'done' });
  });

  it('an event kept while the journey data loads does not lose the load: the wait after it takes the event', () => {
    let r = started(graph, 'loading', ev('item.viewed', { sku: 'x' }));
    const payment = ev('order.paid', { orderId: 'o1' }, 'pay-1', T0 + 1);
    r = advance(graph, r.instance, { kind: 'event', event: payment }, ctx(T0 + 1));
    expect(r.instance).toMatchObject({ seq: 2, inbox: [payment], waiting: { kind: 'fetch', requestId: 'i1:fetch:1' } });
    r = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:fetch:1', result: { ok: true, data: { customer: { name: 'Ada' } } } }, ctx(T0 + 2));
    expect(r.instance).toMatchObject({ status: 'exited', exitReason: 'paid', vars: { customer: { name: 'Ada' }, trigger: { sku: 'x' } } });
    expect(r.effects).toEqual([]);
  });

  it('a failed data load fails the instance instead of sending without the data', () => {
    const r = started(graph, 'fetcher', paid);
    const f = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:fetch:1', result: { ok: false, error: 'crm: timeout' } }, ctx(T0));
    expect(f.effects).toEqual([]);
    expect(f.instance).toMatchObject({ status: 'failed', exitReason: 'data load failed: crm: timeout' });
  });

  it('data that lacks a field a condition reads fails the instance', () => {
    let r = started(graph, 'fetcher', paid);
    r = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:fetch:1', result: { ok: true, data: { customer: { name: 'Ada' } } } }, ctx(T0));
    r = advance(graph, r.instance, { kind: 'fetched', requestId: 'i1:again:2', result: { ok: true, data: { other: { name: 'B' } } } }, ctx(T0));
    expect(r.instance.status).toBe('failed');
    expect(r.instance.exitReason).toMatch(/^at #2: `other` has no field `segment`/);
  });
});

describe('advance: guards', () => {
  it('stops a loop without a wait after ADVANCE_STEP_LIMIT steps', () => {
    // The compiler rejects such loops; build one by editing the IR.
    const looped = JSON.parse(JSON.stringify(ir)) as { journeys: { id: string; nodes: { id: string; next?: string | null }[] }[] };
    const flow = looped.journeys.find((j) => j.id === 'flow')!;
    flow.nodes.find((n) => n.id === 'thanks')!.next = 'thanks';
    const g = compileGraph(looped as unknown as GraphIR);
    let r = started(g, 'flow', placed);
    r = advance(g, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + DAY));
    r = advance(g, r.instance, { kind: 'timer', timerId: timerOf(r.instance) }, ctx(T0 + 2 * DAY));
    r = advance(g, r.instance, { kind: 'event', event: ev('order.paid', { orderId: 'o1' }) }, ctx(T0 + 3 * DAY));
    expect(r.instance.status).toBe('failed');
    expect(r.instance.exitReason).toBe(`loop without a wait: more than ${ADVANCE_STEP_LIMIT} steps in one advance`);
  });
});

describe('advance: a step that throws what no expression should', () => {
  it('fails the instance with the error in its history, instead of throwing (the same input would throw on every retry)', () => {
    // A graph of its own: compileGraph keeps one per IR, and the node below is broken on purpose.
    const g = compileGraph(structuredClone(ir));
    const node = g.journeys.get('flow')!.nodes.get('hello')!;
    (node as { kind: string }).kind = 'set';
    (node as unknown as { vars: unknown }).vars = [['x', () => { throw new RangeError('Invalid time value'); }]];
    const r = started(g, 'flow', placed);
    expect(r.instance.status).toBe('failed');
    expect(r.instance.exitReason).toBe('at hello: internal error (a bug in Herald, please report it): RangeError: Invalid time value');
    expect(kinds(r.effects)).toEqual([]);
  });

  it('addDays out of the timestamp range is an expression error, not a RangeError', () => {
    const g = compileGraph(
      compileTestGraph({
        'journeys/far.journey.yaml': 'journey: far\ntrigger: { event: order.placed }\nsteps:\n  - set: { when: "addDays(now(), trigger.amount, \\"UTC\\")" }\n',
      }),
    );
    const r = started(g, 'far', ev('order.placed', { orderId: 'o1', amount: 100_000_000, at: '2026-03-02T09:00:00Z' }));
    expect(r.instance.status).toBe('failed');
    expect(r.instance.exitReason).toMatch(/timestamp out of range/);
  });
});

describe('advance: stopped by an operator', () => {
  it('exits where it is, with the reason, and cancels the timer of its wait', () => {
    const waiting = started(graph, 'flow', ev('order.placed', { orderId: 'o9', amount: 10, at: '2026-03-02T09:00:00Z' }, 'stop-1')).instance;
    expect(waiting).toMatchObject({ status: 'active', at: 'pause' });
    const { instance, effects } = advance(graph, waiting, { kind: 'stop', reason: 'paid by phone' }, ctx(T0 + HOUR));
    expect(effects).toEqual([{ kind: 'cancel', timerId: timerOf(waiting) }]);
    expect(instance).toMatchObject({ status: 'exited', at: null, waiting: null, exitReason: 'stopped by an operator: paid by phone', seq: waiting.seq + 1, updatedAt: T0 + HOUR });
    expect(instance.history.at(-1)).toMatchObject({ node: 'pause', note: 'stopped by an operator: paid by phone' });
    // An ended instance takes it as it takes any input: unchanged.
    const again = advance(graph, instance, { kind: 'stop', reason: 'twice' }, ctx(T0 + 2 * HOUR));
    expect(again.instance).toBe(instance);
    expect(again.effects).toEqual([]);
    expect(advanceReadsSubject(waiting, { kind: 'stop', reason: 'x' })).toBe(false);
  });
});
