import { describe, expect, it } from 'vitest';
import { contentHash, sortKeys, stableStringify } from './stable-json.js';

describe('sortKeys', () => {
  it('sorts keys at every level and leaves out undefined values', () => {
    expect(stableStringify({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[{"e":2,"f":1}]},"b":1}');
  });

  it('keeps an own `__proto__` key as a plain key', () => {
    const value = JSON.parse('{"properties":{"__proto__":{"type":"string"},"a":{"type":"number"}}}') as unknown;
    const sorted = sortKeys(value) as { properties: Record<string, unknown> };
    expect(Object.getPrototypeOf(sorted.properties)).toBe(Object.prototype);
    expect(Object.hasOwn(sorted.properties, '__proto__')).toBe(true);
    expect(JSON.stringify(sorted)).toBe('{"properties":{"__proto__":{"type":"string"},"a":{"type":"number"}}}');
  });
});

describe('contentHash', () => {
  const ir = (schema: unknown, span = [1, 1]) => ({
    format: 'herald.ir/v1',
    events: { 'app.released': { type: { kind: 'object', fields: {} }, subject: null, schema } },
    journeys: [{ id: 'j', span: { file: 'j.journey.yaml', start: span, end: span }, nodes: [{ id: 'a', span: { file: 'j.journey.yaml', start: span, end: span } }] }],
  });

  it('ignores spans and the version itself', () => {
    expect(contentHash({ ...ir({ type: 'object' }, [3, 4]), version: 'sha256:x' })).toBe(contentHash(ir({ type: 'object' })));
  });

  it('hashes an event JSON Schema whole, properties named `version` or `span` included', () => {
    const a = ir({ type: 'object', properties: { version: { type: 'string', pattern: '^1\\.' } } });
    const b = ir({ type: 'object', properties: { version: { type: 'string', pattern: '^2\\.' } } });
    const c = ir({ type: 'object', properties: { span: { type: 'number' } } });
    expect(contentHash(a)).not.toBe(contentHash(b));
    expect(contentHash(c)).not.toBe(contentHash(ir({ type: 'object', properties: {} })));
  });

  it('hashes fields named `version` or `span` in types and plugin configs: a change to them is a new version', () => {
    const typed = (fieldType: string, config: unknown) => ({
      ...ir({ type: 'object' }),
      events: { 'app.released': { type: { kind: 'object', fields: { version: { kind: fieldType }, span: { kind: 'number' } } }, subject: null } },
      channels: { email: { use: '@herald/channel-email', config } },
    });
    expect(contentHash(typed('string', { version: 1 }))).not.toBe(contentHash(typed('number', { version: 1 })));
    expect(contentHash(typed('string', { version: 1 }))).not.toBe(contentHash(typed('string', { version: 2 })));
    expect(contentHash(typed('string', { span: 'a' }))).not.toBe(contentHash(typed('string', { span: 'b' })));
    expect(contentHash(typed('string', { version: 1 }))).toBe(contentHash(typed('string', { version: 1 })));
  });
});
