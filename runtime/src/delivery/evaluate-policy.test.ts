import { describe, expect, it } from 'vitest';
import { compileGraph } from '../engine/compile-graph.js';
import { subjectWithDefaults } from '../engine/subject-defaults.js';
import { compileTestGraph } from '../engine/test-graph.js';
import { deliveryFacts, evaluatePolicyValues } from './evaluate-policy.js';
import { newDelivery } from './new-delivery.js';

const ir = compileTestGraph({
  'journeys/j.journey.yaml': `journey: j
trigger: { event: order.placed }
steps:
  - send: note
`,
  'policies/standard.policy.yaml': `policy: standard
category: orders
channels: [email, sms, letter]
order: subject.channels
quietHours: { from: "21:00", to: "08:00" }
frequencyCap: { max: 2, per: 1d }
dedupe: { key: "trigger.orderId + ':' + journey.id", window: 7d }
`,
});
const graph = compileGraph(ir);
const T0 = Date.parse('2026-04-01T12:00:00Z');
const vars = { trigger: { subjectId: 'c1', orderId: 'o1' }, journey: { id: 'j', instanceId: 'i1', version: ir.version, startedAt: '2026-04-01T12:00:00.000Z' } };
const delivery = newDelivery(
  { kind: 'send', sendId: 'i1:#1:1', instanceId: 'i1', journey: 'j', version: ir.version, node: '#1', subjectId: 'c1', template: 'note', policy: 'standard', vars },
  ir.policies['standard']!,
  T0,
);

describe('evaluatePolicyValues', () => {
  it('evaluates order, time zone and a dedupe key scoped to subject and template', () => {
    const subject = subjectWithDefaults(ir, 'c1', { channels: ['sms'], timezone: 'America/Chicago' });
    const v = evaluatePolicyValues(graph, delivery, subject, T0);
    expect(v).toEqual({
      order: ['sms'],
      dedupeKey: 'c1:note:o1:j',
      timezone: 'America/Chicago',
      capSince: T0 - 86_400_000,
      dedupeSince: T0 - 7 * 86_400_000,
      problems: [],
    });
    expect(deliveryFacts(v, { sentInCapWindow: 1, duplicate: false })).toEqual({
      sentInCapWindow: 1,
      duplicate: false,
      order: ['sms'],
      dedupeKey: 'c1:note:o1:j',
      timezone: 'America/Chicago',
      capSince: v.capSince,
      dedupeSince: T0 - 7 * 86_400_000,
    });
  });

  it('falls back and reports when an expression fails or gives the wrong kind of value', () => {
    const broken = { ...delivery, vars: { trigger: {} } };
    const subject = { ...subjectWithDefaults(ir, 'c1'), timezone: 'Nowhere/Land', channels: 'sms' as unknown as string[] };
    const v = evaluatePolicyValues(graph, broken, subject, T0);
    expect(v.order).toBeNull();
    expect(v.dedupeKey).toBeNull();
    expect(v.dedupeSince).toBeNull();
    expect(v.timezone).toBe('Europe/Berlin'); // the project's default
    expect(v.problems).toEqual([
      'quietHours.timezone gave "Nowhere/Land", not a time zone: using Europe/Berlin',
      'order gave "sms", not a list: using the policy\'s order',
      'dedupe.key failed: `trigger` has no field `orderId`',
    ]);
  });
});
