import { describe, expect, it } from 'vitest';
import { compileGraph } from './compile-graph.js';
import { mayStart, newInstance, reentryBlock, triggerCandidates, triggerCondition, triggeredJourneys } from './start-instance.js';
import { subjectWithDefaults } from './subject-defaults.js';
import { compileTestGraph } from './test-graph.js';
import type { IncomingEvent, Instance } from './types.js';

const ir = compileTestGraph({
  'journeys/a.journey.yaml': `journey: a
trigger: { event: order.placed, when: "event.amount > 100 && subject.locale == 'de'", reentry: after-exit }
steps:
  - send: note
`,
  'journeys/b.journey.yaml': `journey: b
trigger: { event: order.placed, subject: "'order-' + event.orderId", reentry: always }
steps:
  - send: note
`,
  'journeys/c.journey.yaml': `journey: c
trigger: { event: order.paid }
steps:
  - send: note
`,
});
const graph = compileGraph(ir);
const T0 = Date.parse('2026-05-01T10:00:00Z');
const placed = (data: Record<string, unknown>): IncomingEvent => ({ id: 'e1', type: 'order.placed', data, receivedAt: T0 });

describe('triggers', () => {
  it('phase 1: journeys of the event type with the subject each names', () => {
    const r = triggerCandidates(graph, placed({ subjectId: 'c1', orderId: 'o9', amount: 500, at: '2026-05-01T10:00:00Z' }));
    expect(r.triggered).toEqual([
      { journey: 'a', subjectId: 'c1', reentry: 'after-exit' },
      { journey: 'b', subjectId: 'order-o9', reentry: 'always' },
    ]);
    expect(r.skipped).toEqual([]);
    expect(triggerCandidates(graph, { id: 'x', type: 'item.viewed', data: {}, receivedAt: T0 }).triggered).toEqual([]);
  });

  it('a subject expression that fails or gives no id skips the journey with a reason', () => {
    const r = triggerCandidates(graph, placed({ orderId: 'o9', amount: 500 }));
    expect(r.triggered.map((t) => t.journey)).toEqual(['b']);
    expect(r.skipped).toEqual([{ journey: 'a', subjectId: null, reason: 'trigger.subject failed: `event` has no field `subjectId`', missing: 'subject' }]);
    const empty = triggerCandidates(graph, placed({ subjectId: '', orderId: 'o', amount: 1 }));
    expect(empty.skipped[0]!.reason).toBe('trigger.subject `event.subjectId` gave "", not a subject id');
  });

  it('phase 2: `when` sees the event and the subject profile', () => {
    const event = placed({ subjectId: 'c1', orderId: 'o9', amount: 500 });
    const de = subjectWithDefaults(ir, 'c1', { locale: 'de' });
    const en = subjectWithDefaults(ir, 'c1', { locale: 'en' });
    expect(triggerCondition(graph, 'a', event, de)).toEqual({ ok: true });
    expect(triggerCondition(graph, 'a', event, en)).toEqual({ ok: false, reason: 'trigger.when is false' });
    expect(triggerCondition(graph, 'b', event, en)).toEqual({ ok: true });
    const bad = triggerCondition(graph, 'a', placed({ subjectId: 'c1', amount: 'lots' }), de);
    expect(bad.ok).toBe(false);
  });

  it('triggeredJourneys runs both phases with a profile lookup', () => {
    const event = placed({ subjectId: 'c1', orderId: 'o9', amount: 500 });
    const r = triggeredJourneys(graph, event, (id) => (id === 'c1' ? subjectWithDefaults(ir, 'c1', { locale: 'de' }) : undefined));
    expect(r.triggered.map((t) => t.journey)).toEqual(['a', 'b']);
    const none = triggeredJourneys(graph, event); // default profile: locale en
    expect(none.triggered.map((t) => t.journey)).toEqual(['b']);
    expect(none.skipped).toEqual([{ journey: 'a', subjectId: 'c1', reason: 'trigger.when is false' }]);
  });
});

describe('reentry', () => {
  const inst = (status: Instance['status']): Instance => ({ ...newInstance(graph, 'a', 'c1', placed({ subjectId: 'c1' }), T0, `i-${status}`), status });

  it('never: only when no instance ever existed', () => {
    expect(mayStart('never', [])).toBe(true);
    expect(mayStart('never', [inst('completed')])).toBe(false);
    expect(reentryBlock('never', [inst('exited')])).toBe('reentry never: instance i-exited (exited) exists');
  });

  it('after-exit: when none is active', () => {
    expect(mayStart('after-exit', [inst('completed'), inst('failed'), inst('exited')])).toBe(true);
    expect(reentryBlock('after-exit', [inst('completed'), inst('active')])).toBe('reentry after-exit: instance i-active is still active');
  });

  it('always: any number at once', () => {
    expect(mayStart('always', [inst('active'), inst('active')])).toBe(true);
  });
});

