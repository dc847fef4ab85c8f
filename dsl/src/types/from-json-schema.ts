import { T, type Field, type Type } from './type.js';

/** A JSON Schema (the common subset) as a Herald type; what it cannot express becomes `dyn`. */
export function typeFromJsonSchema(schema: unknown): Type {
  if (!schema || typeof schema !== 'object') return T.dyn;
  const s = schema as Record<string, unknown>;
  const type = Array.isArray(s['type']) ? (s['type'] as unknown[]).filter((t) => t !== 'null') : [s['type']];
  if (type.length !== 1) return T.dyn;
  switch (type[0]) {
    case 'string':
      return s['format'] === 'date-time' ? T.timestamp : T.string;
    case 'number':
    case 'integer':
      return T.number;
    case 'boolean':
      return T.bool;
    case 'null':
      return T.null;
    case 'array':
      return T.list(typeFromJsonSchema(s['items']));
    case 'object': {
      const props = s['properties'] as Record<string, unknown> | undefined;
      if (!props) return T.map(s['additionalProperties'] && typeof s['additionalProperties'] === 'object' ? typeFromJsonSchema(s['additionalProperties']) : T.dyn);
      const required = new Set((s['required'] as string[] | undefined) ?? []);
      const fields: Record<string, Field> = {};
      for (const [k, v] of Object.entries(props)) fields[k] = { type: typeFromJsonSchema(v), optional: !required.has(k) };
      return { kind: 'object', fields };
    }
    default:
      return T.dyn;
  }
}

/** The JSON Schema that validates values of a Herald type at run time (events coming in through the API). */
export function typeToJsonSchema(type: Type): Record<string, unknown> {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'duration':
      return { type: 'number' };
    case 'dyn':
      return {};
    case 'list':
      return { type: 'array', items: typeToJsonSchema(type.element) };
    case 'map':
      return { type: 'object', additionalProperties: typeToJsonSchema(type.value) };
    case 'object': {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const [k, f] of Object.entries(type.fields)) {
        properties[k] = f.optional ? { anyOf: [typeToJsonSchema(f.type), { type: 'null' }] } : typeToJsonSchema(f.type);
        if (!f.optional) required.push(k);
      }
      return { type: 'object', properties, required, additionalProperties: true };
    }
  }
}
