import { describe, expect, it } from 'vitest';
import { escapePointer, MAX_FIELD_PROBLEMS, schemaCheck } from './json-validator.js';

const optionalNumber = { anyOf: [{ type: 'number' }, { type: 'null' }] };

describe('schemaCheck', () => {
  it('says each problem once at its JSON Pointer: an anyOf adds nothing to what its branches said', () => {
    const check = schemaCheck({
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, amount: optionalNumber, plan: { enum: ['free', 'pro'] } },
    });
    expect(check({ amount: 'x', plan: 'gold', 'a/b': 1 })).toEqual([
      { path: '/id', message: 'is required' },
      { path: '/a~1b', message: 'is not allowed here' },
      // The branches of `number | null` in one sentence, with what came.
      { path: '/amount', message: 'must be a number or null, got a string ("x")' },
      { path: '/plan', message: 'must be one of "free", "pro"' },
    ]);
    expect(check({ id: 'x', amount: null })).toEqual([]);
  });

  it(`answers a long list of bad items with its first ${MAX_FIELD_PROBLEMS} problems`, () => {
    const check = schemaCheck({ type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { qty: optionalNumber } } } } });
    const problems = check({ items: Array.from({ length: 20_000 }, () => ({ qty: 'many' })) });
    expect(problems).toHaveLength(MAX_FIELD_PROBLEMS);
    expect(problems.slice(0, 3)).toEqual([
      { path: '/items/0/qty', message: 'must be a number or null, got a string ("many")' },
      { path: '/items/1/qty', message: 'must be a number or null, got a string ("many")' },
      { path: '/items/2/qty', message: 'must be a number or null, got a string ("many")' },
    ]);
  });

  it('says what a date-time must look like, not which ajv format it failed', () => {
    const check = schemaCheck({ type: 'object', properties: { dueDate: { type: 'string', format: 'date-time' } } });
    expect(check({ dueDate: 'yesterday' })).toEqual([{ path: '/dueDate', message: 'must be an RFC 3339 timestamp such as 2026-11-01T09:00:00Z' }]);
    expect(check({ dueDate: '2026-11-01T09:00:00Z' })).toEqual([]);
  });
});

describe('escapePointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(escapePointer('a/b~c')).toBe('a~1b~0c');
  });
});
