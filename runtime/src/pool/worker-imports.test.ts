/**
 * The worker threads load only the light entry of the compiler (`@herald/dsl/render`): the full
 * one (expression parser, YAML and schema machinery) costs ~20 MB in every thread, which showed
 * as the runtime's memory at rest (bench/runtime: 150 → 170 MB) when one module of the worker's
 * graph imported a helper from `@herald/dsl`. Read from the built worker (`npx tsc -b runtime`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

/** The bare specifiers the static imports of `entry`'s module graph (within runtime/dist) name, with who imports each. */
function bareImports(entry: string): Map<string, string> {
  const bare = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!bare.has(spec)) bare.set(spec, file.slice(dist.length + 1));
    }
  };
  visit(entry);
  return bare;
}

describe('the worker thread module graph', () => {
  it('imports the compiler only through @herald/dsl/render', () => {
    const bare = bareImports(resolve(dist, 'pool/worker.js'));
    expect(bare.has('@herald/dsl/render')).toBe(true);
    expect(bare.get('@herald/dsl')).toBeUndefined();
  });
});