describe('newInstance', () => {
  it('starts active at the entry with the trigger data as vars, on the graph version', () => {
    const event = placed({ subjectId: 'c1', orderId: 'o1', amount: 1 });
    expect(newInstance(graph, 'b', 'order-o1', event, T0, 'inst-1')).toEqual({
      id: 'inst-1',
      journey: 'b',
      version: ir.version,
      subjectId: 'order-o1',
      status: 'active',
      at: '#1',
      waiting: null,
      vars: { trigger: event.data },
      startedAt: T0,
      updatedAt: T0,
      seq: 0,
      exitReason: null,
      history: [{ at: T0, node: null, note: 'triggered by order.placed (e1)' }],
    });
  });
});

describe('trigger.key', () => {
  const keyed = compileGraph(
    compileTestGraph({
      'journeys/k.journey.yaml': `journey: k
trigger: { event: order.placed, key: event.orderId, reentry: after-exit }
steps:
  - send: note
`,
      'journeys/n.journey.yaml': `journey: n
trigger: { event: order.paid, key: "size(event.orderId) > 2 ? event.orderId : null", reentry: never }
steps:
  - send: note
`,
      'journeys/m.journey.yaml': `journey: m
trigger: { event: item.viewed, key: "size(event.sku) == 0 ? 7 : int(event.sku)", reentry: never }
steps:
  - send: note
`,
    }),
  );
  const ev = (type: string, data: Record<string, unknown>): IncomingEvent => ({ id: 'e1', type, data, receivedAt: T0 });

  it('phase 1 gives the key with the subject; a journey without one has no key at all', () => {
    expect(triggerCandidates(keyed, ev('order.placed', { subjectId: 'c1', orderId: 'o9', amount: 1 })).triggered).toEqual([
      { journey: 'k', subjectId: 'c1', reentry: 'after-exit', key: 'o9' },
    ]);
    expect(triggerCandidates(graph, placed({ subjectId: 'c1', orderId: 'o9', amount: 1 })).triggered.every((t) => !('key' in t))).toBe(true);
  });

  it('a number is its decimal string', () => {
    expect(triggerCandidates(keyed, ev('item.viewed', { subjectId: 'c1', sku: '' })).triggered[0]!.key).toBe('7');
  });

  it('a key that is null, missing or fails starts nothing, and says so', () => {
    expect(triggerCandidates(keyed, ev('order.paid', { subjectId: 'c1', orderId: 'o' }))).toEqual({
      triggered: [],
      skipped: [{ journey: 'n', subjectId: 'c1', reason: 'trigger.key `size(event.orderId) > 2 ? event.orderId : null` gave null, not a key', missing: 'key' }],
    });
    const missing = triggerCandidates(keyed, ev('order.placed', { subjectId: 'c1', amount: 1 }));
    expect(missing.triggered).toEqual([]);
    expect(missing.skipped).toEqual([{ journey: 'k', subjectId: 'c1', reason: 'trigger.key failed: `event` has no field `orderId`', missing: 'key' }]);
    const empty = triggerCandidates(keyed, ev('order.placed', { subjectId: 'c1', orderId: '', amount: 1 }));
    expect(empty.skipped[0]!.reason).toBe('trigger.key `event.orderId` gave "", not a key');
  });

  it('newInstance records the key; without one the instance has none', () => {
    const event = ev('order.placed', { subjectId: 'c1', orderId: 'o9', amount: 1 });
    expect(newInstance(keyed, 'k', 'c1', event, T0, 'i1', 'o9').key).toBe('o9');
    expect('key' in newInstance(keyed, 'k', 'c1', event, T0, 'i1')).toBe(false);
  });

  it('reentry counts only the instances of the same key, and names it', () => {
    const inst = (id: string, status: Instance['status'], key?: string): Instance => ({
      ...newInstance(keyed, 'k', 'c1', ev('order.placed', { subjectId: 'c1', orderId: 'x', amount: 1 }), T0, id, key),
      status,
    });
    const existing = [inst('i1', 'active', 'INV-1'), inst('i2', 'completed', 'INV-2'), inst('old', 'active')];
    expect(reentryBlock('after-exit', existing, 'INV-1')).toBe('reentry after-exit: instance i1 (key INV-1) is still active');
    expect(reentryBlock('after-exit', existing, 'INV-2')).toBeNull();
    expect(reentryBlock('after-exit', existing, 'INV-3')).toBeNull();
    // An instance from before the journey had a key counts only for a start without one.
    expect(reentryBlock('after-exit', [inst('old', 'active')], 'INV-1')).toBeNull();
    // A start without a key (the journey's `key:` was removed) counts every instance, keyed ones too.
    expect(reentryBlock('after-exit', existing)).toBe('reentry after-exit: instance i1 is still active');
    expect(reentryBlock('never', [inst('i2', 'completed', 'INV-2')])).toBe('reentry never: instance i2 (completed) exists');
    expect(reentryBlock('never', existing, 'INV-2')).toBe('reentry never: instance i2 (completed, key INV-2) exists');
    expect(mayStart('never', existing, 'INV-3')).toBe(true);
    expect(mayStart('always', existing, 'INV-1')).toBe(true);
  });
});
