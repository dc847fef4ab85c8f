import { describe, expect, it } from 'vitest';
import { unreachableSteps } from './rule-unreachable-step.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string) =>
  checkRule(unreachableSteps, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` });

describe('unreachable-step', () => {
  it('is silent when every step is reached through fall-through, branches and waits', () => {
    const steps = `  - wait: { event: invoice.paid, timeout: 7d }
    onTimeout: notice
  - exit: paid
  - id: notice
    branch:
      - when: "true"
        goto: vip
      - else: done
  - id: vip
    exit: vip
  - id: done
    exit: done
`;
    expect(check(steps)).toEqual([]);
  });

  it('reports steps reached only from unreachable steps as one run, at the first kind key', () => {
    const r = check('  - exit: done\n  - id: orphan\n    wait: 1d\n  - id: end\n    exit: x\n  - goto: end\n');
    // `orphan` is unreachable; `end` is reached only from `#4`, itself unreachable, so they form one run.
    expect(r).toEqual([
      expect.objectContaining({
        code: 'unreachable-step',
        severity: 'warning',
        at: 'wait',
        line: 6,
        message: 'steps #2–#4 are never reached',
      }),
    ]);
    expect(r[0]!.hint).toContain('no path from the first step of journey `j` leads here');
  });

  it('reports one warning per run of adjacent unreachable steps', () => {
    const steps = `  - goto: middle
  - id: dead1
    wait: 1d
  - id: middle
    exit: x
  - id: dead2
    send: t
`;
    const r = check(steps);
    expect(r.map((p) => [p.at, p.line, p.message])).toEqual([
      ['wait', 6, 'step `dead1` is never reached'],
      ['send', 10, 'step `dead2` is never reached'],
    ]);
    expect(r[0]!.hint).toMatch(/target it with a `goto`.*or remove it$/);
  });

  it('counts split arms and wait-event targets as paths', () => {
    const steps = `  - split:
      - { weight: 1, goto: a }
      - { weight: 1, goto: b }
  - exit: never
  - id: a
    exit: a
  - id: b
    exit: b
`;
    const r = check(steps);
    expect(r.map((p) => [p.at, p.message])).toEqual([['exit', 'step #2 is never reached']]);
  });
});
