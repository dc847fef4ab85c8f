/**
 * Check a value from herald.yaml (a plugin's `config:` or a query's `with:`) against a
 * schema the plugin ships, and turn ajv's errors into problems at the exact key or value.
 * The value is a JsonWithSource (no YAML tree), so this is a small cousin of
 * schema/map-schema-errors.ts that works through `locate`.
 *
 * `${ENV_VAR}` strings are substituted at run time, so they must pass wherever a scalar is
 * expected: a whole-string reference is replaced by a value of the type the schema wants
 * before validating, and whatever the schema still says about that exact value is dropped.
 * A reference embedded in a longer string keeps the string, but its pattern, format and
 * length cannot be judged before substitution either.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { Problem } from '../../diagnostics/report.js';
import type { JsonWithSource } from '../../model/ast.js';
import { pointerToPath } from '../../parse/yaml-tree.js';
import { tryValidatorFor, type ErrorObject } from '../../schema/ajv-instance.js';
import type { Span } from '../../source/source-file.js';

const WHOLE_ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const EMBEDDED_ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const STRING_KEYWORDS = new Set(['pattern', 'format', 'minLength', 'maxLength']);

type Schema = Record<string, unknown>;
type Path = readonly (string | number)[];

export type PluginJsonResult = { readonly ok: true; readonly problems: Problem[] } | { readonly ok: false; readonly error: string };

/**
 * @param place where the value sits, for messages: "the config of channel `email`"
 * @param fallback the span for problems when the value was not written at all
 */
export function validatePluginJson(
  schema: Record<string, unknown>,
  source: JsonWithSource | undefined,
  place: string,
  fallback: Span,
): PluginJsonResult {
  const compiled = tryValidatorFor(schema);
  if (!compiled.ok) return { ok: false, error: compiled.error };
  const envPaths = new Set<string>();
  const embedded = new Set<string>();
  const value = substituteEnvRefs(source?.value ?? {}, [], schema, envPaths, embedded);
  if (compiled.validate(value)) return { ok: true, problems: [] };
  const errors = [...(compiled.validate.errors ?? [])];
  const where = (path: Path, key = false): Span => (source ? source.locate(path, key) : fallback);
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'else' || e.keyword === 'propertyNames') continue;
    if (combinators.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(p + '/'))) continue;
    if (envPaths.has(e.instancePath)) continue;
    if (embedded.has(e.instancePath) && STRING_KEYWORDS.has(e.keyword)) continue;
    const p = mapError(e, pointerToPath(e.instancePath), value, place, where);
    const key = `${p.span.start}:${p.span.end}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return { ok: true, problems };
}

function mapError(e: ErrorObject, path: Path, value: unknown, place: string, where: (path: Path, key?: boolean) => Span): Problem {
  const code = 'invalid-plugin-config';
  const name = path.length ? `\`${path.filter((s) => typeof s === 'string' && !/^\d+$/.test(s)).at(-1) ?? path.join('.')}\` in ${place}` : place;
  const parent = (e.parentSchema ?? {}) as Schema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((parent['properties'] as Schema | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      const span = where([...path, key], true);
      return {
        code,
        message: `unknown key \`${key}\` in ${path.length ? `\`${String(path.at(-1))}\` of ` : ''}${place}`,
        span,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : allowed.length ? `allowed here: ${allowed.map((a) => `\`${a}\``).join(', ')}` : undefined,
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
      };
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const described = ((parent['properties'] as Record<string, Schema> | undefined)?.[missing]?.['description'] as string | undefined) ?? undefined;
      return {
        code,
        message: `${name} is missing required key \`${missing}\``,
        span: objectSpan(path, value, where),
        hint: described ? `add \`${missing}:\` (${described})` : `add \`${missing}:\``,
      };
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ');
      return { code, message: `${name} must be ${article(expected)}, not ${describeValue(e.data)}`, span: where(path), hint: describedHint(parent) };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      const span = where(path);
      return {
        code,
        message: `${name} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
        span,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : describedHint(parent),
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
      };
    }
    default:
      return { code, message: `${name} ${e.message ?? 'is not valid'}`, span: where(path), hint: describedHint(parent) };
  }
}

/** A missing key is reported at the object that lacks it: its key, or its first key at the top. */
function objectSpan(path: Path, root: unknown, where: (path: Path, key?: boolean) => Span): Span {
  if (path.length > 0) return where(path, true);
  const first = root && typeof root === 'object' && !Array.isArray(root) ? Object.keys(root)[0] : undefined;
  return first === undefined ? where([]) : where([first], true);
}

function describedHint(s: Schema): string | undefined {
  const d = s['description'];
  return typeof d === 'string' ? d : undefined;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text \`${v.length > 30 ? v.slice(0, 27) + '...' : v}\``;
  return `${typeof v === 'number' ? 'the number' : 'the value'} \`${String(v)}\``;
}

// ---------------------------------------------------------------- ${ENV_VAR}

function pointer(path: Path): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A copy of `value` with whole-string `${VAR}`s replaced by a value of the type the schema wants there. */
function substituteEnvRefs(value: unknown, path: Path, root: Schema, envPaths: Set<string>, embedded: Set<string>): unknown {
  if (typeof value === 'string') {
    if (WHOLE_ENV_REF.test(value)) {
      const placeholder = placeholderFor(schemasAt(root, path), value);
      if (placeholder.scalar) envPaths.add(pointer(path));
      return placeholder.value;
    }
    if (EMBEDDED_ENV_REF.test(value)) embedded.add(pointer(path));
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnvRefs(v, [...path, i], root, envPaths, embedded));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnvRefs(v, [...path, k], root, envPaths, embedded)]));
  }
  return value;
}

