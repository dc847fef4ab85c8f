/**
 * From a `config:` block in herald.yaml to what `create` gets: `${ENV}` substituted, relative
 * `path` values (and those the schema marks `x-herald-file`) resolved against the project root,
 * then validated against the plugin's schema.
 * Problems are values, one line each, naming the channel or source and the config key.
 */
// The light entry: this runs in every worker thread, where the full compiler would cost ~20 MB each.
import { pointerToPath } from '@herald/dsl/render';
import type { JsonSchemaObject } from '@herald/plugin-sdk';
import { schemaCheck } from './json-validator.js';
import { resolveConfigPaths } from './resolve-config-paths.js';
import { substituteEnv, type Env } from './substitute-env.js';

export type PreparedConfig = { readonly ok: true; readonly config: unknown } | { readonly ok: false; readonly problems: readonly string[] };

export function preparePluginConfig(
  where: string,
  rawConfig: unknown,
  schema: JsonSchemaObject,
  env: Env,
  projectRoot: string,
): PreparedConfig {
  const substituted = substituteEnv(rawConfig ?? {}, schema, env);
  if (substituted.problems.length > 0) return { ok: false, problems: substituted.problems.map((p) => `${where}: ${p}`) };
  const config = resolveConfigPaths(substituted.value, projectRoot, schema);
  let check;
  try {
    check = schemaCheck(schema);
  } catch (error) {
    return { ok: false, problems: [`${where}: the plugin's configSchema does not compile: ${(error as Error).message}`] };
  }
  const problems = check(config);
  if (problems.length > 0) {
    return { ok: false, problems: problems.map((p) => `${where}: config${pointerToDotPath(p.path)} ${p.message}`) };
  }
  return { ok: true, config };
}

/** `/auth/user` → `.auth.user`, `/to/0` → `.to[0]`: a config key as a message names it. */
export function pointerToDotPath(pointer: string): string {
  return pointerToPath(pointer)
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
    .join('');
}
