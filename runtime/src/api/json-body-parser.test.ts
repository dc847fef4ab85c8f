import { describe, expect, it } from 'vitest';
import { parseJsonBody, protoKeyPaths } from './json-body-parser.js';

describe('the JSON body parser', () => {
  it('parses JSON, with a byte order mark too', () => {
    expect(parseJsonBody('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    expect(parseJsonBody('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('finds "__proto__" keys at any depth, in document order, with their pointers escaped', () => {
    expect(protoKeyPaths(JSON.parse('{"a/b":{"__proto__":1},"c":[{"~":{"__proto__":{"__proto__":2}}}]}'))).toEqual([
      '/a~1b/__proto__',
      '/c/0/~0/__proto__',
      '/c/0/~0/__proto__/__proto__',
    ]);
    expect(protoKeyPaths({ constructor: { prototype: {} } })).toEqual([]);
  });

  it('walks a body nested 300,000 levels deep without running out of stack', () => {
    const deep = `${'['.repeat(300_000)}{"__proto__":1}${']'.repeat(300_000)}`;
    const parsed = parseJsonBody(deep);
    expect(parsed.ok).toBe(false);
    // The sentence shortens a path that long; `errors` has it whole.
    if (!parsed.ok) expect(parsed.refusal.message).toMatch(/^the body has a "__proto__" key at (\/0){50}\.\.\.\/__proto__; /);
    if (!parsed.ok) expect(parsed.refusal.errors).toEqual([{ path: `${'/0'.repeat(300_000)}/__proto__`, message: 'is a "__proto__" key, which Herald refuses anywhere in a body' }]);
  });

  it('reports at most 10 keys', () => {
    const many = `[${Array.from({ length: 50 }, () => '{"__proto__":1}').join(',')}]`;
    const parsed = parseJsonBody(many);
    expect(parsed.ok ? [] : parsed.refusal.errors).toHaveLength(10);
    expect(parsed.ok ? '' : parsed.refusal.message).toMatch(/at \/0\/__proto__, .*\/9\/__proto__, \.\.\.; such keys/);
  });
});
