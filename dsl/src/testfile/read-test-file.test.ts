import { describe, expect, it } from 'vitest';
import { readTestFile } from './read-test-file.js';
import { testFileDiagnostics } from './test-file-diagnostics.js';
import { RECEIPT_PICKS } from './journey-test.js';
import { keysOf } from './test-file-keys.js';

const FILE = `tests:
  - name: one
    fixtures:
      crm.byId: { returns: { name: Ada } }
    steps:
      - event: { type: order.placed, data: { subjectId: c-1 } }
      - expect:
          sent: [{ channel: email, template: "welcome", step: greet }]
          instance: { journey: onboarding, at: wait-order, visited: [greet] }
`;

describe('readTestFile references', () => {
  it('notes every name the file takes from the project with the span of its text', () => {
    const { references, problems } = readTestFile('t.test.yaml', FILE);
    expect(problems).toEqual([]);
    const shown = references.map((r) => ({ kind: r.kind, name: r.name, journey: 'journey' in r ? r.journey : undefined, text: FILE.slice(r.span.start, r.span.end) }));
    expect(shown).toEqual([
      { kind: 'query', name: 'crm.byId', journey: undefined, text: 'crm.byId' },
      { kind: 'event', name: 'order.placed', journey: undefined, text: 'order.placed' },
      { kind: 'channel', name: 'email', journey: undefined, text: 'email' },
      { kind: 'template', name: 'welcome', journey: undefined, text: '"welcome"' },
      { kind: 'send-step', name: 'greet', journey: undefined, text: 'greet' },
      { kind: 'journey', name: 'onboarding', journey: undefined, text: 'onboarding' },
      { kind: 'step', name: 'wait-order', journey: 'onboarding', text: 'wait-order' },
      { kind: 'step', name: 'greet', journey: 'onboarding', text: 'greet' },
    ]);
  });
});

describe('testFileDiagnostics', () => {
  it('gives each problem the range of what is wrong: a misspelt key whole', () => {
    const text = FILE.replace('visited:', 'visted:');
    const [d, ...rest] = testFileDiagnostics('t.test.yaml', text);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'unknown-key', severity: 'error', file: 't.test.yaml', message: 'instance has no field "visted"', hint: 'did you mean `visited`?' });
    expect(text.slice(d!.range.start.offset, d!.range.end.offset)).toBe('visted');
    expect(d!.range.start).toMatchObject({ line: 9, column: text.split('\n')[8]!.indexOf('visted') + 1 });
  });

  it('reports a file that is not YAML where the parser stopped, with the compiler\'s code and hint', () => {
    expect(testFileDiagnostics('t.test.yaml', 'tests: [\n')).toEqual([
      {
        code: 'yaml-syntax',
        severity: 'error',
        file: 't.test.yaml',
        message: expect.stringMatching(/^Flow sequence .* end with a \]/),
        hint: 'check the indentation of this line against the lines above it',
        range: { start: { line: 2, column: 1, offset: 9 }, end: { line: 2, column: 1, offset: 9 } },
      },
    ]);
  });
});

describe('the format\'s keys', () => {
  it('take every way a receipt picks its message', () => {
    expect(keysOf('receipt')).toEqual(expect.arrayContaining([...RECEIPT_PICKS]));
    const text = `tests:\n  - name: r\n    steps:\n      - receipt: { channel: email, status: delivered, ${RECEIPT_PICKS.map((k) => `${k}: x`).join(', ')} }\n`;
    expect(readTestFile('t.test.yaml', text).problems).toEqual([]);
  });
});
