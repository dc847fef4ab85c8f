/**
 * A plugin schema that is not valid JSON Schema, said per place: ajv's meta-schema errors name
 * every branch of the meta-schema a value failed (`type` alone gives three: not one of the
 * allowed values, not an array, no match in anyOf), so each place gets one sentence, in the
 * words the plugin SDK's checker uses (`properties/port/type: "integr" is not a JSON Schema type
 * (...)`, `properties/n/minimum: must be a number`).
 */
import type { ErrorObject } from 'ajv';

const TYPE_NAMES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

const NOUNS: Readonly<Record<string, string>> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object (a schema)',
  array: 'an array',
};

/** One problem per place of `schema`, in the order ajv met them. */
export function explainSchemaErrors(schema: unknown, errors: readonly ErrorObject[]): string[] {
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPlace.get(e.instancePath);
    if (list) list.push(e);
    else byPlace.set(e.instancePath, [e]);
  }
  return [...byPlace].map(([pointer, found]) => `${pointer.slice(1) || '(the schema)'}: ${explain(valueAt(schema, pointer), pointer, found)}`);
}

function explain(value: unknown, pointer: string, errors: readonly ErrorObject[]): string {
  if (pointer.endsWith('/type') && !pointer.endsWith('/properties/type')) {
    return `${JSON.stringify(value)} is not a JSON Schema type (${TYPE_NAMES.join(', ')}), nor a list of them`;
  }
  const wrongType = errors.find((e) => e.keyword === 'type');
  const wanted = wrongType ? String((wrongType.params as { type?: unknown }).type) : undefined;
  if (wanted !== undefined) return `must be ${wanted.split(',').map((t) => NOUNS[t] ?? t).join(' or ')}, got ${JSON.stringify(value)}`;
  return errors[0]!.message ?? 'is not valid here';
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}
