import { describe, expect, it } from 'vitest';
import { defineSource } from '../define-source.js';
import { sourceFailed, sourceOk } from '../source-result.js';
import { runSourceContract } from './run-source-contract.js';

const customers = defineSource<{ rows: number }, { table: string }>({
  name: 'fake-db',
  version: '1.0.0',
  configSchema: { type: 'object', properties: { rows: { type: 'integer' } } },
  querySchema: { type: 'object', properties: { table: { type: 'string' } }, required: ['table'] },
  create: () => ({
    async query(_name, args, definition, ctx) {
      if (ctx.signal.aborted) return sourceFailed.retryable('aborted', { code: 'ABORTED' });
      return sourceOk({ table: definition.table, id: args['id'] });
    },
  }),
});

describe('runSourceContract', () => {
  it('passes a well-behaved source and lets the author check the value', async () => {
    let value: unknown;
    const report = await runSourceContract(customers, {
      config: { rows: 3 },
      query: { name: 'customerById', args: { id: 7 }, definition: { table: 'customers' } },
      verifyResult: (r) => {
        value = r.ok ? r.value : undefined;
      },
    });
    expect(report.passed).toBe(true);
    expect(value).toEqual({ table: 'customers', id: 7 });
    expect(report.checks.find((c) => c.id === 'close-idempotent')?.status).toBe('skipped');
  });

  it('fails when the with: block does not match querySchema', async () => {
    const report = await runSourceContract(customers, { config: { rows: 1 }, query: { name: 'q', args: {}, definition: { tabel: 'x' } as never } });
    expect(report.checks.find((c) => c.id === 'query-definition-valid')?.detail).toBe('#: "table" is required');
  });
});
