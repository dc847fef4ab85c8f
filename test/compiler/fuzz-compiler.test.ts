import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, Project } from '@herald/dsl';
import { readFileOrUndefined } from '@herald/dsl';
import { listProjectYamlFiles as listYamlFiles } from '../../dsl/src/project/project-files-on-disk.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** mulberry32: a small seeded PRNG, so a failure reproduces from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = ['{', '}', '[', ']', ':', '-', "'", '"', '\t', '\n', '#', '&a', '*a', '!', '|', '>', '{{', '}}', '?', ',', '  ', 'ü😀', '\\', '%', '@', '${X}', '<<: *a', '---\n'];

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const lines = text.split('\n');
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 12)));
    case 1:
      return text.slice(0, at) + NOISE[Math.floor(rnd() * NOISE.length)] + text.slice(at);
    case 2: {
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)]!);
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(rnd() * lines.length);
      lines[i] = (rnd() < 0.5 ? '  ' : '') + lines[i]!.replace(/^ {2}/, rnd() < 0.5 ? '' : ' ');
      return lines.join('\n');
    }
    case 4: {
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, at) + text.slice(at).replace(/[a-z]/, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 1) % 26) + 97));
    default:
      return text.slice(0, at);
  }
}

describe('compiler fuzz', () => {
  it('only ever returns diagnostics for thousands of mutated example files', () => {
    const root = join(REPO_ROOT, 'examples/invoice-dunning');
    const files = listYamlFiles(root);
    const originals = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
    const project = new Project(root, { readFile: readFileOrUndefined, pluginRoots: [REPO_ROOT] });
    for (const [f, t] of originals) project.setFile(f, t);
    expect(project.check().diagnostics).toEqual([]);
    const rnd = prng(20261123);
    const known = new Set(Object.keys(CODES));
    let withDiagnostics = 0;
    const iterations = 3000;
    for (let i = 0; i < iterations; i++) {
      const file = files[Math.floor(rnd() * files.length)]!;
      let text = originals.get(file)!;
      const rounds = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, rnd);
      project.setFile(file, text);
      let diags;
      try {
        diags = project.compile().diagnostics;
      } catch (err) {
        throw new Error(`iteration ${i}: the compiler threw on a mutation of ${file}: ${String(err)}\n---\n${text}`);
      }
      for (const d of diags) {
        expect(known.has(d.code), `unregistered code ${d.code}`).toBe(true);
        expect(d.range.start.line).toBeGreaterThanOrEqual(1);
        expect(d.range.end.offset).toBeGreaterThanOrEqual(d.range.start.offset);
        expect(d.message.length).toBeGreaterThan(0);
      }
      if (diags.length) withDiagnostics++;
      project.setFile(file, originals.get(file)!);
    }
    // The mutations must actually break things, or this test proves nothing.
    expect(withDiagnostics).toBeGreaterThan(iterations / 3);
  }, 240_000);

  it('handles hostile inputs: deep nesting, alias bombs, huge files, binary noise', () => {
    const project = new Project('/p', { readFile: () => undefined });
    project.setFile('herald.yaml', 'project: p\n');
    const inputs = [
      'journey: ' + '['.repeat(20_000),
      'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`).join('\n'),
      'journey: j\n' + 'x'.repeat(11 * 1024 * 1024),
      '\u0000\u0001\uffff'.repeat(1000),
      'steps: ' + '- '.repeat(5000),
    ];
    for (const text of inputs) {
      project.setFile('x.journey.yaml', text);
      const diags = project.check().diagnostics.filter((d) => d.file === 'x.journey.yaml');
      expect(diags.length).toBeGreaterThan(0);
    }
  });
});
