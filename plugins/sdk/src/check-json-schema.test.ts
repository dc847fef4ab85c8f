import { describe, expect, it } from 'vitest';
import { checkJsonSchema } from './check-json-schema.js';

describe('checkJsonSchema', () => {
  it('accepts well-formed schemas, booleans and unknown keywords', () => {
    expect(checkJsonSchema(true)).toEqual([]);
    expect(
      checkJsonSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['host'],
        additionalProperties: false,
        'x-herald-secret': ['pass'],
      }),
    ).toEqual([]);
  });

  it('reports each malformed keyword with a JSON pointer', () => {
    expect(checkJsonSchema('object')).toEqual(['#: a schema must be an object or a boolean, got a string']);
    expect(checkJsonSchema({ type: 'text' })[0]).toMatch(/^#\/type: "text" is not a JSON Schema type/);
    expect(checkJsonSchema({ properties: { a: { type: 'int' } } })[0]).toMatch(/^#\/properties\/a\/type/);
    expect(checkJsonSchema({ required: 'a' })).toEqual(['#/required: must be an array of property names']);
    expect(checkJsonSchema({ required: ['a', 'a'] })).toEqual(['#/required: lists a property twice']);
    expect(checkJsonSchema({ minLength: -1 })).toEqual(['#/minLength: must be a non-negative integer']);
    expect(checkJsonSchema({ pattern: '(' })[0]).toMatch(/^#\/pattern: not a valid regular expression/);
    expect(checkJsonSchema({ anyOf: [] })).toEqual(['#/anyOf: must be a non-empty array of schemas']);
    expect(checkJsonSchema({ items: [{ type: 'string' }] })[0]).toMatch(/prefixItems/);
    expect(checkJsonSchema({ enum: 'a' })).toEqual(['#/enum: must be an array']);
    expect(checkJsonSchema({ multipleOf: 0 })).toEqual(['#/multipleOf: must be a number greater than 0']);
    expect(checkJsonSchema({ properties: { 'a/b': 3 } }, 'configSchema')).toEqual([
      'configSchema/properties/a~1b: a schema must be an object or a boolean, got a number',
    ]);
  });

  it('takes `x-herald-file` as a boolean only, wherever it is', () => {
    expect(checkJsonSchema({ type: 'object', properties: { path: { type: 'string', 'x-herald-file': true } } })).toEqual([]);
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': false })).toEqual([]);
    expect(checkJsonSchema({ type: 'object', properties: { auth: { type: 'object', properties: { key: { type: 'string', 'x-herald-file': 'yes' } } } } }, 'configSchema')).toEqual([
      'configSchema/properties/auth/properties/key/x-herald-file: must be true or false (true marks a string as the path of a file in the project), got "yes"',
    ]);
  });
});
