import { describe, expect, it } from 'vitest';
import { stepTargets } from './rule-step-targets.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string, earlierProblems?: readonly string[]) =>
  checkRule(
    stepTargets,
    { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` },
    earlierProblems ? { earlierProblems } : {},
  );

describe('unknown-step', () => {
  it('accepts targets that exist', () => {
    const steps = `  - wait: { event: invoice.paid, timeout: 7d }
    onEvent: thanks
    onTimeout: notice
  - id: notice
    branch:
      - when: "true"
        goto: thanks
      - else: done
  - id: thanks
    split:
      - { weight: 1, goto: done }
      - { weight: 1, goto: notice }
  - id: done
    exit: done
`;
    expect(check(steps)).toEqual([]);
  });

  it('reports every kind of edge that names no step, with a did-you-mean over step ids', () => {
    const steps = `  - wait: { event: invoice.paid, timeout: 7d }
    onEvent: thank
    onTimeout: nowhere
  - id: notice
    branch:
      - when: "true"
        goto: thanks
      - else: don
  - id: thanks
    split:
      - { weight: 1, goto: done }
      - { weight: 1, goto: notic }
  - goto: finish
  - id: done
    exit: done
`;
    const r = check(steps);
    expect(r.map((p) => [p.code, p.at, p.hint])).toEqual([
      ['unknown-step', 'thank', 'did you mean `thanks`?'],
      ['unknown-step', 'nowhere', 'give the target step `id: nowhere`; step ids here: `notice`, `thanks`, `done`'],
      ['unknown-step', 'don', 'did you mean `done`?'],
      ['unknown-step', 'notic', 'did you mean `notice`?'],
      ['unknown-step', 'finish', 'give the target step `id: finish`; step ids here: `notice`, `thanks`, `done`'],
    ]);
    expect(r[0]!.message).toBe('journey `j` has no step `thank`');
    expect(r[0]!.fix).toEqual({ at: 'thank', newText: 'thanks' });
  });

  it('says to give the target an id when the journey has no step ids (`#n` keys cannot be written as targets)', () => {
    const r = check('  - goto: two\n  - exit: done\n');
    expect(r[0]!.hint).toBe('give the target step `id: two`');
  });
});

describe('unknown-step with a step whose value has a problem', () => {
  it('knows the id of a step that did not build, so a goto to it is no unknown step', () => {
    // `1 day` is no duration: the wait step is not built, but it is there, with its id.
    const steps = '  - goto: late\n  - id: late2\n    exit: early\n  - id: late\n    wait: 1 day\n  - exit: done\n';
    expect(check(steps, ['invalid-duration'])).toEqual([]);
    // Whatever is wrong with it: a step of no known kind, or of two, keeps its id too.
    expect(check('  - goto: late\n  - exit: early\n  - id: late\n    sned: t\n', ['unknown-step-kind'])).toEqual([]);
    expect(check('  - goto: late\n  - exit: early\n  - id: late\n    send: t\n    wait: 1d\n', ['multiple-step-kinds'])).toEqual([]);
  });

  it('still reports a target that such a step names and that does not exist', () => {
    const r = check('  - id: w\n    wait: 1 day\n    onTimeout: nowhere\n  - exit: done\n', ['invalid-duration']);
    expect(r.map((p) => [p.code, p.at, p.message])).toEqual([['unknown-step', 'nowhere', 'journey `j` has no step `nowhere`']]);
  });
});

describe('goto-next-step', () => {
  it('notes a goto to the very next step, at the target', () => {
    const r = check('  - goto: next\n  - id: next\n    exit: done\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'goto-next-step',
        severity: 'info',
        at: 'next',
        line: 4,
        message: '`goto: next` jumps to the very next step, where the journey goes anyway',
        hint: 'remove this goto step',
      }),
    ]);
  });

  it('is silent for a goto that skips steps', () => {
    expect(check('  - goto: last\n  - wait: 1d\n  - id: last\n    exit: done\n')).toEqual([]);
  });

  it('is silent for a goto that skips a step whose value has a problem', () => {
    expect(check('  - goto: last\n  - wait: 1 day\n  - id: last\n    exit: done\n', ['invalid-duration'])).toEqual([]);
  });
});