/**
 * The value a `${VAR}` stands for while validating. `scalar` is false where the schema
 * wants only objects or lists: substitution yields text, so the schema's error stands.
 */
function placeholderFor(schemas: readonly Schema[], original: string): { value: unknown; scalar: boolean } {
  const types = new Set<string>();
  for (const s of schemas) {
    const t = s['type'];
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) types.add(String(x));
  }
  const scalar = (value: unknown) => ({ value, scalar: true });
  if (types.size === 0 || types.has('string')) return scalar(original);
  for (const s of schemas) {
    if ('const' in s) return scalar(s['const']);
    if (Array.isArray(s['enum']) && s['enum'].length > 0) return scalar(s['enum'][0]);
  }
  if (types.has('integer') || types.has('number')) {
    for (const s of schemas) {
      if (typeof s['minimum'] === 'number') return scalar(types.has('integer') ? Math.ceil(s['minimum']) : s['minimum']);
      if (typeof s['exclusiveMinimum'] === 'number') return scalar(Math.floor(s['exclusiveMinimum']) + 1);
    }
    return scalar(0);
  }
  if (types.has('boolean')) return scalar(false);
  if (types.has('null')) return scalar(null);
  return { value: original, scalar: false };
}

/** The subschemas that apply at `path`, following local `$ref`s and combinators; enough to read a type. */
function schemasAt(root: Schema, path: Path): Schema[] {
  let current = expand(root, root, 0);
  for (const seg of path) {
    const next: Schema[] = [];
    for (const s of current) for (const child of childSchemas(s, seg)) next.push(...expand(child, root, 0));
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function expand(s: unknown, root: Schema, depth: number): Schema[] {
  if (!s || typeof s !== 'object' || Array.isArray(s) || depth > 16) return [];
  const schema = s as Schema;
  const out: Schema[] = [schema];
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#')) out.push(...expand(resolvePointer(root, ref.slice(1)), root, depth + 1));
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[k];
    if (Array.isArray(list)) for (const sub of list) out.push(...expand(sub, root, depth + 1));
  }
  for (const k of ['then', 'else']) out.push(...expand(schema[k], root, depth + 1));
  return out;
}

function resolvePointer(root: Schema, ptr: string): unknown {
  let cur: unknown = root;
  for (const seg of pointerToPath(ptr)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[decodeURIComponent(seg)];
  }
  return cur;
}

function childSchemas(s: Schema, seg: string | number): unknown[] {
  const out: unknown[] = [];
  if (typeof seg === 'number') {
    const prefix = s['prefixItems'];
    const items = s['items'];
    if (Array.isArray(prefix) && seg < prefix.length) out.push(prefix[seg]);
    else if (Array.isArray(items)) out.push(items[seg] ?? s['additionalItems']);
    else if (items !== undefined) out.push(items);
    return out;
  }
  const props = s['properties'] as Record<string, unknown> | undefined;
  if (props && Object.prototype.hasOwnProperty.call(props, seg)) return [props[seg]];
  const patterns = s['patternProperties'] as Record<string, unknown> | undefined;
  for (const [re, sub] of Object.entries(patterns ?? {})) {
    try {
      if (new RegExp(re, 'u').test(seg)) out.push(sub);
    } catch {
      // A pattern JS cannot read tells us nothing about the type.
    }
  }
  if (out.length === 0 && s['additionalProperties'] && typeof s['additionalProperties'] === 'object') out.push(s['additionalProperties']);
  return out;
}
