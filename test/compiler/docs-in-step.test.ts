import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, classifyFile, FILE_SCHEMAS, parseYamlFile } from '@herald/dsl';
import { validateShape } from '../../dsl/src/schema/validate-shape.js';
import { REPO_ROOT } from '../helpers/cli.js';

const read = (p: string) => readFileSync(join(REPO_ROOT, p), 'utf8');

/** Every key any schema defines, found through properties, items, additionalProperties and $defs. */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries((s['properties'] as Record<string, unknown>) ?? {})) {
    out.add(k);
    schemaKeys(v, out);
  }
  for (const key of ['items', 'additionalProperties', 'then', 'else']) schemaKeys(s[key], out);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const x of (s[key] as unknown[]) ?? []) schemaKeys(x, out);
  for (const v of Object.values((s['$defs'] as Record<string, unknown>) ?? {})) schemaKeys(v, out);
  return out;
}

describe('docs stay in step with the code', () => {
  it('docs/dsl.md documents every key of every file schema', () => {
    const doc = read('docs/dsl.md');
    const missing = Object.values(FILE_SCHEMAS)
      .flatMap((s) => [...schemaKeys(s)])
      .filter((k) => !doc.includes(`\`${k}\``) && !doc.includes(`${k}:`));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every YAML example in docs/dsl.md is valid for its file kind', () => {
    const doc = read('docs/dsl.md');
    const blocks = [...doc.matchAll(/```yaml\n# file: (\S+)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const [, file, body] of blocks) {
      const kind = classifyFile(file!);
      if (!kind || kind === 'test') throw new Error(`unknown kind for ${file}`);
      const { root, problems } = parseYamlFile(file!, body!);
      expect(problems, file).toEqual([]);
      expect(validateShape(kind, root!).map((p) => `${file}: ${p.code} ${p.message}`)).toEqual([]);
    }
  });

  it('docs/diagnostics.md lists exactly the codes of the registry', () => {
    const doc = read('docs/diagnostics.md');
    const documented = new Set([...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
    expect([...Object.keys(CODES)].filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented].filter((c) => !(c in CODES))).toEqual([]);
    // Severity, stage and summary in the table are the registry's.
    for (const [, code, severity, stage, summary] of doc.matchAll(/^\| `([a-z-]+)` \| (\w+) \| (\w+) \| (.*) \|$/gm)) {
      const info = (CODES as Record<string, { severity: string; stage: string; summary: string }>)[code!]!;
      expect({ code, severity, stage, summary }).toEqual({ code, severity: info.severity, stage: info.stage, summary: info.summary });
    }
  });
});
