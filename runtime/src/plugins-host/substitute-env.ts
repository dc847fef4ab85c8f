/**
 * `${ENV_VAR}` secrets in plugin config. Users write `pass: ${SMTP_PASS}` in herald.yaml; the
 * runtime substitutes the environment before the plugin sees its config, so a plugin never
 * reads `process.env`. A whole-string reference (`port: ${SMTP_PORT}`) becomes a number or a
 * boolean when the config schema wants one there, as the compiler already allows. `$${` writes
 * a literal `${`.
 */
import type { JsonSchemaObject } from '@herald/plugin-sdk';

export type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export interface SubstituteResult {
  readonly value: unknown;
  /** One line per problem, naming the config path and the variable. */
  readonly problems: readonly string[];
}

/** Substitutes every `${NAME}` in the strings of `config` (deeply); never mutates `config`. */
export function substituteEnv(config: unknown, schema: JsonSchemaObject | undefined, env: Env): SubstituteResult {
  const problems: string[] = [];
  const value = walk(config, schema, env, 'config', problems);
  return { value, problems };
}

function walk(value: unknown, schema: unknown, env: Env, path: string, problems: string[]): unknown {
  if (typeof value === 'string') return substituteString(value, schema, env, path, problems);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, itemsSchema(schema), env, `${path}[${i}]`, problems));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, propertySchema(schema, k), env, `${path}.${k}`, problems);
    return out;
  }
  return value;
}

function substituteString(text: string, schema: unknown, env: Env, path: string, problems: string[]): unknown {
  if (!text.includes('${')) return text;
  const whole = WHOLE.exec(text);
  if (whole) {
    const name = whole[1]!;
    const raw = env[name];
    if (raw === undefined) {
      problems.push(`${path}: the environment variable ${name} is not set`);
      return text;
    }
    const types = schemaTypes(schema);
    if (!types.has('string')) {
      if (types.has('integer') || types.has('number')) {
        const n = raw.trim() === '' ? Number.NaN : Number(raw);
        if (Number.isNaN(n) || (types.has('integer') && !types.has('number') && !Number.isInteger(n))) {
          problems.push(`${path}: the environment variable ${name} must hold ${types.has('number') ? 'a number' : 'an integer'}, got ${JSON.stringify(raw)}`);
          return raw;
        }
        return n;
      }
      if (types.has('boolean')) {
        if (raw === 'true' || raw === 'false') return raw === 'true';
        problems.push(`${path}: the environment variable ${name} must be true or false, got ${JSON.stringify(raw)}`);
        return raw;
      }
    }
    return raw;
  }
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (name === undefined) return '${'; // `$${` escapes
    const raw = env[name];
    if (raw === undefined) {
      problems.push(`${path}: the environment variable ${name} is not set`);
      return match;
    }
    return raw;
  });
}

function asObject(schema: unknown): Record<string, unknown> | undefined {
  return schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? (schema as Record<string, unknown>) : undefined;
}

/** The branches a value may take: the schema itself and its anyOf/oneOf alternatives. */
function branches(schema: unknown): Record<string, unknown>[] {
  const s = asObject(schema);
  if (!s) return [];
  const out = [s];
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const b of list) out.push(...branches(b));
  }
  return out;
}

function schemaTypes(schema: unknown): Set<string> {
  const types = new Set<string>();
  let constrained = false;
  for (const b of branches(schema)) {
    const t = b['type'];
    if (typeof t === 'string') {
      types.add(t);
      constrained = true;
    } else if (Array.isArray(t)) {
      for (const x of t) if (typeof x === 'string') types.add(x);
      constrained = true;
    }
  }
  // No type information: keep the text as it is.
  if (!constrained) types.add('string');
  return types;
}

function propertySchema(schema: unknown, key: string): unknown {
  for (const b of branches(schema)) {
    const props = asObject(b['properties']);
    if (props && Object.hasOwn(props, key)) return props[key];
  }
  for (const b of branches(schema)) {
    const extra = b['additionalProperties'];
    if (asObject(extra)) return extra;
  }
  return undefined;
}

function itemsSchema(schema: unknown): unknown {
  for (const b of branches(schema)) if (asObject(b['items'])) return b['items'];
  return undefined;
}
