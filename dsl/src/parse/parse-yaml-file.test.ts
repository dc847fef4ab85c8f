import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseYamlFile } from './parse-yaml-file.js';
import { get, toJson } from './yaml-tree.js';
import type { YMap } from './yaml-tree.js';
import { spanInText } from '../model/ast.js';

const codes = (text: string) => parseYamlFile('f.yaml', text).problems.map((p) => p.code);

describe('parseYamlFile', () => {
  it('reads maps, sequences and scalars into plain JSON', () => {
    const { root, problems } = parseYamlFile('f.yaml', 'a: 1\nb: [x, true]\nc: { d: null }\n');
    expect(problems).toEqual([]);
    expect(toJson(root!)).toEqual({ a: 1, b: ['x', true], c: { d: null } });
  });

  it('keeps a key YAML reads as a number or boolean as it is written (subject ids like 007)', () => {
    const { root, problems } = parseYamlFile('f.yaml', '007: a\n1e21: b\n1.0: c\n0x1F: d\ntrue: e\n"08": f\n');
    expect(problems).toEqual([]);
    expect((root as YMap).entries.map((e) => e.key)).toEqual(['007', '1e21', '1.0', '0x1F', 'true', '08']);
    expect(toJson(root!)).toEqual({ '007': 'a', '1e21': 'b', '1.0': 'c', '0x1F': 'd', true: 'e', '08': 'f' });
    // Two spellings of one number are two keys, as written.
    expect(codes('1: a\n01: b\n')).toEqual([]);
  });

  it('reports a duplicate key at the second key, with the first as related', () => {
    const text = 'journey: a\nsteps: []\njourney: b\n';
    const { problems } = parseYamlFile('f.yaml', text);
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p.code).toBe('duplicate-key');
    expect(text.slice(p.span.start, p.span.end)).toBe('journey');
    expect(p.span.start).toBe(text.lastIndexOf('journey'));
    expect(p.related?.[0]?.span.start).toBe(0);
  });

  it('says "quote this value" for an unquoted {{ }} and offers the fix', () => {
    const text = 'subject: {{ customer.name }}\n';
    const { problems, root } = parseYamlFile('f.yaml', text);
    expect(problems.map((p) => p.code)).toEqual(['unquoted-template']);
    expect(problems[0]!.fix?.newText).toBe('"{{ customer.name }}"');
    expect(toJson(root!)).toEqual({ subject: '{{ customer.name }}' });
  });

  it('says "quote this value" too when text follows the {{ }}, which YAML cannot parse at all, at the value with the fix', () => {
    const text = 'email:\n  en:\n    subject: {{user.firstName}}, still there?   # a nudge\n    text: hi\n';
    const { problems, root } = parseYamlFile('f.yaml', text);
    expect(root).toBeUndefined();
    expect(problems.map((p) => `${p.code} ${p.message}`)).toEqual(['unquoted-template `{{user.firstName}}, still there?` is read by YAML as a mapping, not as text']);
    const p = problems[0]!;
    expect(text.slice(p.span.start, p.span.end)).toBe('{{user.firstName}}, still there?');
    expect(p.fix?.newText).toBe('"{{user.firstName}}, still there?"');
    // With the fix applied the file parses.
    const fixed = text.slice(0, p.span.start) + p.fix!.newText + text.slice(p.span.end);
    expect(parseYamlFile('f.yaml', fixed).problems).toEqual([]);
    // Other syntax errors stay yaml-syntax.
    expect(codes('a: [1, 2\nb: 3\n')).toEqual(['yaml-syntax']);
  });

  it('reports tabs used for indentation as a YAML error with a hint', () => {
    const ps = parseYamlFile('f.yaml', 'a:\n\tb: 1\n').problems;
    expect(ps[0]?.code).toBe('yaml-syntax');
    expect(ps[0]?.hint).toMatch(/spaces/);
  });

  it('caps aliases (alias bomb) and reports unresolved aliases', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) bomb.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
    expect(codes(bomb.join('\n'))).toContain('too-many-aliases');
  });

  it('limits nesting depth and file size without throwing', () => {
    // Deep enough that composing it would overflow the stack (which once aborted the process
    // inside V8's RegExp compiler): the depth is measured before the YAML is composed.
    const deep = 100_000;
    const block = Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    for (const text of ['['.repeat(deep) + ']'.repeat(deep), '{a: '.repeat(deep) + '1' + '}'.repeat(deep), '- '.repeat(deep) + 'x', block]) {
      const { root, problems } = parseYamlFile('f.yaml', text);
      expect(root).toBeUndefined();
      expect(problems.map((p) => p.code)).toEqual(['nesting-too-deep']);
      expect(problems[0]!.hint).toMatch(/unclosed/);
    }
    const shallow = parseYamlFile('f.yaml', 'a: [[x]]\n', { ...DEFAULT_LIMITS, maxDepth: 3 });
    expect(shallow.problems).toEqual([]);
    const text = 'a: [[x], [[y]]]\nb: [[[z]]]\n';
    const tooDeep = parseYamlFile('f.yaml', text, { ...DEFAULT_LIMITS, maxDepth: 3 }).problems;
    expect(tooDeep.map((p) => [p.code, p.span.start])).toEqual([['nesting-too-deep', text.indexOf('[y')]]);
    const big = parseYamlFile('f.yaml', 'a: b\n', { maxBytes: 3, maxAliases: 10, maxDepth: 10 });
    expect(big.problems[0]?.code).toBe('file-too-large');
  });

  it('maps characters of quoted and block scalars back to file offsets', () => {
    const text = 'a: "x \\" {{name}}"\nb: |\n  one\n  two {{z}}\nc: \'it\'\'s {{w}}\'\n';
    const { root } = parseYamlFile('f.yaml', text);
    const m = root as YMap;
    for (const [key, needle] of [['a', '{{name}}'], ['b', '{{z}}'], ['c', '{{w}}']] as const) {
      const s = get(m, key);
      if (s?.kind !== 'scalar' || !s.text) throw new Error('expected text');
      const i = s.text.text.indexOf(needle);
      const span = spanInText(s.text, i, i + needle.length);
      expect(text.slice(span.start, span.end)).toBe(needle);
    }
  });

  it('reports a second YAML document', () => {
    expect(codes('a: 1\n---\nb: 2\n')).toEqual(['multiple-documents']);
  });
});
