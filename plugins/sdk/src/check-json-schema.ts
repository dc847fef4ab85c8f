import { isPlainObject } from './json.js';

/**
 * Structural check that a value is a well-formed JSON Schema (draft 2020-12): every keyword
 * Herald knows has a value of the right shape, sub-schemas are schemas, patterns compile.
 * Unknown keywords are allowed, as the specification allows, except that Herald's annotations
 * must be readable: `x-herald-file` is `true`, `false` or `"json"`, `x-herald-file-schema` a
 * schema beside `"x-herald-file": "json"`, and `x-herald-json-key-of` a JSON pointer. It does
 * not fetch `$ref`s.
 *
 * Returns problems as `<json pointer>: <message>` strings; an empty list means well-formed.
 * The runtime and the compiler still compile schemas with ajv; this check has no dependency
 * so that the manifest loader and the test kit can say early and precisely what is wrong.
 */
export function checkJsonSchema(schema: unknown, pointer = '#'): string[] {
  const problems: string[] = [];
  visitSchema(schema, pointer, problems);
  return problems;
}

const TYPE_NAMES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const SCHEMA_KEYWORDS = [
  'additionalProperties', 'items', 'not', 'contains', 'propertyNames', 'if', 'then', 'else',
  'unevaluatedProperties', 'unevaluatedItems', 'contentSchema',
];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const COUNT_KEYWORDS = [
  'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minContains', 'maxContains',
];
const STRING_KEYWORDS = [
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$comment', 'title', 'description', 'format',
  'contentEncoding', 'contentMediaType',
];
const BOOLEAN_KEYWORDS = ['uniqueItems', 'readOnly', 'writeOnly', 'deprecated'];
/**
 * Herald's own annotations, no JSON Schema keywords, so a mark the compiler cannot read must not
 * pass silently. `x-herald-file`: the compiler reports a value it marks that names no file
 * (`missing-plugin-file`), and with `"json"` one whose file is not valid JSON
 * (`invalid-plugin-file`). `x-herald-json-key-of`: a query value that must be a top-level key
 * of the JSON file named by the config value at that pointer.
 */
const FILE_ANNOTATION = 'x-herald-file';
const FILE_MARKS: readonly unknown[] = [true, false, 'json'];
const JSON_KEY_ANNOTATION = 'x-herald-json-key-of';
/** The JSON Schema a `"json"` file's content must fit (validate reports the place in the file). */
const FILE_SCHEMA_ANNOTATION = 'x-herald-file-schema';

