/**
 * `plain-secret`: a plugin config value its schema marks `"writeOnly": true` (a password, an
 * API token) written out in herald.yaml rather than as `${NAME}`. herald.yaml lives in Git, and
 * the compiled graph (`herald compile`, the store's saved versions) carries the config as
 * written, so the secret would be in both. A warning: a throwaway value for a local mail
 * catcher is fine, and the author decides.
 *
 * Found as the file marks are (rule-plugin-config-files.ts `annotated`): through `properties`
 * from the root down; plugins mark plain keys.
 */
import type { PluginUse } from '../../model/ast.js';
import type { LinkContext } from '../link-context.js';
import { annotated, ENV_REF } from './rule-plugin-config-files.js';

export function reportPlainSecrets(ctx: LinkContext, decl: PluginUse, who: string, schema: Record<string, unknown>): void {
  if (!decl.config) return;
  const secrets = annotated(schema, decl.config.value, (sub) => (sub['writeOnly'] === true ? true : undefined));
  for (const { path, value } of secrets) {
    if (value === '' || ENV_REF.test(value)) continue;
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
