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
    shared = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, logger: false });
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
  for (const e of errors) {
    if (out.length >= MAX_FIELD_PROBLEMS) break;
    let path = e.instancePath;
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
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    paths.add(path);
    out.push({ path, message });
  }
  return out;
}

/** One key as a JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
