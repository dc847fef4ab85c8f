import { describe, expect, it } from 'vitest';
import { zeroDurations } from './rule-zero-duration.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string) =>
  checkRule(zeroDurations, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}  - id: late\n    exit: late\n` });

describe('zero-duration', () => {
  it('accepts waits, timeouts and windows that let time pass', () => {
    expect(check('  - wait: 1ms\n  - wait: { event: invoice.paid, timeout: 7d }\n    onTimeout: late\n  - batch: { event: invoice.paid, window: 1h, as: paid }\n')).toEqual([]);
  });

  it('warns at a wait timeout of 0, saying what it still does', () => {
    expect(check('  - wait: { event: invoice.paid, timeout: 0s }\n    onTimeout: late\n')).toEqual([
      expect.objectContaining({
        code: 'zero-duration',
        severity: 'warning',
        at: '0s',
        message: 'wait step #1 for `invoice.paid` has a timeout of 0: unless the event came before, it times out at once',
        hint: 'give the event time to come, e.g. `timeout: 1d`',
      }),
    ]);
  });

  it('warns at a batch window of 0, whatever unit it is written in', () => {
    expect(check('  - batch: { event: invoice.paid, window: 0h0m, as: paid }\n')).toEqual([
      expect.objectContaining({
        code: 'zero-duration',
        severity: 'warning',
        at: '0h0m',
        message: 'batch step #1 collects `invoice.paid` for 0s: it goes on at once, and `paid` is always empty',
        hint: 'give the events time to come together, e.g. `window: 1h`, or remove the step',
      }),
    ]);
  });

  it('warns at `wait: 0s`', () => {
    expect(check('  - id: pause\n    wait: 0ms\n').map((p) => [p.code, p.at, p.message])).toEqual([['zero-duration', '0ms', 'wait step `pause` waits 0s: it goes on at once']]);
  });
});
