import { describe, expect, it } from 'vitest';
import { tryValidatorFor } from './ajv-instance.js';

/** The error a plugin schema gives, as the compiler reports it (`invalid-plugin-manifest`'s hint). */
const errorOf = (schema: object) => {
  const r = tryValidatorFor(schema);
  if (r.ok) throw new Error('the schema compiled');
  return r.error;
};

describe('a plugin schema that is not valid JSON Schema', () => {
  it('is said once per place, in plain words, instead of every meta-schema branch', () => {
    const error = errorOf({ type: 'object', properties: { port: { type: 'integr' }, n: { minimum: '3' }, e: { enum: 'a' }, s: { items: 5 } } });
    expect(error.split('; ')).toEqual([
      'properties/port/type: "integr" is not a JSON Schema type (string, number, integer, boolean, object, array, null), nor a list of them',
      'properties/n/minimum: must be a number, got "3"',
      'properties/e/enum: must be an array, got "a"',
      'properties/s/items: must be an object (a schema) or true or false, got 5',
    ]);
  });

  it('names a property called `type` by its path, not as a type keyword', () => {
    expect(errorOf({ type: 'object', properties: { type: 'string' } })).toBe('properties/type: must be an object (a schema) or true or false, got "string"');
  });

  it("keeps ajv's own text for a schema that is valid but cannot compile", () => {
    expect(errorOf({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } })).toMatch(/can't resolve reference #\/\$defs\/missing/);
  });
});
