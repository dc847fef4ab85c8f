/**
 * Herald's own file schemas are compiled without checking them against the JSON Schema
 * meta-schema at every start (ajv-instance.ts: that check was a quarter of `herald validate`),
 * so they are checked here, with the same strictness the compiler's ajv uses.
 */
import AjvModule from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ANNOTATIONS } from './ajv-instance.js';
import { FILE_SCHEMAS } from './schemas.js';

const Ajv2020 = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;

describe("Herald's file schemas", () => {
  it.each(Object.keys(FILE_SCHEMAS))('the %s schema is valid JSON Schema 2020-12 and compiles in strict mode', (kind) => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addVocabulary(ANNOTATIONS);
    const schema = FILE_SCHEMAS[kind as keyof typeof FILE_SCHEMAS];
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});
