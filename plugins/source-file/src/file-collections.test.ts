import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileCollections } from './file-collections.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-file-collections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function dataFile(json: unknown): string {
  const path = join(dir, `data-${n++}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** Rewrites the file with a modification time that differs from the last, whatever the clock's resolution. */
let stamp = 1_700_000_000;
function edit(path: string, text: string) {
  writeFileSync(path, text);
  stamp += 10;
  utimesSync(path, stamp, stamp);
}

const nameOf = async (c: Awaited<ReturnType<typeof openFileCollections>>, key: string) => (await c.current()).get('customers')?.get(key)?.['name'];

describe('file collections', () => {
  it('sees an edit once the recheck interval has passed, not before', async () => {
    let clock = 0;
    const path = dataFile({ customers: { 'c-1': { name: 'Ada' } } });
    const collections = await openFileCollections(path, { recheckMs: 1000, now: () => clock });
    expect(await nameOf(collections, 'c-1')).toBe('Ada');
    edit(path, JSON.stringify({ customers: { 'c-1': { name: 'Grace' } } }));
    clock = 999;
    expect(await nameOf(collections, 'c-1')).toBe('Ada');
    clock = 1000;
    expect(await nameOf(collections, 'c-1')).toBe('Grace');
  });

  it('keeps the last good contents while the file is broken or gone, and warns', async () => {
    let clock = 0;
    const warnings: string[] = [];
    const path = dataFile({ customers: { 'c-1': { name: 'Ada' } } });
    const collections = await openFileCollections(path, { recheckMs: 1, now: () => clock, warn: (m) => warnings.push(m) });
    edit(path, '{"customers": {');
    clock += 1;
    expect(await nameOf(collections, 'c-1')).toBe('Ada');
    expect(warnings.join('\n')).toMatch(/not valid JSON.*last good contents/);
    rmSync(path);
    clock += 1;
    expect(await nameOf(collections, 'c-1')).toBe('Ada');
    expect(warnings.at(-1)).toMatch(/cannot read/);
    clock += 1;
    expect(await nameOf(collections, 'c-1')).toBe('Ada');
    expect(warnings.filter((w) => /cannot read/.test(w))).toHaveLength(1);
    edit(path, JSON.stringify({ customers: { 'c-1': { name: 'Alan' } } }));
    clock += 1;
    expect(await nameOf(collections, 'c-1')).toBe('Alan');
  });

  it('fails to open a file that was never good', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '[1, 2');
    await expect(openFileCollections(path)).rejects.toThrow(/not valid JSON/);
    await expect(openFileCollections(join(dir, 'missing.json'))).rejects.toThrow(/ENOENT/);
  });
});
