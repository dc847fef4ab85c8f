import { isPlainObject } from '../json.js';
import { NUMBER_FORMATS, STRING_FORMATS } from './string-formats.js';

/**
 * Validates a value against a JSON Schema, for the keywords a plugin config uses:
 * type, enum, const, properties, required, additionalProperties, patternProperties, items,
 * prefixItems, min/maxItems, uniqueItems, minimum, maximum, exclusiveMinimum/Maximum, multipleOf,
 * min/maxLength, pattern, format (string-formats.ts: ajv-formats' formats, as the runtime checks
 * them), allOf, anyOf, oneOf, not, if/then/else, and local `$ref`s (`#/$defs/...`).
 * Other keywords (unevaluated*, remote refs) and unknown formats are ignored. The runtime validates configs
 * with ajv; this subset lets the test kit catch a config that drifted from its schema without a dependency.
 *
 * Returns `<json pointer>: <message>` problems; empty when the value is valid.
 */
export function validateAgainstSchema(value: unknown, schema: unknown): string[] {
  const problems: string[] = [];
  validate(value, schema, schema, '#', problems);
  return problems;
}

function validate(value: unknown, schema: unknown, root: unknown, at: string, problems: string[]): void {
  if (schema === true || schema === undefined) return;
  if (schema === false) {
    problems.push(`${at}: no value is allowed here`);
    return;
  }
  if (!isPlainObject(schema)) return;
  const s = schema;
  if (typeof s['$ref'] === 'string') validate(value, resolveRef(s['$ref'], root), root, at, problems);

  if (s['type'] !== undefined) {
    const types = (Array.isArray(s['type']) ? s['type'] : [s['type']]) as unknown[];
    if (!types.some((t) => hasType(value, t))) {
      problems.push(`${at}: must be ${types.join(' or ')}, got ${typeName(value)}`);
      return;
    }
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => equal(e, value))) {
    problems.push(`${at}: must be one of ${s['enum'].map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if ('const' in s && !equal(s['const'], value)) problems.push(`${at}: must be ${JSON.stringify(s['const'])}`);

  if (typeof value === 'number') checkNumber(value, s, at, problems);
  if (typeof value === 'string') checkString(value, s, at, problems);
  if (Array.isArray(value)) checkArray(value, s, root, at, problems);
  if (isPlainObject(value)) checkObject(value, s, root, at, problems);

  if (Array.isArray(s['allOf'])) for (const sub of s['allOf']) validate(value, sub, root, at, problems);
  if (Array.isArray(s['anyOf']) && !s['anyOf'].some((sub) => passes(value, sub, root))) {
    problems.push(`${at}: must match at least one schema of anyOf`);
  }
  if (Array.isArray(s['oneOf'])) {
    const n = s['oneOf'].filter((sub) => passes(value, sub, root)).length;
    if (n !== 1) problems.push(`${at}: must match exactly one schema of oneOf (matches ${n})`);
  }
  if ('not' in s && passes(value, s['not'], root)) problems.push(`${at}: must not match the "not" schema`);
  if ('if' in s) {
    const branch = passes(value, s['if'], root) ? s['then'] : s['else'];
    validate(value, branch, root, at, problems);
  }
}

function checkNumber(value: number, s: Record<string, unknown>, at: string, problems: string[]): void {
  const min = s['minimum'];
  const max = s['maximum'];
  const xmin = s['exclusiveMinimum'];
  const xmax = s['exclusiveMaximum'];
  const mult = s['multipleOf'];
  if (typeof min === 'number' && value < min) problems.push(`${at}: must be >= ${min}`);
  if (typeof max === 'number' && value > max) problems.push(`${at}: must be <= ${max}`);
  if (typeof xmin === 'number' && value <= xmin) problems.push(`${at}: must be > ${xmin}`);
  if (typeof xmax === 'number' && value >= xmax) problems.push(`${at}: must be < ${xmax}`);
  if (typeof mult === 'number' && mult > 0 && !Number.isInteger(value / mult)) problems.push(`${at}: must be a multiple of ${mult}`);
  const format = typeof s['format'] === 'string' && Object.hasOwn(NUMBER_FORMATS, s['format']) ? NUMBER_FORMATS[s['format']] : undefined;
  if (format && !format(value)) problems.push(`${at}: must be a valid ${String(s['format'])}, got ${value}`);
}

function checkString(value: string, s: Record<string, unknown>, at: string, problems: string[]): void {
  const length = [...value].length; // code points, as the specification counts
  if (typeof s['minLength'] === 'number' && length < s['minLength']) problems.push(`${at}: must have at least ${s['minLength']} characters`);
  if (typeof s['maxLength'] === 'number' && length > s['maxLength']) problems.push(`${at}: must have at most ${s['maxLength']} characters`);
  if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) {
    problems.push(`${at}: must match /${s['pattern']}/`);
  }
  const format = typeof s['format'] === 'string' && Object.hasOwn(STRING_FORMATS, s['format']) ? STRING_FORMATS[s['format']] : undefined;
  if (format && !format(value)) problems.push(`${at}: must be a valid ${String(s['format'])}, got ${JSON.stringify(value)}`);
}

function checkArray(value: readonly unknown[], s: Record<string, unknown>, root: unknown, at: string, problems: string[]): void {
  if (typeof s['minItems'] === 'number' && value.length < s['minItems']) problems.push(`${at}: must have at least ${s['minItems']} items`);
  if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) problems.push(`${at}: must have at most ${s['maxItems']} items`);
  if (s['uniqueItems'] === true && value.some((v, i) => value.findIndex((w) => equal(v, w)) !== i)) {
    problems.push(`${at}: items must be unique`);
  }
  const prefix = Array.isArray(s['prefixItems']) ? s['prefixItems'] : [];
  value.forEach((item, i) => {
    const sub = i < prefix.length ? prefix[i] : s['items'];
    validate(item, sub, root, `${at}/${i}`, problems);
  });
}

function checkObject(value: Record<string, unknown>, s: Record<string, unknown>, root: unknown, at: string, problems: string[]): void {
  const properties = isPlainObject(s['properties']) ? s['properties'] : {};
  const patterns = isPlainObject(s['patternProperties']) ? Object.entries(s['patternProperties']) : [];
  if (Array.isArray(s['required'])) {
    for (const name of s['required']) {
      if (typeof name === 'string' && !Object.hasOwn(value, name)) problems.push(`${at}: "${name}" is required`);
    }
  }
  for (const [key, v] of Object.entries(value)) {
    const where = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    let matched = false;
    if (Object.hasOwn(properties, key)) {
      matched = true;
      validate(v, properties[key], root, where, problems);
    }
    for (const [pattern, sub] of patterns) {
      if (new RegExp(pattern, 'u').test(key)) {
        matched = true;
        validate(v, sub, root, where, problems);
      }
    }
    if (!matched && 'additionalProperties' in s) {
      if (s['additionalProperties'] === false) problems.push(`${at}: unknown property "${key}"`);
      else validate(v, s['additionalProperties'], root, where, problems);
    }
  }
}

function passes(value: unknown, schema: unknown, root: unknown): boolean {
  const problems: string[] = [];
  validate(value, schema, root, '#', problems);
  return problems.length === 0;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return true; // remote refs are out of scope: accept
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter((p) => p !== '')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isPlainObject(node) ? node[key] : undefined;
  }
  return node ?? true;
}

function hasType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return false;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}
