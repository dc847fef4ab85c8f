import { describe, expect, it } from 'vitest';
import { unknownEvents } from './rule-unknown-events.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const journey = (trigger: string, steps: string) => `journey: j\ntrigger: { event: ${trigger} }\nsteps:\n${steps}`;

describe('unknown-event', () => {
  it('accepts declared events everywhere', () => {
    const steps =
      '  - wait: { event: invoice.paid, timeout: 1d }\n  - batch: { event: invoice.paid, window: 1h, as: paid }\n  - emit: { event: reminder.sent }\n';
    expect(checkRule(unknownEvents, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': journey('invoice.overdue', steps) })).toEqual([]);
  });

  it('checks the trigger, waits, batches and emits', () => {
    const steps =
      '  - wait: { event: invoice.payed, timeout: 1d }\n  - batch: { event: order.placed, window: 1h, as: orders }\n  - emit: { event: reminder.snt }\n';
    const r = checkRule(unknownEvents, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': journey('invoice.ovrdue', steps) });
    expect(r.map((p) => [p.code, p.at, p.hint])).toEqual([
      ['unknown-event', 'invoice.ovrdue', 'did you mean `invoice.overdue`?'],
      ['unknown-event', 'invoice.payed', 'did you mean `invoice.paid`?'],
      ['unknown-event', 'order.placed', 'declare it under `events:` in herald.yaml, with its payload `fields:`'],
      ['unknown-event', 'reminder.snt', 'did you mean `reminder.sent`?'],
    ]);
    expect(r.map((p) => p.message)).toEqual([
      'unknown event `invoice.ovrdue` in the trigger of journey `j`',
      'unknown event `invoice.payed` in a wait step',
      'unknown event `order.placed` in a batch step',
      'unknown event `reminder.snt` in an emit step',
    ]);
    expect(r[0]!.fix).toEqual({ at: 'invoice.ovrdue', newText: 'invoice.overdue' });
  });

  it('is silent without herald.yaml (missing-project-file says it)', () => {
    expect(checkRule(unknownEvents, { 'j.journey.yaml': journey('nothing.declared', '  - exit: x\n') })).toEqual([]);
  });
});
