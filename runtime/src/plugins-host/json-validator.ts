/**
 * JSON Schema validation for the runtime (plugin configs, query `with:` blocks, event data):
 * ajv, draft 2020-12, all errors, formats such as `date-time` checked. Schemas come from
 * plugins and from the IR, so the instance is lenient about unknown keywords (`x-...`,
 * `markdownDescription`) and validators are cached by schema object.
 */
import AjvModule from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under NodeNext their default export arrives as the module object.
const Ajv2020 = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as typeof formatsModule.default;

export interface FieldProblem {
  /** JSON Pointer of the offending value, `''` for the root (`/amount`, `/auth/user`). */
  readonly path: string;
  readonly message: string;
}

export type SchemaCheck = (value: unknown) => readonly FieldProblem[];

let shared: InstanceType<typeof Ajv2020> | undefined;
const cache = new WeakMap<object, ValidateFunction>();

function ajv(): InstanceType<typeof Ajv2020> {
  if (!shared) {
    // verbose: errors carry the value they are about, so a message can say what came (`got a string ("120")`).
    shared = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, logger: false, verbose: true });
    addFormats(shared);
  }
  return shared;
}

/** Compiles `schema` once (per object); throws on a schema that does not compile (a bug in a plugin or the IR). */
export function schemaCheck(schema: object): SchemaCheck {
  let validate = cache.get(schema);
  if (!validate) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
    validate = ajv().compile(rest);
    cache.set(schema, validate);
  }
  const v = validate;
  return (value) => (v(value) ? [] : toFieldProblems(v.errors ?? []));
}

/**
 * Enough to show what is wrong: an event with a list of 40,000 bad items is answered with its
 * first problems, not 80,000 of them (a 422 body of megabytes, built for nobody to read).
 */
export const MAX_FIELD_PROBLEMS = 100;

export function toFieldProblems(errors: readonly ErrorObject[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  /** Paths with a problem so far: an `anyOf` error at one of them repeats what its branches said. */
  const paths = new Set<string>();
  /** The type problem at each path, by index: the branches of `number | null` say one thing, `must be a number or null`. */
  const typeAt = new Map<string, { index: number; words: string[] }>();
  for (const e of errors) {
    if (out.length >= MAX_FIELD_PROBLEMS) break;
    let path = e.instancePath;
    if (e.keyword === 'type') {
      const words = typeWords((e.params as Record<string, unknown>)['type']);
      const earlier = typeAt.get(path);
      if (earlier !== undefined) {
        earlier.words.push(...words.filter((w) => !earlier.words.includes(w)));
        out[earlier.index] = { path, message: typeMessage(earlier.words, 'data' in e ? { value: e.data } : undefined) };
        continue;
      }
      typeAt.set(path, { index: out.length, words: [...words] });
    }
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      path = `${path}/${escapePointer(params['missingProperty'])}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
      path = `${path}/${escapePointer(params['additionalProperty'])}`;
      message = 'is not allowed here';
    } else if (e.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
      message = `must be one of ${params['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'anyOf' && paths.has(path)) {
      continue; // the branch errors already said it
    } else {
      message = schemaMessage(e.keyword, params, 'data' in e ? { value: e.data } : undefined) ?? message;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    paths.add(path);
    out.push({ path, message });
  }
  return out;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Ajv's words for a length, a size or a format, for people: `must not be empty`, not `must NOT
 * have fewer than 1 characters`; an RFC 3339 example, not `must match format "date-time"`.
 * A type mismatch says what came, when the error carries its value (`got`). Undefined for a
 * keyword whose own message reads well. Used for event data
 * and plugin configs here, and for request bodies by the API (api/api-error.ts).
 */
export function schemaMessage(keyword: string, params: Readonly<Record<string, unknown>>, got?: { readonly value: unknown }): string | undefined {
  const limit = Number(params['limit']);
  switch (keyword) {
    case 'type':
      return typeMessage(typeWords(params['type']), got);
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must have at least ${count(limit, 'character')}`;
    case 'maxLength':
      return `must have at most ${count(limit, 'character')}`;
    case 'minItems':
      return `must have at least ${count(limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${count(limit, 'item')}`;
    case 'minProperties':
      return limit === 1 ? 'must not be empty' : `must have at least ${count(limit, 'field')}`;
    case 'format':
      return params['format'] === 'date-time' ? 'must be an RFC 3339 timestamp such as 2026-11-01T09:00:00Z' : undefined;
    default:
      return undefined;
  }
}

/** JSON Schema's type names in words, as subject profile checks say them (subjects/value-type-problems.ts). */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeWords(type: unknown): string[] {
  return (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[String(t)] ?? String(t));
}

function typeMessage(words: readonly string[], got: { readonly value: unknown } | undefined): string {
  return `must be ${words.join(' or ')}${got ? `, got ${describeValue(got.value)}` : ''}`;
}

/** What a value that came is, for `..., got <this>`: `a string ("120")`, `a number (3)`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return String(value);
    default:
      return 'an object';
  }
}

/** One key as a JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
