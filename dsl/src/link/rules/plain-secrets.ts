/**
 * `plain-secret`: a plugin config value its schema marks `"writeOnly": true` (a password, an
 * API token) written out in herald.yaml rather than as `${NAME}`. herald.yaml lives in Git, and
 * the compiled graph (`herald compile`, the store's saved versions) carries the config as
 * written, so the secret would be in both. A warning: a throwaway value for a local mail
 * catcher is fine, and the author decides.
 *
 * Follows `properties` from the root down through nested objects, as the file marks do
 * (rule-plugin-config-files.ts): plugins mark plain keys.
 */
import type { PluginUse } from '../../model/ast.js';
import type { LinkContext } from '../link-context.js';

type Json = Record<string, unknown>;

const ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

export function reportPlainSecrets(ctx: LinkContext, decl: PluginUse, who: string, schema: Json): void {
  if (!decl.config) return;
  for (const path of plainSecrets(schema, decl.config.value)) {
    const key = path.at(-1)!;
    const name = key.replace(/[^A-Za-z0-9]+/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    ctx.report({
      code: 'plain-secret',
      message: `\`${path.join('.')}\` in the config of ${who} is a secret, written out in herald.yaml: it would be in Git and in every compiled graph`,
      span: decl.config.locate(path),
      hint: `write \`${key}: \${${decl.name.value.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${name}}\` and set that variable where Herald runs; the runtime substitutes it at start`,
    });
  }
}

/** Paths of non-empty strings without a `${NAME}` at properties marked writeOnly. */
function plainSecrets(schema: unknown, value: unknown, path: readonly string[] = []): string[][] {
  const props = isObject(schema) ? schema['properties'] : undefined;
  if (!isObject(props) || !isObject(value)) return [];
  const out: string[][] = [];
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub) || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (sub['writeOnly'] === true) {
      if (typeof v === 'string' && v !== '' && !ENV_REF.test(v)) out.push([...path, key]);
    } else out.push(...plainSecrets(sub, v, [...path, key]));
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
