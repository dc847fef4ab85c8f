import { describe, expect, it } from 'vitest';
import { splitWeights } from './rule-split-weights.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const project = (arms: string) => ({
  'herald.yaml': BASE_CONFIG,
  'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n  - split:\n${arms}  - id: a\n    exit: a\n  - id: b\n    exit: b\n`,
});

describe('split-weights', () => {
  it('accepts positive weights', () => {
    expect(checkRule(splitWeights, project('      - { weight: 1, goto: a }\n      - { weight: 0.5, goto: b }\n'))).toEqual([]);
  });

  it('reports an infinite weight', () => {
    const r = checkRule(splitWeights, project('      - { weight: .inf, goto: a }\n      - { weight: 1, goto: b }\n'));
    expect(r).toEqual([
      expect.objectContaining({ code: 'split-weights', severity: 'error', at: '.inf', message: 'split weight `Infinity` of the arm to `a` must be a positive number' }),
    ]);
    expect(r[0]!.hint).toContain('weights are relative');
  });

  it('reports zero and negative weights at the weight, and only here (not the schema too)', () => {
    const r = checkRule(splitWeights, project('      - { weight: 0, goto: a }\n      - { weight: -1, goto: b }\n'));
    expect(r.map((p) => [p.code, p.at])).toEqual([
      ['split-weights', '0'],
      ['split-weights', '-1'],
    ]);
  });

  it('leaves a weight that is no number to the schema, which drops the arm', () => {
    expect(checkRule(splitWeights, project('      - { weight: half, goto: a }\n      - { weight: 1, goto: b }\n'), { earlierProblems: ['wrong-type'] })).toEqual([]);
  });

  it('reports weights that overflow together, at the split', () => {
    const r = checkRule(splitWeights, project('      - { weight: 1e308, goto: a }\n      - { weight: 1e308, goto: b }\n'));
    expect(r.map((p) => [p.code, p.at, p.message])).toEqual([['split-weights', 'split', 'the weights of split step #1 add up to Infinity']]);
  });
});
