import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, buildTestProject, describeProblem } from '../link/rules/test-project.js';
import { buildSymbols } from '../link/symbols.js';
import { checkJourney } from './check-sites.js';

/** The possibly-unset-variable problems of a journey (run through the whole type stage). */
function check(steps: string, data = '') {
  const files = { 'herald.yaml': BASE_CONFIG, 'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\n${data}steps:\n${steps}` };
  const { model, files: all } = buildTestProject(files);
  const { problems } = checkJourney(model.journeys[0]!, buildSymbols(model), model.config);
  return problems.filter((p) => p.code === 'possibly-unset-variable').map((p) => describeProblem(all, p));
}

const emitWith = (expr: string) => `    emit: { event: invoice.paid, data: { invoiceId: "${expr}" } }\n`;

describe('possibly-unset-variable', () => {
  it('warns at a read after a branch whose one arm sets the variable, naming the arm that does not', () => {
    const r = check(
      '  - id: check\n    branch:\n      - when: trigger.invoiceId == "x"\n        goto: big\n      - else: notify\n  - id: big\n    set: { discount: "\'10\'" }\n  - id: notify\n' +
        emitWith('discount'),
    );
    expect(r).toEqual([
      expect.objectContaining({
        code: 'possibly-unset-variable',
        severity: 'warning',
        at: 'discount',
        line: 12,
        message: '`discount` may not be set here: the journey can come through the `else` of branch step `check` without setting it',
        hint: 'set `discount` on every way that leads here, or write `discount ?? <default>` where a missing value is fine',
        related: [
          { file: 'j.journey.yaml', at: 'notify', line: 8, message: 'this way does not set `discount`' },
          { file: 'j.journey.yaml', at: 'discount', line: 10, message: '`discount` is set here' },
        ],
      }),
    ]);
  });

  it('is quiet when every way sets it, when the read allows a missing value, and for data bindings', () => {
    const steps =
      '  - branch:\n      - when: trigger.invoiceId == "x"\n        goto: big\n      - else: small\n' +
      '  - id: big\n    set: { d: "\'10\'" }\n  - goto: join\n  - id: small\n    set: { d: "\'0\'", e: "d + \'!\'" }\n' +
      '  - id: join\n' + emitWith('d + (later ?? \'\') + customer.name') + '  - set: { later: "\'x\'" }\n';
    expect(check(steps, 'data:\n  customer: { source: crm, query: customerById, args: { id: trigger.customerId } }\n')).toEqual([]);
  });

  it("warns about an event wait's `as:` read on the way through its timeout", () => {
    const r = check('  - wait: { event: invoice.paid, timeout: 1d, as: paid }\n  - set: { id: paid.invoiceId }\n');
    expect(r.map((p) => [p.at, p.message, p.related.map((x) => x.at)])).toEqual([
      ['paid', '`paid` may not be set here: the journey can come through the timeout of wait step #1 without setting it', ['wait', 'paid']],
    ]);
  });

  it('names a split arm, and a branch that falls through', () => {
    const split = check('  - split:\n      - { weight: 1, goto: a }\n      - { weight: 1, goto: b }\n  - id: a\n    fetch: { c: { source: crm, query: invoices } }\n  - id: b\n    set: { n: size(c) }\n');
    expect(split.map((p) => p.message)).toEqual(['`c` may not be set here: the journey can come through arm 2 of split step #1 without setting it']);
    const fallThrough = check('  - branch:\n      - when: trigger.invoiceId == "x"\n        goto: a\n  - exit: no\n  - id: a\n    set: { v: "1" }\n  - set: { w: v }\n');
    expect(fallThrough).toEqual([]);
    const joined = check('  - branch:\n      - when: trigger.invoiceId == "x"\n        goto: a\n  - goto: b\n  - id: a\n    set: { v: "1" }\n  - id: b\n    set: { w: v }\n');
    expect(joined.map((p) => [p.message, p.related[0]!.at])).toEqual([
      ['`v` may not be set here: the journey can come through branch step #1 when no condition holds without setting it', 'branch'],
    ]);
  });

  it('warns at a read before the set, the first time round a loop, and sees names set earlier in the same step', () => {
    const r = check('  - id: top\n    set: { n: "n + 1", m: "n * 2" }\n  - wait: 1d\n  - goto: top\n');
    expect(r.map((p) => [p.at, p.line, p.message])).toEqual([['n', 5, '`n` may not be set here: the journey can reach this step from its first one without setting it']]);
  });

  it('says nothing about steps that are never reached', () => {
    expect(check('  - exit: done\n  - set: { x: y }\n  - set: { y: "1" }\n')).toEqual([]);
  });
});
