import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSourceContract, testPluginContext, testQueryContext } from '@herald/plugin-sdk/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from './index.js';
import type { FileQueryDefinition } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-source-file-'));
const path = join(dir, 'crm.json');
writeFileSync(
  path,
  JSON.stringify({
    customers: {
      'c-100': { name: 'Ada Lovelace', segment: 'business' },
      'c-200': { name: 'Alan Turing', segment: 'consumer' },
      'c-300': { name: 'Grace Hopper', segment: 'business' },
    },
    invoices: [
      { id: 'inv-1', customer: 'c-100', amount: 10 },
      { id: 'inv-2', customer: 'c-100', amount: 20 },
      { id: 'inv-3', customer: 'c-200', amount: 30 },
    ],
  }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open() {
  return plugin.create({ path }, testPluginContext({ path }));
}

describe('@herald/source-file', () => {
  it('honours the source contract', async () => {
    await assertSourceContract(plugin, {
      config: { path },
      query: { name: 'customerById', args: { id: 'c-100' }, definition: { collection: 'customers', key: 'id' } },
      verifyResult: (result) => {
        expect(result).toEqual({ ok: true, value: { name: 'Ada Lovelace', segment: 'business' } });
      },
    });
  });

  it('selects a record by the key argument, default id', async () => {
    const source = await open();
    const q = (args: Record<string, unknown>, def: FileQueryDefinition) => source.query('q', args, def, testQueryContext());
    expect(await q({ id: 'c-200' }, { collection: 'customers' })).toMatchObject({ ok: true, value: { name: 'Alan Turing' } });
    expect(await q({ customerId: 'c-300' }, { collection: 'customers', key: 'customerId' })).toMatchObject({
      ok: true,
      value: { name: 'Grace Hopper' },
    });
  });

  it('answers null for a missing record and fails for a missing collection or key argument', async () => {
    const source = await open();
    expect(await source.query('q', { id: 'nobody' }, { collection: 'customers' }, testQueryContext())).toEqual({ ok: true, value: null });
    expect(await source.query('q', { id: 'c-100' }, { collection: 'clients' }, testQueryContext())).toMatchObject({
      ok: false,
      retryable: false,
      code: 'NO_COLLECTION',
    });
    expect(await source.query('q', {}, { collection: 'customers' }, testQueryContext())).toMatchObject({ ok: false, code: 'MISSING_KEY' });
  });

  it('lists records filtered by equal arguments, for keyed and array collections', async () => {
    const source = await open();
    const business = await source.query('q', { segment: 'business' }, { collection: 'customers', list: true }, testQueryContext());
    expect(business.ok && (business.value as { name: string }[]).map((r) => r.name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const invoices = await source.query('q', { customer: 'c-100' }, { collection: 'invoices', list: true }, testQueryContext());
    expect(invoices.ok && (invoices.value as { id: string }[]).map((r) => r.id)).toEqual(['inv-1', 'inv-2']);
    // Array collections are keyed by their records' id.
    expect(await source.query('q', { id: 'inv-3' }, { collection: 'invoices' }, testQueryContext())).toMatchObject({ value: { amount: 30 } });
  });

  it('refuses `-`, URLs and an empty path at create with a plain message, not a mangled ENOENT', async () => {
    const create = (p: string) => plugin.create({ path: p }, testPluginContext({ path: p }));
    await expect(create('-')).rejects.toThrow('config.path is "-" (standard input or output), but the file source reads a JSON file; name one, relative to the project root');
    await expect(create('https://x.example/crm.json')).rejects.toThrow(
      'config.path is a URL (https://x.example/crm.json), but the file source reads local files only; save the file in the project and name that copy',
    );
    await expect(create('file:///srv/crm.json')).rejects.toThrow(/^config\.path is a URL/);
    await expect(create('')).rejects.toThrow('config.path is empty; name a JSON file, relative to the project root');
    await expect(create('  ')).rejects.toThrow('config.path is empty');
    // A file that is simply not there still says where it looked.
    await expect(create(join(dir, 'none.json'))).rejects.toThrow(/ENOENT.*none\.json/);
  });

  it('refuses a file that is not JSON at create', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    await expect(plugin.create({ path: bad }, testPluginContext({ path: bad }))).rejects.toThrow(/not valid JSON/);
  });
});
