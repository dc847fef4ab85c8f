import { describe, expect, it } from 'vitest';
import type { GraphIR } from '@herald/dsl';
import { compileGraph } from './compile-graph.js';
import { compileTestGraph } from './test-graph.js';

const ir = compileTestGraph({
  'journeys/all.journey.yaml': `journey: all
trigger: { event: order.placed }
data:
  customer: { source: crm, query: customerById, args: { id: trigger.subjectId } }
steps:
  - send: note
  - wait: 1h
  - wait: { until: "trigger.at + 1d" }
  - wait: { event: order.paid, match: "event.orderId == trigger.orderId", timeout: 1d }
  - branch:
      - when: trigger.amount > 10
        goto: s
      - else: s
  - id: s
    split:
      - weight: 1
        goto: v
      - weight: 3
        goto: v
  - id: v
    set: { b: "1", a: "b + 1" }
  - fetch:
      more: { source: crm, query: customerById, args: { id: customer.name } }
  - batch: { event: item.viewed, window: 1h, as: views }
  - emit: { event: order.flagged, data: { subjectId: trigger.subjectId, orderId: trigger.orderId, note: "'x'" } }
  - exit: done
`,
  'policies/standard.policy.yaml': `policy: standard
channels: [email, sms]
order: subject.channels
quietHours: { from: "21:00", to: "08:00" }
dedupe: { key: trigger.orderId, window: 1d }
`,
});

describe('compileGraph', () => {
  it('compiles every node kind of a journey, and its policies in its scope', () => {
    const g = compileGraph(ir);
    const j = g.journeys.get('all')!;
    expect([...j.nodes.values()].map((n) => n.kind)).toEqual([
      'send',
      'wait-duration',
      'wait-until',
      'wait-event',
      'branch',
      'split',
      'set',
      'fetch',
      'batch',
      'emit',
      'exit',
    ]);
    expect(j.data.map((d) => d.name)).toEqual(['customer']);
    const split = j.nodes.get('s')!;
    expect(split.kind === 'split' && split.totalWeight).toBe(4);
    const policy = j.policies.get('standard')!;
    expect(policy.order && policy.timezone && policy.dedupeKey).toBeTruthy();
    expect(g.triggeredBy.get('order.placed')!.map((x) => x.id)).toEqual(['all']);
    expect([...g.policies.keys()]).toEqual(['standard']);
  });

  it('keeps set variables in source order (not the alphabetical order of JSON keys)', () => {
    const set = compileGraph(ir).journeys.get('all')!.nodes.get('v')!;
    expect(set.kind === 'set' && set.vars.map(([n]) => n)).toEqual(['b', 'a']);
  });

  it('compiles once per IR object', () => {
    expect(compileGraph(ir)).toBe(compileGraph(ir));
    expect(compileGraph({ ...ir })).not.toBe(compileGraph(ir));
  });

  it('throws on an IR with an expression that does not compile (not user input: a broken IR)', () => {
    const broken = JSON.parse(JSON.stringify(ir)) as { journeys: { trigger: { subject: string } }[] };
    broken.journeys[0]!.trigger.subject = 'event.(';
    expect(() => compileGraph(broken as unknown as GraphIR)).toThrow(/journey all, trigger.subject: invalid expression/);
  });
});
