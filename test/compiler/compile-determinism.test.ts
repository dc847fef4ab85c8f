import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryValidatorFor } from '@herald/dsl';
import { IR_SCHEMA } from '@herald/dsl';
import { herald } from '../helpers/cli.js';

describe('herald compile', () => {
  it('writes the same bytes on every run, and a version that is the content hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-compile-'));
    const a = herald(['compile', 'examples/invoice-dunning', '-o', join(dir, 'a.json')]);
    const b = herald(['compile', 'examples/invoice-dunning', '-o', join(dir, 'b.json')]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ja = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(ja);
    const ir = JSON.parse(ja) as { version: string; journeys: { id: string; nodes: { id: string; span: unknown }[] }[] };
    expect(ir.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Every node carries its source span.
    for (const j of ir.journeys) for (const n of j.nodes) expect(n.span).toMatchObject({ file: expect.stringMatching(/journey\.yaml$/) });
  });

  it('produces IR valid against the published IR schema for every example', () => {
    const v = tryValidatorFor(IR_SCHEMA as object);
    if (!v.ok) throw new Error(v.error);
    for (const ex of ['invoice-dunning', 'order-lifecycle', 'onboarding']) {
      const r = herald(['compile', `examples/${ex}`]);
      expect(r.code).toBe(0);
      const ok = v.validate(JSON.parse(r.stdout));
      expect(v.validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('draws a journey as Mermaid and DOT, and suggests a name for a typo', () => {
    const m = herald(['graph', 'invoice-overdue', '-d', 'examples/invoice-dunning']);
    expect(m.stdout).toMatch(/^flowchart TD/);
    expect(m.stdout).toContain('invoice.paid');
    const d = herald(['graph', 'invoice-overdue', '-d', 'examples/invoice-dunning', '--format', 'dot']);
    expect(d.stdout).toMatch(/^digraph "invoice-overdue"/);
    const bad = herald(['graph', 'invoice-overdu', '-d', 'examples/invoice-dunning']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('did you mean `invoice-overdue`?');
  });

  it('publishes the JSON Schemas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-schema-'));
    const r = herald(['schema', '--out', dir]);
    expect(r.code).toBe(0);
    const journey = JSON.parse(readFileSync(join(dir, 'journey.schema.json'), 'utf8')) as { $schema: string };
    expect(journey.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('answers --help on every command', () => {
    for (const cmd of ['validate', 'compile', 'graph', 'schema']) {
      const r = herald([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: herald ${cmd}`);
    }
  });
});
