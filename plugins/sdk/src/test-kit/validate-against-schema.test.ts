import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from './validate-against-schema.js';

const schema = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    mode: { enum: ['a', 'b'] },
    auth: { $ref: '#/$defs/auth' },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, uniqueItems: true },
  },
  required: ['host'],
  additionalProperties: false,
  $defs: { auth: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'] } },
};

describe('validateAgainstSchema', () => {
  it('accepts a valid value', () => {
    expect(validateAgainstSchema({ host: 'smtp', port: 25, mode: 'a', auth: { user: 'u' }, tags: ['x', 'y'] }, schema)).toEqual([]);
  });

  it('reports each violation with a pointer', () => {
    expect(validateAgainstSchema({ port: 0.5, mode: 'c', auth: {}, tags: ['x', 'x', 'Y'], more: 1 }, schema)).toEqual([
      '#: "host" is required',
      '#/port: must be integer, got number',
      '#/mode: must be one of "a", "b"',
      '#/auth: "user" is required',
      '#/tags: items must be unique',
      '#/tags/2: must match /^[a-z]+$/',
      '#: unknown property "more"',
    ]);
  });

  it('handles anyOf, oneOf, not, const, if/then/else and boolean schemas', () => {
    expect(validateAgainstSchema(3, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual([]);
    expect(validateAgainstSchema(3, { oneOf: [{ type: 'number' }, { type: 'integer' }] })).toEqual(['#: must match exactly one schema of oneOf (matches 2)']);
    expect(validateAgainstSchema('x', { not: { type: 'string' } })).toEqual(['#: must not match the "not" schema']);
    expect(validateAgainstSchema('x', { const: 'y' })).toEqual(['#: must be "y"']);
    const conditional = { if: { properties: { secure: { const: true } } }, then: { required: ['cert'] } };
    expect(validateAgainstSchema({ secure: true }, conditional)).toEqual(['#: "cert" is required']);
    expect(validateAgainstSchema({ secure: false }, conditional)).toEqual([]);
    expect(validateAgainstSchema(1, false)).toEqual(['#: no value is allowed here']);
    expect(validateAgainstSchema(1, true)).toEqual([]);
  });
});
