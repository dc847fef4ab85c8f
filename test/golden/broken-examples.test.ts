import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { herald, REPO_ROOT } from '../helpers/cli.js';

const GOLDEN = join(REPO_ROOT, 'examples/broken/expected-diagnostics.txt');
const GOLDEN_JSON = join(REPO_ROOT, 'examples/broken/expected-diagnostics.json');
const update = process.env['HERALD_UPDATE_GOLDEN'] === '1';

describe('herald validate examples/broken', () => {
  it('prints exactly the golden diagnostics and exits 1', () => {
    const r = herald(['validate', 'examples/broken', '--no-color']);
    expect(r.stderr).toBe('');
    if (update) writeFileSync(GOLDEN, r.stdout);
    expect(r.stdout).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(r.code).toBe(1);
  });

  it('gives the same diagnostics as JSON, with stable codes and positions', () => {
    const r = herald(['validate', 'examples/broken', '--format', 'json']);
    const diags = JSON.parse(r.stdout) as { code: string; file: string; range: { start: { line: number; column: number } }; message: string }[];
    const compact = diags.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column} ${d.code}: ${d.message}`).join('\n') + '\n';
    if (update) writeFileSync(GOLDEN_JSON, compact);
    expect(compact).toBe(readFileSync(GOLDEN_JSON, 'utf8'));
    // Every mistake named in the files' comments is among the codes reported.
    for (const code of ['unknown-template', 'unknown-step-kind', 'wait-without-timeout', 'unknown-step', 'type-mismatch', 'unknown-key', 'expr-syntax', 'loop-without-wait', 'duplicate-id', 'unquoted-template', 'invalid-duration', 'yaml-syntax', 'unknown-plugin', 'invalid-plugin-config', 'invalid-type-syntax', 'unknown-variable', 'template-unescaped-html', 'unknown-channel']) {
      expect(diags.map((d) => d.code)).toContain(code);
    }
  });

  it('writes SARIF 2.1.0 that names each rule once', () => {
    const r = herald(['validate', 'examples/broken', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: unknown[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const rules = sarif.runs[0]!.tool.driver.rules.map((x) => x.id);
    expect(new Set(rules).size).toBe(rules.length);
    for (const res of sarif.runs[0]!.results) expect(rules).toContain(res.ruleId);
  });
});

describe('herald validate examples/*', () => {
  it('is clean for every example project', () => {
    const r = herald(['validate', 'examples/invoice-dunning', 'examples/order-lifecycle', 'examples/onboarding']);
    expect(r.stdout).toContain('No problems found.');
    expect(r.code).toBe(0);
  });
});
