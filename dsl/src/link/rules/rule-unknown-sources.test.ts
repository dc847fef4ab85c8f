import { describe, expect, it } from 'vitest';
import { unknownSources } from './rule-unknown-sources.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

const journey = (data: string, steps = '  - exit: done\n') =>
  `journey: j\ntrigger: { event: invoice.overdue }\ndata:\n${data}steps:\n${steps}`;

describe('unknown-source / unknown-query', () => {
  it('accepts known sources and queries in data and fetch', () => {
    const r = checkRule(unknownSources, {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': journey('  customer: { source: crm, query: customerById, args: { id: trigger.customerId } }\n', '  - fetch: { open: { source: crm, query: invoices } }\n'),
    });
    expect(r).toEqual([]);
  });

  it('reports an unknown source at the source name, with a did-you-mean', () => {
    const r = checkRule(unknownSources, {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': journey('  customer: { source: crn, query: customerById }\n  other: { source: erp, query: x }\n'),
    });
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['unknown-source', 'crn', 'unknown data source `crn` in binding `customer`', 'did you mean `crm`?'],
      ['unknown-source', 'erp', 'unknown data source `erp` in binding `other`', 'declare it under `sources:` in herald.yaml, with `use:` and its `queries:`'],
    ]);
  });

  it('reports an unknown query of a known source, in data and in fetch steps', () => {
    const r = checkRule(unknownSources, {
      'herald.yaml': BASE_CONFIG,
      'j.journey.yaml': journey('  customer: { source: crm, query: customerByID }\n', '  - fetch: { open: { source: crm, query: openInvoices } }\n'),
    });
    expect(r.map((p) => [p.code, p.at, p.message, p.hint])).toEqual([
      ['unknown-query', 'customerByID', 'source `crm` has no query `customerByID`', 'did you mean `customerById`?'],
      [
        'unknown-query',
        'openInvoices',
        'source `crm` has no query `openInvoices`',
        'its queries: `customerById`, `invoices`; or add `openInvoices` under its `queries:`',
      ],
    ]);
    expect(r[0]!.related).toEqual([expect.objectContaining({ file: 'herald.yaml', at: 'crm', message: 'source `crm` is declared here' })]);
    expect(r[0]!.fix).toEqual({ at: 'customerByID', newText: 'customerById' });
  });

  it('is silent without herald.yaml', () => {
    expect(checkRule(unknownSources, { 'j.journey.yaml': journey('  c: { source: crm, query: q }\n') })).toEqual([]);
  });
});
