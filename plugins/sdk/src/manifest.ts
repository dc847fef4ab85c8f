import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkJsonSchema } from './check-json-schema.js';
import { deepFreeze, isPlainObject } from './json.js';
import type { JsonSchemaObject } from './json-schema.js';

/**
 * The static manifest every plugin ships as `herald-plugin.json` in its package root.
 * The compiler and the language server read it without running plugin code (config validation,
 * completion, message-kind checks); the plugin's code reads the same file with `loadManifest`,
 * so the file is the one source of truth for name, version, kind and schemas.
 */
export const MANIFEST_FILE = 'herald-plugin.json';

/** A channel declaring this message kind accepts every template variant kind (a log or a test sink). */
export const ANY_MESSAGE_KIND = 'any';

export type StandardMessageKind = 'email' | 'sms' | 'push' | 'webhook' | 'letter';

/** A standard kind, `any`, or a plugin's own kind (lowercase, `[a-z][a-z0-9-]*`). */
export type MessageKind = StandardMessageKind | typeof ANY_MESSAGE_KIND | (string & {});

interface ManifestBase {
  readonly $schema?: string;
  /** The package name (`@herald/channel-email`) or, for a local plugin folder, its folder name. */
  readonly name: string;
  /** Semver; the same as the package's package.json version. */
  readonly version: string;
  readonly description?: string;
  /** Validates the plugin's `config:` block in herald.yaml. Its root is an object schema. */
  readonly configSchema: JsonSchemaObject;
}

export interface ChannelManifest extends ManifestBase {
  readonly kind: 'channel';
  /** The template variant kind this channel sends. */
  readonly message: MessageKind;
}

export interface SourceManifest extends ManifestBase {
  readonly kind: 'source';
  /** Validates each query's `with:` block (SQL text, HTTP path, ...). Absent: `with:` is not allowed. */
  readonly querySchema?: JsonSchemaObject;
}

export type PluginManifest = ChannelManifest | SourceManifest;
export type PluginKind = PluginManifest['kind'];

export type ManifestCheck =
  | { readonly ok: true; readonly manifest: PluginManifest }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Thrown by `loadManifest`: a plugin whose manifest is broken is a packaging bug, found at import time. */
export class ManifestError extends Error {
  readonly problems: readonly string[];
  constructor(where: string, problems: readonly string[]) {
    super(`invalid plugin manifest ${where}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

const MESSAGE_KIND = /^[a-z][a-z0-9-]*$/;
// Semver 2.0.0, without the build-metadata subtleties a manifest never needs.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const KEYS: Record<PluginKind, ReadonlySet<string>> = {
  channel: new Set(['$schema', 'name', 'kind', 'version', 'description', 'message', 'configSchema']),
  source: new Set(['$schema', 'name', 'kind', 'version', 'description', 'configSchema', 'querySchema']),
};

/** Checks a parsed `herald-plugin.json`; problems are values, for tools that report them. */
export function checkManifest(value: unknown): ManifestCheck {
  if (!isPlainObject(value)) return { ok: false, problems: ['the manifest must be a JSON object'] };
  const problems: string[] = [];
  const kind = value['kind'];
  if (kind !== 'channel' && kind !== 'source') {
    return { ok: false, problems: [`kind must be "channel" or "source", got ${JSON.stringify(kind)}`] };
  }
  for (const key of Object.keys(value)) {
    if (!KEYS[kind].has(key)) problems.push(`unknown key "${key}" for a ${kind} manifest (allowed: ${[...KEYS[kind]].join(', ')})`);
  }
  if (typeof value['name'] !== 'string' || value['name'].trim() === '') problems.push('name must be a non-empty string');
  if (typeof value['version'] !== 'string' || !SEMVER.test(value['version'])) {
    problems.push(`version must be a semver string such as "1.2.3", got ${JSON.stringify(value['version'])}`);
  }
  if (value['description'] !== undefined && typeof value['description'] !== 'string') problems.push('description must be a string');
  if (value['$schema'] !== undefined && typeof value['$schema'] !== 'string') problems.push('$schema must be a string');
  problems.push(...checkRootSchema(value['configSchema'], 'configSchema'));
  if (kind === 'channel') {
    const message = value['message'];
    if (typeof message !== 'string' || !MESSAGE_KIND.test(message)) {
      problems.push(
        `message must be a message kind (email, sms, push, webhook, letter, "${ANY_MESSAGE_KIND}", or your own [a-z][a-z0-9-]*), got ${JSON.stringify(message)}`,
      );
    }
  } else if (value['querySchema'] !== undefined) {
    problems.push(...checkRootSchema(value['querySchema'], 'querySchema'));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, manifest: value as unknown as PluginManifest };
}

function checkRootSchema(schema: unknown, key: string): string[] {
  if (!isPlainObject(schema)) return [`${key} must be a JSON Schema object`];
  const problems = checkJsonSchema(schema, key);
  if (schema['type'] !== 'object') problems.push(`${key}: the root schema must have "type": "object" (it validates a YAML mapping)`);
  return problems;
}

/**
 * Reads and checks a manifest. Call it from the plugin's entry module with a URL relative to it,
 * so code and tools read the same file:
 *
 *     const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');
 *
 * Throws `ManifestError` when the file is missing, not JSON, not a manifest, or of another kind.
 */
export function loadManifest(url: URL | string, kind: 'channel'): ChannelManifest;
export function loadManifest(url: URL | string, kind: 'source'): SourceManifest;
export function loadManifest(url: URL | string, kind?: PluginKind): PluginManifest;
export function loadManifest(url: URL | string, kind?: PluginKind): PluginManifest {
  const where = url instanceof URL && url.protocol === 'file:' ? fileURLToPath(url) : String(url);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(url, 'utf8'));
  } catch (error) {
    throw new ManifestError(where, [(error as Error).message]);
  }
  const check = checkManifest(parsed);
  if (!check.ok) throw new ManifestError(where, check.problems);
  if (kind !== undefined && check.manifest.kind !== kind) {
    throw new ManifestError(where, [`expected a ${kind} plugin, the manifest says kind "${check.manifest.kind}"`]);
  }
  return deepFreeze(check.manifest);
}
