/**
 * The compiler loads chevrotain's one-file build (chevrotain.ts), not the package's entry and
 * its ~700 modules, which took a third of every command's start-up. Read from the built
 * compiler (`npx tsc -b dsl`): no module of it imports the package itself (type-only imports
 * are erased), and in a fresh process the parser made with the one-file build works.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

describe('loading the expression parser', () => {
  it('no module of the built compiler imports the chevrotain package itself', () => {
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(50);
    const importers = files.filter((f) => /\bfrom\s+['"]chevrotain['"]|\bimport\s*\(\s*['"]chevrotain['"]|\brequire\(\s*['"]chevrotain['"]\s*\)/.test(readFileSync(join(dist, f), 'utf8')));
    expect(importers).toEqual([]);
    expect(readFileSync(join(dist, 'expr/chevrotain.js'), 'utf8')).toContain("'chevrotain.mjs'");
  });

  it('parses and reports with chevrotain loaded from its one-file build, in a fresh process', () => {
    const entry = pathToFileURL(join(dist, 'index.js')).href;
    const script = `const { expr } = await import(${JSON.stringify(entry)});
      const ok = expr.parseExpression('a.b + 1 > 2');
      const bad = expr.parseExpression('a.b +');
      console.log(JSON.stringify({ ok: [ok.ast?.kind, ok.problems.length], bad: bad.problems.length > 0 }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ ok: ['binary', 0], bad: true });
  });
});
