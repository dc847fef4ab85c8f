import { describe, expect, it } from 'vitest';
import { loopsWithoutWait, stronglyConnected } from './rule-loop-without-wait.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (steps: string, earlierProblems?: readonly string[]) =>
  checkRule(
    loopsWithoutWait,
    { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\nsteps:\n${steps}` },
    earlierProblems ? { earlierProblems } : {},
  );

describe('loop-without-wait', () => {
  it('accepts a loop with a wait in it', () => {
    expect(check('  - id: again\n    send: t\n  - wait: 1d\n  - goto: again\n')).toEqual([]);
  });

  it('reports no loop through a wait whose value has a problem: it is still a wait', () => {
    expect(check('  - id: again\n    send: t\n  - wait: 1 day\n  - goto: again\n', ['invalid-duration'])).toEqual([]);
  });

  it('accepts a loop through a batch', () => {
    expect(check('  - id: again\n    batch: { event: invoice.paid, window: 1h, as: paid }\n  - goto: again\n')).toEqual([]);
  });

  it('reports a loop without a pause once, at the jump that closes it', () => {
    const r = check('  - id: again\n    send: t\n  - set: { n: "1" }\n  - goto: again\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'loop-without-wait',
        severity: 'error',
        at: 'again',
        line: 7,
        message: 'the loop through steps `again`, `#2` and `#3` in journey `j` never waits, so an instance would spin forever',
      }),
    ]);
    expect(r[0]!.hint).toContain('add a `wait` step in the loop');
    expect(r[0]!.related).toEqual([expect.objectContaining({ at: 'send', line: 5, message: 'the loop goes back to `again` here' })]);
  });

  it('reports a goto to itself', () => {
    const r = check('  - id: spin\n    goto: spin\n');
    expect(r.map((p) => [p.at, p.message])).toEqual([['spin', 'the loop through step `spin` in journey `j` never waits, so an instance would spin forever']]);
  });

  it('finds loops through branch arms, and ignores the wait-guarded one', () => {
    const steps = `  - id: check
    branch:
      - when: "true"
        goto: check
      - else: next
  - id: next
    wait: 1d
  - goto: next
`;
    const r = check(steps);
    expect(r.map((p) => [p.at, p.line])).toEqual([['check', 7]]);
  });

  it('reports two separate loops separately, in order', () => {
    const r = check('  - id: a\n    goto: a\n  - id: b\n    set: { x: "1" }\n  - goto: b\n');
    expect(r.map((p) => p.at)).toEqual(['a', 'b']);
  });
});

describe('stronglyConnected', () => {
  it('finds components of a graph, including a long chain without overflowing', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: [] };
    const comps = stronglyConnected(Object.keys(edges), (n) => edges[n]!).map((c) => c.sort().join(''));
    expect(comps.sort()).toEqual(['abc', 'd']);
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, i) => i);
    const big = stronglyConnected(chain, (i) => [(i + 1) % n]);
    expect(big).toHaveLength(1);
    expect(big[0]).toHaveLength(n);
  });
});
