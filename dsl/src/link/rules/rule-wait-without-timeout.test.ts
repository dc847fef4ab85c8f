import { describe, expect, it } from 'vitest';
import { waitsWithoutTimeout } from './rule-wait-without-timeout.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string) =>
  checkRule(waitsWithoutTimeout, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` });

describe('wait-without-timeout', () => {
  it('accepts waits with a timeout, and waits for a duration or a time', () => {
    expect(check('  - wait: { event: invoice.paid, timeout: 7d }\n  - wait: 1d\n  - wait: { until: trigger.dueAt }\n')).toEqual([]);
  });

  it('warns at the wait key for an event wait without timeout', () => {
    const r = check('  - id: await-payment\n    wait: { event: invoice.paid }\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'wait-without-timeout',
        severity: 'warning',
        at: 'wait',
        message: 'wait step `await-payment` for `invoice.paid` has no timeout; an instance may wait forever',
        hint: 'add `timeout: 7d` to the wait and `onTimeout: <step>` to say where to go when the event does not come',
      }),
    ]);
  });

  it('leaves a timeout that is no duration to invalid-duration', () => {
    const files = { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': 'journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n  - wait: { event: invoice.paid, timeout: -1d }\n    onTimeout: late\n  - id: late\n    exit: late\n' };
    expect(checkRule(waitsWithoutTimeout, files, { earlierProblems: ['invalid-duration'] })).toEqual([]);
  });

  it('says that an onTimeout without timeout is never taken', () => {
    const r = check('  - wait: { event: invoice.paid }\n    onTimeout: late\n  - id: late\n    exit: late\n');
    expect(r[0]!.message).toBe('wait step #1 for `invoice.paid` has `onTimeout:` but no `timeout:`, so it never times out');
    expect(r[0]!.hint).toBe('add `timeout: 7d` (or another duration) to the wait');
  });

  it('leaves a wait with an unknown key to unknown-key: `timout:` is the mistake, not a missing timeout', () => {
    const files = (steps: string) => ({ 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` });
    expect(checkRule(waitsWithoutTimeout, files('  - wait: { event: invoice.paid, timout: 2d }\n'), { earlierProblems: ['unknown-key'] })).toEqual([]);
    expect(checkRule(waitsWithoutTimeout, files('  - wait: { event: invoice.paid }\n    onTimout: late\n  - id: late\n    exit: late\n'), { earlierProblems: ['unknown-key'] })).toEqual([]);
  });
});
