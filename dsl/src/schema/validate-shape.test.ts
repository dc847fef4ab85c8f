import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../parse/parse-yaml-file.js';
import type { FileKind } from '../model/ast.js';
import { validateShape } from './validate-shape.js';

function check(kind: FileKind, text: string) {
  const { root, problems } = parseYamlFile('f.yaml', text);
  expect(problems).toEqual([]);
  return validateShape(kind, root!).map((p) => ({ code: p.code, at: text.slice(p.span.start, p.span.end), message: p.message, hint: p.hint }));
}

const journey = (steps: string) => `journey: j\ntrigger: { event: a.b }\nsteps:\n${steps}`;

describe('validateShape', () => {
  it('accepts a valid journey', () => {
    expect(check('journey', journey('  - send: t\n    policy: p\n  - wait: 3d\n  - wait: { event: x.y, timeout: 2h }\n  - exit: done\n'))).toEqual([]);
  });

  it('points an unknown key at the key itself with a did-you-mean', () => {
    const r = check('journey', journey('  - send: t\n    polcy: p\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'unknown-key', at: 'polcy', hint: 'did you mean `policy`?' })]);
    expect(r[0]!.message).toContain('send step');
  });

  it('gives one error for a misspelt step kind, not one per kind', () => {
    const r = check('journey', journey('  - sned: t\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'unknown-step-kind', at: 'sned', hint: 'did you mean `send`?' })]);
  });

  it('reports two kinds in one step once', () => {
    const r = check('journey', journey('  - send: t\n    wait: 3d\n'));
    expect(r.map((x) => x.code)).toEqual(['multiple-step-kinds']);
  });

  it('reports a bad duration with a hint', () => {
    const r = check('journey', journey('  - wait: 3 days\n'));
    expect(r).toEqual([expect.objectContaining({ code: 'invalid-duration', at: '3 days' })]);
    expect(r[0]!.hint).toMatch(/duration \(`3d`\)/);
  });

  it('reports missing required keys at the mapping', () => {
    const r = check('journey', 'journey: j\nsteps:\n  - exit: x\n');
    expect(r).toEqual([expect.objectContaining({ code: 'missing-key', at: 'journey' })]);
    expect(r[0]!.message).toContain('`trigger`');
  });

  it('reports wrong types and enum values with did-you-mean', () => {
    const r = check('journey', 'journey: j\ntrigger: { event: a.b, reentry: nevr }\nsteps: 3\n');
    expect(r).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'invalid-value', at: 'nevr', hint: 'did you mean `never`?' }),
        expect.objectContaining({ code: 'wrong-type', at: '3' }),
      ]),
    );
  });

  it('leaves a numeric split weight to the split-weights rule (x-checked-by), but not one that is no number', () => {
    const split = (w: string) => journey(`  - split:\n      - { weight: ${w}, goto: a }\n      - { weight: 1, goto: a }\n  - id: a\n    exit: x\n`);
    expect(check('journey', split('0'))).toEqual([]);
    expect(check('journey', split('-1'))).toEqual([]);
    expect(check('journey', split('.inf'))).toEqual([]);
    expect(check('journey', split('half'))).toEqual([expect.objectContaining({ code: 'wrong-type', at: 'half' })]);
  });

  it('validates policies, templates and herald.yaml', () => {
    expect(check('policy', 'policy: p\nchannels: [email]\nretry: { attempts: 3, backof: fixed }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'backof', hint: 'did you mean `backoff`?' }),
    ]);
    expect(check('template', 'template: t\nemail:\n  en:\n    subjet: hi\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'subjet', hint: 'did you mean `subject`?' }),
    ]);
    expect(check('config', 'project: p\nchannels:\n  email: { use: x, confg: {} }\n')).toEqual([
      expect.objectContaining({ code: 'unknown-key', at: 'confg', hint: 'did you mean `config`?' }),
    ]);
  });
});
