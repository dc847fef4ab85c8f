/**
 * Ingest's first check: an event's data against its declared type (herald.yaml `events:`),
 * as JSON Schema (`typeToJsonSchema`) with ajv, every error reported with a JSON Pointer to
 * the field (`/amount`: "must be number"). An unknown type is an error at `/type` with a
 * did-you-mean. Validators are compiled once per event type and graph.
 */
import { didYouMean, typeToJsonSchema, type GraphIR } from '@herald/dsl';
import { schemaCheck, type SchemaCheck } from '../plugins-host/json-validator.js';
import type { FieldError } from '../runtime-api.js';

export type EventValidator = (type: unknown, data: unknown) => readonly FieldError[];

export function createEventValidator(graph: GraphIR): EventValidator {
  const checks = new Map<string, SchemaCheck>();
  const types = Object.keys(graph.events);
  const checkFor = (type: string): SchemaCheck => {
    let check = checks.get(type);
    if (!check) {
      check = schemaCheck(typeToJsonSchema(graph.events[type]!.type));
      checks.set(type, check);
    }
    return check;
  };
  return (type, data) => {
    if (typeof type !== 'string' || type === '') return [{ path: '/type', message: 'must be a non-empty string naming an event type' }];
    if (!Object.hasOwn(graph.events, type)) {
      const suggestion = didYouMean(type, types);
      const known = types.length === 0 ? 'the project declares no events' : `declared: ${types.join(', ')}`;
      return [{ path: '/type', message: `unknown event type "${type}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (${known})` }];
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return [{ path: '/data', message: 'must be an object' }];
    return checkFor(type)(data).map((p) => ({ path: p.path === '' ? '/' : p.path, message: p.message }));
  };
}
