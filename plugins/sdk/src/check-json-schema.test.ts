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

  it('takes `x-herald-file` as true, false or "json" only, wherever it is', () => {
    expect(checkJsonSchema({ type: 'object', properties: { path: { type: 'string', 'x-herald-file': true } } })).toEqual([]);
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': false })).toEqual([]);
    expect(checkJsonSchema({ type: 'object', properties: { data: { type: 'string', 'x-herald-file': 'json' } } })).toEqual([]);
    const mark = (m: unknown) => checkJsonSchema({ type: 'object', properties: { auth: { type: 'object', properties: { key: { type: 'string', 'x-herald-file': m } } } } }, 'configSchema');
    const refused = (got: string) =>
      `configSchema/properties/auth/properties/key/x-herald-file: must be true, false or "json" (true marks a string as the path of a file in the project, "json" of a JSON file), got ${got}`;
    expect(mark('yes')).toEqual([refused('"yes"')]);
    expect(mark('JSON')).toEqual([refused('"JSON"')]);
    expect(mark('yaml')).toEqual([refused('"yaml"')]);
    expect(mark(1)).toEqual([refused('1')]);
    expect(mark(null)).toEqual([refused('null')]);
    expect(mark(['json'])).toEqual([refused('["json"]')]);
  });

  it('takes `x-herald-file-schema` as a schema beside `"x-herald-file": "json"` only', () => {
    const fileSchema = { type: 'object', additionalProperties: { type: ['object', 'array'] } };
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': 'json', 'x-herald-file-schema': fileSchema })).toEqual([]);
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': true, 'x-herald-file-schema': fileSchema }, 'c')).toEqual([
      'c/x-herald-file-schema: describes a JSON file, so it goes beside "x-herald-file": "json"',
    ]);
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': 'json', 'x-herald-file-schema': 'object' }, 'c')).toEqual([
      'c/x-herald-file-schema: must be a JSON Schema object, got a string',
    ]);
    expect(checkJsonSchema({ type: 'string', 'x-herald-file': 'json', 'x-herald-file-schema': { type: 'dict' } }, 'c')).toEqual([
      'c/x-herald-file-schema/type: "dict" is not a JSON Schema type (string, number, integer, boolean, object, array, null)',
    ]);
  });

  it('takes `x-herald-json-key-of` as a JSON pointer only', () => {
    for (const pointer of ['/path', '/files/data', '/a~1b', '/a~0b']) {
      expect(checkJsonSchema({ type: 'object', properties: { collection: { type: 'string', 'x-herald-json-key-of': pointer } } }), pointer).toEqual([]);
    }
    for (const pointer of ['path', '', '/a~2', 3, true]) {
      expect(checkJsonSchema({ type: 'string', 'x-herald-json-key-of': pointer }, 'querySchema/properties/collection'), String(pointer)).toEqual([
        `querySchema/properties/collection/x-herald-json-key-of: must be a JSON pointer to a config value marked "x-herald-file": "json", such as "/path", got ${JSON.stringify(pointer)}`,
      ]);
    }
  });
});
