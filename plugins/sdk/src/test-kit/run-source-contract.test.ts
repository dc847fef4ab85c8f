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

  it('gives a rejected query and a rejected second close() hints of their own', async () => {
    let closed = false;
    const throwing = defineSource({
      name: 'throwing-db',
      version: '1.0.0',
      configSchema: { type: 'object' },
      create: () => ({
        query: async () => {
          throw new Error('connection lost');
        },
        close: async () => {
          if (closed) throw new Error('already closed');
          closed = true;
        },
      }),
    });
    const report = await runSourceContract(throwing, { config: {}, query: { name: 'q', args: {}, definition: undefined } });
    const detail = (id: string) => report.checks.find((c) => c.id === id)?.detail;
    expect(detail('query-valid')).toBe(
      'query rejected (connection lost); source problems must be returned as values (sourceFailed.retryable, sourceFailed.permanent; a missing record is sourceOk(null)): the runtime counts a rejected query as a bug in the plugin',
    );
    expect(detail('close-idempotent')).toMatch(/^the second close\(\) rejected \(already closed\); close\(\) must resolve, also when it is called again: make it idempotent/);
  });
});
