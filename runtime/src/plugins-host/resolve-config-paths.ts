/**
 * Plugins never learn where the project is (their ctx has no project root), yet users write
 * file paths relative to the project (`path: data/crm.json`). So the host resolves them
 * before `create`: every string config value under a key named `path` (at any depth), or whose
 * property the config schema marks `"x-herald-file": true` or `"json"` (the mark the compiler checks the
 * file's existence by), that is relative becomes absolute against the project root. `-`
 * (stdout, by convention) and URLs are left alone. A `path` that names no file (an HTTP API's
 * path, say) is marked `"x-herald-file": false` and left as written: the name alone would
 * otherwise make `v1/send` a file of the project.
 */
import { isAbsolute, resolve } from 'node:path';

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

type Schema = { readonly properties?: Readonly<Record<string, unknown>> } | undefined;

/** The schema of property `key` of an object schema, as far as `properties` tells (what the compiler's check follows too). */
function propertySchema(schema: Schema, key: string): Schema {
  const p = schema?.properties?.[key];
  return typeof p === 'object' && p !== null ? (p as Schema) : undefined;
}

const fileMark = (schema: Schema): unknown => (schema as Record<string, unknown> | undefined)?.['x-herald-file'];

/** `true` (a file) or `"json"` (a JSON file) name a project file; `false` says the value is none, whatever its key. */
const namesFile = (key: string, schema: Schema): boolean => {
  const mark = fileMark(schema);
  return mark === true || mark === 'json' || (key === 'path' && mark !== false);
};

export function resolveConfigPaths(config: unknown, projectRoot: string, schema?: Schema): unknown {
  if (Array.isArray(config)) return config.map((v) => resolveConfigPaths(v, projectRoot));
  if (config === null || typeof config !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const sub = propertySchema(schema, k);
    const isFile = namesFile(k, sub);
    out[k] = isFile && typeof v === 'string' && isRelativeFile(v) ? resolve(projectRoot, v) : resolveConfigPaths(v, projectRoot, sub);
  }
  return out;
}

function isRelativeFile(value: string): boolean {
  return value !== '' && value !== '-' && !isAbsolute(value) && !URL_LIKE.test(value);
}
