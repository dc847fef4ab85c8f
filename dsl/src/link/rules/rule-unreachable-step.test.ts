import { describe, expect, it } from 'vitest';
import { unreachableSteps } from './rule-unreachable-step.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string, earlierProblems?: readonly string[]) =>
  checkRule(
    unreachableSteps,
    { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` },
    earlierProblems ? { earlierProblems } : {},
  );

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

  it('takes a timeout written but not readable (`7dd`, `7`) as a timeout: the steps after the wait are reached', () => {
    for (const [timeout, earlier] of [['7dd', 'invalid-duration'], ['7', 'wrong-type']] as const) {
      const steps = `  - wait: { event: invoice.paid, timeout: ${timeout} }\n    onEvent: paid\n  - exit: late\n  - id: paid\n    exit: paid\n`;
      expect(check(steps, [earlier]), timeout).toEqual([]);
    }
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
        message: 'steps `orphan`, `end` and #4 are never reached',
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

  it('names a longer run by its first and last step, by id where they have one', () => {
    const r = check('  - exit: done\n  - id: a\n    send: t\n  - send: t\n  - send: t\n  - id: z\n    exit: z\n');
    expect(r.map((p) => p.message)).toEqual(['4 steps from `a` to `z` are never reached']);
    expect(check('  - exit: done\n  - send: t\n  - send: t\n  - send: t\n  - send: t\n').map((p) => p.message)).toEqual([
      '4 steps from #2 to #5 are never reached',
    ]);
  });

  it('tells a second step with the same id apart by its position', () => {
    const r = check('  - goto: b\n  - id: a\n    send: t\n  - id: b\n    exit: b\n  - id: a\n    exit: again\n');
    expect(r.map((p) => p.message)).toEqual(['step `a` is never reached', 'step `a` (#4) is never reached']);
  });

  it('counts a step whose value has a problem: reached by a goto, and going on to the next step', () => {
    // `late` does not build (`1 day` is no duration), but the goto reaches it and the journey goes on after it.
    const steps = '  - goto: late\n  - id: early\n    exit: early\n  - id: late\n    wait: 1 day\n  - id: after\n    exit: done\n';
    expect(check(steps, ['invalid-duration']).map((p) => p.message)).toEqual(['step `early` is never reached']);
    // Unreached itself, it is named like any step.
    expect(check('  - exit: done\n  - id: late\n    wait: 1 day\n', ['invalid-duration']).map((p) => p.message)).toEqual(['step `late` is never reached']);
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

  it('follows an unknown target to the step its did-you-mean names, which unknown-step already suggests', () => {
    const steps = '  - goto: nudg\n  - exit: skipped\n  - id: nudge\n    send: t\n  - exit: done\n';
    expect(check(steps).map((p) => p.message)).toEqual(['step #2 is never reached']);
    // A name close to no step leads nowhere.
    expect(check(steps.replace('nudg', 'zzzzz')).map((p) => p.message)).toEqual(['steps #2, `nudge` and #4 are never reached']);
  });
});
