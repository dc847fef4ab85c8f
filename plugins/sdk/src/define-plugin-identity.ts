import { checkJsonSchema } from './check-json-schema.js';
import { deepFreeze, isPlainObject } from './json.js';
import type { JsonSchemaObject } from './json-schema.js';
import type { PluginManifest } from './manifest.js';

/**
 * Merges what a definition says about itself with what its manifest says, and insists they agree:
 * a plugin whose code and `herald-plugin.json` disagree would be validated by the compiler against
 * one schema and run against another. Throws TypeError: a bad definition is a bug in the plugin.
 */
export function resolveIdentity<K extends string>(
  helper: string,
  given: object,
  manifest: PluginManifest | undefined,
  fields: readonly (readonly [field: K, manifestKey: string])[],
): Record<K, unknown> {
  const resolved = {} as Record<K, unknown>;
  for (const [field, manifestKey] of fields) {
    const own = (given as Record<string, unknown>)[field];
    const fromManifest = manifest === undefined ? undefined : (manifest as unknown as Record<string, unknown>)[manifestKey];
    if (own !== undefined && fromManifest !== undefined && !sameJson(own, fromManifest)) {
      throw new TypeError(`${helper}: ${field} differs from the manifest's ${manifestKey}; keep one source of truth (herald-plugin.json)`);
    }
    resolved[field] = own ?? fromManifest;
  }
  return resolved;
}

export function requireString(helper: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${helper}: ${field} must be a non-empty string`);
  return value;
}

export function requireSchema(helper: string, field: string, value: unknown): JsonSchemaObject {
  if (!isPlainObject(value)) throw new TypeError(`${helper}: ${field} must be a JSON Schema object`);
  const problems = checkJsonSchema(value, field);
  if (problems.length > 0) throw new TypeError(`${helper}: ${field} is not a valid JSON Schema:\n  - ${problems.join('\n  - ')}`);
  // Frozen with the plugin: the runtime compiles it once and nobody may change it afterwards.
  return deepFreeze(value as JsonSchemaObject);
}

/** Structural equality of JSON values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}
