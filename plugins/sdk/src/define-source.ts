import type { PluginContext, QueryContext } from './context.js';
import { requireSchema, requireString, resolveIdentity } from './define-plugin-identity.js';
import type { JsonSchemaObject } from './json-schema.js';
import type { SourceManifest } from './manifest.js';
import type { SourceResult } from './source-result.js';

/** A live data source, made by `create`. */
export interface SourceInstance<Definition = unknown> {
  /**
   * Runs one declared query. `name` is the query's name in herald.yaml, `args` its evaluated
   * arguments, `definition` its `with:` block (validated against querySchema). Resolves to a
   * SourceResult for every outcome; must return promptly once `ctx.signal` is aborted.
   */
  query(name: string, args: Readonly<Record<string, unknown>>, definition: Definition, ctx: QueryContext): Promise<SourceResult>;
  /** Releases pools and timers. Must be safe to call twice. */
  close?(): Promise<void>;
}

interface SourceIdentity {
  readonly name: string;
  readonly version: string;
  readonly configSchema: JsonSchemaObject;
  /** Validates each query's `with:` block. Absent: queries take no `with:`. */
  readonly querySchema?: JsonSchemaObject;
}

interface SourceFactory<Config, Definition> {
  create(config: Config, ctx: PluginContext<Config>): Promise<SourceInstance<Definition>> | SourceInstance<Definition>;
}

export type SourceDefinition<Config, Definition> = SourceFactory<Config, Definition> &
  (
    | (SourceIdentity & { readonly manifest?: SourceManifest })
    | (Partial<SourceIdentity> & { readonly manifest: SourceManifest })
  );

/** The default export of a source plugin package. */
export interface SourcePlugin<Config = unknown, Definition = unknown>
  extends SourceIdentity,
    SourceFactory<Config, Definition> {
  readonly kind: 'source';
  readonly manifest: SourceManifest | undefined;
}

export type AnySourcePlugin = SourcePlugin<any, any>;

/** Builds a source plugin; the source counterpart of `defineChannel`. */
export function defineSource<Config = unknown, Definition = unknown>(
  definition: SourceDefinition<Config, Definition>,
): SourcePlugin<Config, Definition> {
  const helper = 'defineSource';
  const manifest = definition.manifest;
  if (manifest !== undefined && manifest.kind !== 'source') {
    throw new TypeError(`${helper}: the manifest is for a ${String(manifest.kind)} plugin`);
  }
  const identity = resolveIdentity(helper, definition, manifest, [
    ['name', 'name'],
    ['version', 'version'],
    ['configSchema', 'configSchema'],
    ['querySchema', 'querySchema'],
  ]);
  if (typeof definition.create !== 'function') throw new TypeError(`${helper}: create must be a function`);
  const create = definition.create;
  return Object.freeze({
    kind: 'source',
    name: requireString(helper, 'name', identity.name),
    version: requireString(helper, 'version', identity.version),
    configSchema: requireSchema(helper, 'configSchema', identity.configSchema),
    ...(identity.querySchema === undefined ? {} : { querySchema: requireSchema(helper, 'querySchema', identity.querySchema) }),
    manifest,
    create: (config: Config, ctx: PluginContext<Config>) => create.call(definition, config, ctx),
  });
}

/** True for what `defineSource` returns; the source counterpart of `isChannelPlugin`. */
export function isSourcePlugin(value: unknown): value is AnySourcePlugin {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return false;
  const v = value as Partial<AnySourcePlugin>;
  return v.kind === 'source' && typeof v.name === 'string' && typeof v.create === 'function';
}