function visitSchema(schema: unknown, at: string, problems: string[]): void {
  if (typeof schema === 'boolean') return;
  if (!isPlainObject(schema)) {
    problems.push(`${at}: a schema must be an object or a boolean, got ${describe(schema)}`);
    return;
  }
  const type = schema['type'];
  if (type !== undefined) {
    const names = Array.isArray(type) ? type : [type];
    if (Array.isArray(type) && type.length === 0) problems.push(`${at}/type: must not be an empty array`);
    for (const name of names) {
      if (typeof name !== 'string' || !TYPE_NAMES.has(name)) {
        problems.push(`${at}/type: ${JSON.stringify(name)} is not a JSON Schema type (${[...TYPE_NAMES].join(', ')})`);
      }
    }
    if (new Set(names).size !== names.length) problems.push(`${at}/type: lists a type twice`);
  }
  for (const key of SCHEMA_KEYWORDS) {
    if (key in schema) {
      if (key === 'items' && Array.isArray(schema[key])) {
        problems.push(`${at}/items: an array of schemas is draft-07 tuple syntax; draft 2020-12 uses prefixItems`);
      } else {
        visitSchema(schema[key], `${at}/${key}`, problems);
      }
    }
  }
  for (const key of SCHEMA_ARRAY_KEYWORDS) {
    if (!(key in schema)) continue;
    const list = schema[key];
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${at}/${key}: must be a non-empty array of schemas`);
      continue;
    }
    list.forEach((item, i) => visitSchema(item, `${at}/${key}/${i}`, problems));
  }
  for (const key of SCHEMA_MAP_KEYWORDS) {
    if (!(key in schema)) continue;
    const map = schema[key];
    if (!isPlainObject(map)) {
      problems.push(`${at}/${key}: must be an object whose values are schemas`);
      continue;
    }
    for (const [name, sub] of Object.entries(map)) visitSchema(sub, `${at}/${key}/${escapePointer(name)}`, problems);
  }
  for (const key of NUMBER_KEYWORDS) {
    if (key in schema && typeof schema[key] !== 'number') problems.push(`${at}/${key}: must be a number`);
  }
  if ('multipleOf' in schema) {
    const m = schema['multipleOf'];
    if (typeof m !== 'number' || !(m > 0)) problems.push(`${at}/multipleOf: must be a number greater than 0`);
  }
  for (const key of COUNT_KEYWORDS) {
    if (!(key in schema)) continue;
    const n = schema[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) problems.push(`${at}/${key}: must be a non-negative integer`);
  }
  for (const key of STRING_KEYWORDS) {
    if (key in schema && typeof schema[key] !== 'string') problems.push(`${at}/${key}: must be a string`);
  }
  for (const key of BOOLEAN_KEYWORDS) {
    if (key in schema && typeof schema[key] !== 'boolean') problems.push(`${at}/${key}: must be a boolean`);
  }
  if (FILE_ANNOTATION in schema && !FILE_MARKS.includes(schema[FILE_ANNOTATION])) {
    problems.push(
      `${at}/${FILE_ANNOTATION}: must be true, false or "json" (true marks a string as the path of a file in the project, "json" of a JSON file), got ${JSON.stringify(schema[FILE_ANNOTATION])}`,
    );
  }
  if (FILE_SCHEMA_ANNOTATION in schema) {
    const fileSchema = schema[FILE_SCHEMA_ANNOTATION];
    if (schema[FILE_ANNOTATION] !== 'json') {
      problems.push(`${at}/${FILE_SCHEMA_ANNOTATION}: describes a JSON file, so it goes beside "x-herald-file": "json"`);
    }
    if (!isPlainObject(fileSchema)) problems.push(`${at}/${FILE_SCHEMA_ANNOTATION}: must be a JSON Schema object, got ${describe(fileSchema)}`);
    else visitSchema(fileSchema, `${at}/${FILE_SCHEMA_ANNOTATION}`, problems);
  }
  if (JSON_KEY_ANNOTATION in schema) {
    const pointer = schema[JSON_KEY_ANNOTATION];
    if (typeof pointer !== 'string' || !/^(\/([^~/]|~[01])*)+$/.test(pointer)) {
      problems.push(
        `${at}/${JSON_KEY_ANNOTATION}: must be a JSON pointer to a config value marked "x-herald-file": "json", such as "/path", got ${JSON.stringify(pointer)}`,
      );
    }
  }
  if ('pattern' in schema) {
    const pattern = schema['pattern'];
    if (typeof pattern !== 'string') problems.push(`${at}/pattern: must be a string`);
    else checkRegExp(pattern, `${at}/pattern`, problems);
  }
  if (isPlainObject(schema['patternProperties'])) {
    for (const name of Object.keys(schema['patternProperties'])) {
      checkRegExp(name, `${at}/patternProperties/${escapePointer(name)}`, problems);
    }
  }
  if ('required' in schema) {
    const required = schema['required'];
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
      problems.push(`${at}/required: must be an array of property names`);
    } else if (new Set(required).size !== required.length) {
      problems.push(`${at}/required: lists a property twice`);
    }
  }
  if ('enum' in schema && !Array.isArray(schema['enum'])) problems.push(`${at}/enum: must be an array`);
  if ('examples' in schema && !Array.isArray(schema['examples'])) problems.push(`${at}/examples: must be an array`);
  if ('dependentRequired' in schema) {
    const dr = schema['dependentRequired'];
    if (!isPlainObject(dr) || Object.values(dr).some((v) => !Array.isArray(v) || v.some((s) => typeof s !== 'string'))) {
      problems.push(`${at}/dependentRequired: must map property names to arrays of property names`);
    }
  }
}

function checkRegExp(source: string, at: string, problems: string[]): void {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    problems.push(`${at}: not a valid regular expression (${(error as Error).message})`);
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
