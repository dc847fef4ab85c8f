import { describe, expect, it } from 'vitest';
import { timedWaitBranches } from './rule-timed-wait-branch.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string) =>
  checkRule(timedWaitBranches, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` });

describe('timed-wait-branch', () => {
  it('accepts onTimeout and onEvent on a wait for an event, and timed waits without them', () => {
    expect(check('  - wait: { event: invoice.paid, timeout: 7d }\n    onTimeout: late\n  - wait: 1d\n  - wait: { until: trigger.dueAt }\n  - id: late\n    exit: late\n')).toEqual([]);
  });

  it('reports onTimeout on a wait for a duration at the target, saying it is never taken', () => {
    const r = check('  - id: pause\n    wait: 3d\n    onTimeout: reminder\n  - exit: done\n  - id: reminder\n    exit: reminded\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'timed-wait-branch',
        severity: 'error',
        at: 'reminder',
        message: 'wait step `pause` waits for a duration: it goes on to the next step when that is over, so `onTimeout: reminder` is never taken',
      }),
    ]);
    expect(r[0]!.hint).toMatch(/wait: \{ event: \.\.\., timeout: \.\.\. \}/);
  });

  it('reports onEvent on a wait until a time', () => {
    const r = check('  - wait: { until: trigger.dueAt }\n    onEvent: paid\n  - id: paid\n    exit: paid\n');
    expect(r.map((p) => p.message)).toEqual(['wait step #1 waits for a time: it goes on to the next step when that is over, so `onEvent: paid` is never taken']);
  });
});
