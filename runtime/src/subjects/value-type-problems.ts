/**
 * A JSON value against a declared Herald type (dsl/src/types/type.ts), for the subject
 * profile's own fields: each mismatch at its JSON Pointer, saying what was expected and what
 * came (`must be a number, got a string ("42")`). The rules are event data's
 * (`typeToJsonSchema`), so a profile field takes what an event field of its type takes:
 * nested objects need their required fields and may have others, `null` only where optional,
 * a timestamp is an RFC 3339 string.
 */
import { typeToString, type Field, type Type } from '@herald/dsl';
import { describeValue, escapePointer, schemaCheck, type SchemaCheck } from '../plugins-host/json-validator.js';
import type { FieldError } from '../runtime-api.js';

/** Enough to show what is wrong; a list of 100,000 bad items is not answered item by item. */
const MAX_PROBLEMS = 100;

let timestampCheck: SchemaCheck | undefined;
/** The check event data gets (ajv's `date-time` format), so both take the same strings. */
const isTimestamp = (v: string) => (timestampCheck ??= schemaCheck({ type: 'string', format: 'date-time' }))(v).length === 0;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems of `value` as the value of a declared field at `path`. */
export function fieldValueProblems(field: Field, value: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  checkField(field, value, path, out);
  return out;
}

function checkField(field: Field, value: unknown, path: string, out: FieldError[]): void {
  if (value === null && field.optional) return;
  checkValue(field.type, value, path, out);
}

function checkValue(type: Type, value: unknown, path: string, out: FieldError[]): void {
  if (out.length >= MAX_PROBLEMS) return;
  const fits = (ok: boolean) => {
    if (!ok) out.push({ path, message: `must be ${expected(type)}, got ${describeValue(value)}` });
    return ok;
  };
  switch (type.kind) {
    case 'dyn':
      return;
    case 'string':
      fits(typeof value === 'string');
      return;
    case 'number':
    case 'duration':
      fits(typeof value === 'number');
      return;
    case 'bool':
      fits(typeof value === 'boolean');
      return;
    case 'null':
      fits(value === null);
      return;
    case 'timestamp':
      fits(typeof value === 'string' && isTimestamp(value));
      return;
    case 'list':
      if (fits(Array.isArray(value))) (value as unknown[]).forEach((item, i) => checkValue(type.element, item, `${path}/${i}`, out));
      return;
    case 'map':
      if (fits(isPlainObject(value))) for (const [k, v] of Object.entries(value as object)) checkValue(type.value, v, `${path}/${escapePointer(k)}`, out);
      return;
    case 'object':
      if (!fits(isPlainObject(value))) return;
      for (const [k, f] of Object.entries(type.fields)) {
        const at = `${path}/${escapePointer(k)}`;
        if (Object.hasOwn(value as object, k)) checkField(f, (value as Record<string, unknown>)[k], at, out);
        else if (!f.optional && out.length < MAX_PROBLEMS) out.push({ path: at, message: `is required (${typeToString(f.type)})` });
      }
      return;
  }
}

function expected(type: Type): string {
  switch (type.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'duration':
      return 'a duration (a number of milliseconds)';
    case 'bool':
      return 'true or false';
    case 'null':
      return 'null';
    case 'timestamp':
      return 'a timestamp (an RFC 3339 string such as 2026-01-01T00:00:00Z)';
    case 'list':
      return `a list (${typeToString(type)})`;
    case 'map':
      return `an object (${typeToString(type)})`;
    case 'object':
      return `an object (${typeToString(type)})`;
    case 'dyn':
      return 'any value';
  }
}

