import { describe, expect, it } from 'vitest';
import { reservedNames } from './rule-reserved-names.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const check = (data: string, steps: string) =>
  checkRule(reservedNames, {
    'herald.yaml': BASE_CONFIG,
    'j.journey.yaml': `journey: j\ntrigger: { event: invoice.overdue }\n${data ? `data:\n${data}` : ''}steps:\n${steps}`,
  });

describe('reserved-name', () => {
  it('reports built-in names in data, fetch, set, wait and batch', () => {
    const r = check(
      '  event: { source: crm, query: customerById }\n',
      `  - fetch: { subject: { source: crm, query: invoices } }
  - set: { now: "1" }
  - wait: { event: invoice.paid, timeout: 1d, as: trigger }
  - batch: { event: invoice.paid, window: 1h, as: journey }
`,
    );
    expect(r.map((p) => [p.code, p.at, p.message])).toEqual([
      ['reserved-name', 'event', '`event` is a built-in name and cannot be used as a data binding name'],
      ['reserved-name', 'subject', '`subject` is a built-in name and cannot be used as a fetch binding name'],
      ['reserved-name', 'now', '`now` is a built-in name and cannot be used as a `set` variable'],
      ['reserved-name', 'trigger', "`trigger` is a built-in name and cannot be used as a wait's `as:` name"],
      ['reserved-name', 'journey', "`journey` is a built-in name and cannot be used as a batch's `as:` name"],
    ]);
    expect(r[0]!.hint).toBe('rename it; `trigger`, `subject`, `event`, `journey`, `now` are built in');
  });
});

describe('duplicate-variable', () => {
  it('allows one variable set by several set steps, and the same query bound twice', () => {
    const r = check('  customer: { source: crm, query: customerById }\n', '  - set: { n: "1" }\n  - set: { n: "2" }\n  - fetch: { customer: { source: crm, query: customerById } }\n');
    expect(r).toEqual([]);
  });

  it('reports a name bound to two different queries, at the second', () => {
    const r = check('  customer: { source: crm, query: customerById }\n', '  - fetch: { customer: { source: crm, query: invoices } }\n');
    expect(r).toEqual([
      expect.objectContaining({
        code: 'duplicate-variable',
        severity: 'error',
        at: 'customer',
        line: 6,
        message: 'variable `customer` is bound twice: to the result of query `crm.customerById` and here to the result of query `crm.invoices`',
        hint: 'use a different name for one of them',
        related: [expect.objectContaining({ at: 'customer', line: 4, message: '`customer` is first bound here' })],
      }),
    ]);
  });

  it('reports a data binding also assigned by set, and events of different types under one name', () => {
    const r = check(
      '  customer: { source: crm, query: customerById }\n',
      `  - set: { customer: "1" }
  - wait: { event: invoice.paid, timeout: 1d, as: got }
  - wait: { event: reminder.sent, timeout: 1d, as: got }
`,
    );
    expect(r.map((p) => [p.at, p.message])).toEqual([
      ['customer', 'variable `customer` is bound twice: to the result of query `crm.customerById` and here to a `set` variable'],
      ['got', 'variable `got` is bound twice: to the `invoice.paid` event and here to the `reminder.sent` event'],
    ]);
  });
});
