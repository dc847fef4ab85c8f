import { describe, expect, it } from 'vitest';
import { branchesWithoutElse } from './rule-branch-without-else.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string) =>
  checkRule(branchesWithoutElse, { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` });

describe('branch-without-else', () => {
  it('accepts a branch with else', () => {
    expect(check('  - branch:\n      - { when: "true", goto: x }\n      - else: x\n  - id: x\n    exit: x\n')).toEqual([]);
  });

  it('warns at the branch key and names the step it falls through to', () => {
    const r = check('  - id: route\n    branch:\n      - { when: "true", goto: x }\n  - id: x\n    exit: x\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'branch-without-else',
        severity: 'warning',
        at: 'branch',
        message: 'branch step `route` has no `else`',
        hint: 'when no condition holds the journey falls through to the next step (`x`); end the list with `- else: <step>` to make that explicit',
      }),
    ]);
  });

  it('says the journey ends when the branch is the last step', () => {
    const r = check('  - id: x\n    wait: 1d\n  - branch:\n      - { when: "true", goto: x }\n');
    expect(r[0]!.message).toBe('branch step #2 has no `else`');
    expect(r[0]!.hint).toMatch(/^when no condition holds the journey ends here/);
  });
});
