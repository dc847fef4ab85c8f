/**
 * The JSON Schema that applies at a path of a Herald file: the compiler's own FILE_SCHEMAS
 * (and, under `config:`, the plugin's config schema), so completion and hover document
 * exactly what the schema stage checks.
 */
import { FILE_SCHEMAS, resolvePluginManifest, STEP_KIND_KEYS, TEST_FILE_SCHEMA, type ProjectFile, type ProjectFileKind } from '@herald/dsl';
import type { PathSegment } from './yaml-context.js';

export type Schema = Record<string, unknown>;

function isSchema(x: unknown): x is Schema {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Follow local `$ref`s (`#/$defs/x`) against the schema's root. */
export function deref(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let guard = 0; cur && typeof cur['$ref'] === 'string' && guard < 20; guard++) {
    const ref = cur['$ref'] as string;
    if (!ref.startsWith('#/')) return cur;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isSchema(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    cur = isSchema(target) ? { ...cur, ...target, $ref: undefined } : undefined;
  }
  return cur;
}

/** A journey step's schema is chosen by its kind key (`send`, `wait`, ...): see journey-schema.ts. */
function stepVariant(root: Schema, s: Schema, keys: readonly string[], next: PathSegment | undefined): Schema {
  const allOf = s['allOf'];
  if (!Array.isArray(allOf)) return s;
  const defs = root['$defs'] as Record<string, Schema>;
  const kindOf = (k: string) => (STEP_KIND_KEYS.includes(k) ? k : undefined);
  let kind = (typeof next === 'string' ? kindOf(next) : undefined) ?? keys.map(kindOf).find((k) => k !== undefined);
  if (!kind && typeof next === 'string') {
    kind = STEP_KIND_KEYS.find((k) => isSchema((defs[`${k}Step`]?.['properties'] as Schema | undefined)?.[next]));
  }
  if (kind && defs[`${kind}Step`]) return defs[`${kind}Step`]!;
  // No kind yet: every key any step may have, kind keys first.
  const properties: Schema = {};
  for (const k of STEP_KIND_KEYS) {
    const props = defs[`${k}Step`]!['properties'] as Schema;
    properties[k] = { title: defs[`${k}Step`]!['title'], ...(props[k] as Schema) };
  }
  const common = defs[`${STEP_KIND_KEYS[0]}Step`]!['properties'] as Schema;
  for (const k of ['id', 'description']) if (common[k]) properties[k] = common[k];
  return { type: 'object', title: 'step', properties, 'x-step-kinds': STEP_KIND_KEYS };
}

/** One step down a schema. */
export function childSchema(root: Schema, s: Schema, seg: PathSegment): Schema | undefined {
  if (typeof seg === 'number') {
    const items = s['items'];
    return isSchema(items) ? deref(root, items) : undefined;
  }
  const props = s['properties'];
  if (isSchema(props) && isSchema(props[seg])) return deref(root, props[seg] as Schema);
  const pattern = s['patternProperties'];
  if (isSchema(pattern)) {
    for (const [re, sub] of Object.entries(pattern)) if (new RegExp(re).test(seg) && isSchema(sub)) return deref(root, sub);
  }
  const extra = s['additionalProperties'];
  return isSchema(extra) ? deref(root, extra) : undefined;
}

/**
 * The schema at `path` of a file of `kind`. `keysAt(depth)` gives the keys present in the
 * mapping at `path.slice(0, depth)`, which picks a step's variant when the path does not.
 */
export function schemaAt(
  root: Schema,
  path: readonly PathSegment[],
  keysAt: (depth: number) => readonly string[] = () => [],
): Schema | undefined {
  let s: Schema | undefined = deref(root, root);
  for (let i = 0; i <= path.length && s; i++) {
    if (Array.isArray(s['allOf']) && Array.isArray(s['anyOf'])) s = stepVariant(root, s, keysAt(i), path[i]);
    if (i === path.length) break;
    s = childSchema(root, s, path[i]!);
  }
  return s;
}

/** The schema of a kind of file; journey tests get the map of their format (the reader checks them). */
export function fileSchema(kind: ProjectFileKind): Schema {
  return kind === 'test' ? TEST_FILE_SCHEMA : FILE_SCHEMAS[kind];
}

/** Property names a mapping schema lists, with their schemas. */
export function properties(root: Schema, s: Schema): [string, Schema][] {
  const props = s['properties'];
  if (!isSchema(props)) return [];
  return Object.entries(props)
    .filter((e): e is [string, Schema] => isSchema(e[1]))
    .map(([k, v]) => [k, deref(root, v) ?? v]);
}

export function description(s: Schema | undefined): string | undefined {
  if (!s) return undefined;
  const d = s['markdownDescription'] ?? s['description'];
  return typeof d === 'string' ? d : undefined;
}

/** What a value at this schema may be, for hover: `string`, `a duration`, `one of ...`. */
export function valueSummary(s: Schema | undefined): string | undefined {
  if (!s) return undefined;
  if (typeof s['x-expression'] === 'string') return `expression of type \`${s['x-expression'] === 'any' ? 'any' : s['x-expression']}\``;
  if (s['x-template']) return 'Mustache template';
  if (Array.isArray(s['enum'])) return `one of ${s['enum'].map((v) => `\`${String(v)}\``).join(', ')}`;
  const t = s['type'];
  if (Array.isArray(t)) return t.join(' | ');
  return typeof t === 'string' ? t : undefined;
}

/**
 * A plugin's own schema under `config:` (channels and sources) or a query's `with:` in
 * herald.yaml: the plugin's manifest says what its configuration takes.
 */
export function pluginSchemaAt(
  config: Extract<ProjectFile, { kind: 'config' }> | undefined,
  path: readonly PathSegment[],
  projectRoot: string,
  readFile: (p: string) => string | undefined,
  pluginRoots: readonly string[],
): { schema: Schema; rest: readonly PathSegment[]; plugin: string } | undefined {
  const [section, name, key, ...rest] = path;
  if ((section !== 'channels' && section !== 'sources') || typeof name !== 'string') return undefined;
  const decl = (section === 'channels' ? config?.channels : config?.sources)?.find((d) => d.name.value === name);
  if (!decl) return undefined;
  let sub: 'configSchema' | 'querySchema';
  let remaining: readonly PathSegment[];
  if (key === 'config') {
    sub = 'configSchema';
    remaining = rest;
  } else if (section === 'sources' && key === 'queries' && rest.length >= 2 && rest[1] === 'with') {
    sub = 'querySchema';
    remaining = rest.slice(2);
  } else return undefined;
  const m = resolvePluginManifest(decl.use.value, projectRoot, readFile, pluginRoots);
  if (!m.ok) return undefined;
  const schema = m.manifest[sub];
  if (!schema) return undefined;
  return { schema, rest: remaining, plugin: decl.use.value };
}
