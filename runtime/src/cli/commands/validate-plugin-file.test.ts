import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { heraldInProcess as herald } from '../../../../test/helpers/herald-in-process.js';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/invoice-dunning', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-validate-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The invoice-dunning example without its source-file data (`path: data/crm.json`, herald.yaml line 27). */
function exampleWithoutData(name: string): string {
  const dir = join(scratch, name);
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.endsWith('crm.json') && !src.includes('node_modules') && !src.includes('.herald') });
  return dir;
}

describe('herald validate: a plugin file that is not there', () => {
  it('reports `missing-plugin-file` at the path and exits non-zero, where `herald dev` would stop with ENOENT', async () => {
    const r = await herald(['validate', exampleWithoutData('text')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/herald\.yaml:27:21 - error missing-plugin-file: the `path` of source `crm` names `data\/crm\.json`, which does not exist/);
    expect(r.out).toContain('hint: the path is relative to the project root');
    expect(r.out).not.toContain('No problems found');
  });

  it('gives the code and range in JSON output', async () => {
    const r = await herald(['validate', '--format', 'json', exampleWithoutData('json')]);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.out) as { code: string; severity: string; range: { start: { line: number; column: number } } }[];
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'missing-plugin-file', severity: 'error', range: expect.objectContaining({ start: expect.objectContaining({ line: 27, column: 21 }) }) })]);
  });

  it('passes the example as shipped', async () => {
    const r = await herald(['validate', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No problems found');
  });
});
