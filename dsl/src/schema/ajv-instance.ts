import AjvModule from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { explainSchemaErrors } from './explain-schema-errors.js';

// ajv and ajv-formats are CommonJS; under NodeNext their default export arrives as the module object.
const Ajv2020 = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as typeof formatsModule.default;

/**
 * Annotations Herald reads from schemas, which validate nothing. `x-herald-file` marks a plugin
 * config string that must name a project file (link/rules/rule-plugin-config-files.ts).
 */
export const ANNOTATIONS = ['markdownDescription', 'x-hint', 'x-expression', 'x-template', 'x-checked-by', 'x-herald-file', 'x-herald-file-schema', 'x-herald-json-key-of'];

/** One ajv for the whole process: schemas are compiled once and cached by object identity. */
function createAjv() {
  // Herald's own schemas are tested against the meta-schema (schema tests), so they are not
  // checked again at every start: compiling the meta-schema was a quarter of `herald validate`.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: false });
  ajv.addVocabulary(ANNOTATIONS);
  return ajv;
}

let shared: ReturnType<typeof createAjv> | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

export function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    shared ??= createAjv();
    v = shared.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Compile a schema that came from a user or a plugin; a broken one is a value, not an exception. */
export function tryValidatorFor(schema: object): { ok: true; validate: ValidateFunction } | { ok: false; error: string } {
  const cached = compiled.get(schema);
  if (cached) return { ok: true, validate: cached };
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  // Checked against the meta-schema by one instance for the process (compiling the meta-schema
  // is the costly part), then compiled by an instance of its own.
  metaChecker ??= lenientAjv(true);
  if (!metaChecker.validateSchema(rest)) {
    // ajv's text lists every meta-schema branch a value failed; say each place once instead.
    return { ok: false, error: explainSchemaErrors(rest, metaChecker.errors ?? []).join('; ') || 'not a valid JSON Schema' };
  }
  try {
    // A plugin schema may carry `$schema`/`$id` or draft-07 keywords; a separate lenient instance keeps it from polluting ours.
    // Formats are checked as the runtime checks a plugin's config at start (plugins-host/json-validator.ts):
    // a `format: uri` that validate let through would stop `herald dev` there.
    const validate = lenientAjv(false).compile(rest);
    compiled.set(schema, validate);
    return { ok: true, validate };
  } catch (err) {
    // Valid JSON Schema that still cannot compile (a `$ref` to nowhere): ajv's own words.
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

let metaChecker: ReturnType<typeof lenientAjv> | undefined;

/** `validateSchema`: whether compiling checks the schema against the meta-schema (the meta checker does, once). */
function lenientAjv(validateSchema: boolean) {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true, logger: false, validateSchema });
  addFormats(ajv);
  // Known by name even though non-strict ignores unknown keywords: should strictness ever change, they stay accepted.
  ajv.addVocabulary(ANNOTATIONS);
  return ajv;
}

export type { ErrorObject };
