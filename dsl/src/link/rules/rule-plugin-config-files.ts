/**
 * `missing-plugin-file`: a config value whose schema says `"x-herald-file": true` must name a
 * file, or the plugin fails at start (`herald dev` stops with ENOENT) long after `herald
 * validate` passed. It is looked up as the runtime's plugin host resolves it
 * (runtime/src/plugins-host/resolve-config-paths.ts): relative to the project root, or as
 * written when absolute.
 *
 * Not judged: `${VAR}` values (known only at run time), and what the host leaves to the
 * plugin (`-`, URLs, an empty string). Only `properties` are followed, from the root down
 * through nested objects; a mark under `$ref`, a combinator, `items` or
 * `additionalProperties` is not seen. Plugins mark plain keys, and a walker that follows all
 * of JSON Schema would cost more than it finds.
 */
import { isAbsolute, posix } from 'node:path';
import type { PluginUse } from '../../model/ast.js';
import type { LinkContext } from '../link-context.js';

export const FILE_ANNOTATION = 'x-herald-file';

const ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

type Json = Record<string, unknown>;

interface MarkedValue {
  readonly path: readonly string[];
  readonly value: string;
}

/** @param who the declaration, for messages: "source `crm`" */
export function reportMissingPluginFiles(ctx: LinkContext, decl: PluginUse, who: string, schema: Json): void {
  const { pathKind, root } = ctx.model;
  if (!pathKind || !decl.config) return;
  for (const { path, value } of markedValues(schema, decl.config.value, [])) {
    if (value === '' || value === '-' || URL_LIKE.test(value) || ENV_REF.test(value)) continue;
    // The platform's isAbsolute, as the host's: what counts as absolute is what the plugin will open.
    const absolute = isAbsolute(value);
    const kind = pathKind(absolute ? value : posix.join(root, value));
    if (kind === 'file') continue;
    ctx.report({
      code: 'missing-plugin-file',
      message: `the \`${path.join('.')}\` of ${who} names \`${value}\`, which ${kind === 'folder' ? 'is a folder, not a file' : 'does not exist'}`,
      span: decl.config.locate(path),
      hint: absolute ? 'the path is absolute, so it is looked up as written' : `the path is relative to the project root (${root})`,
    });
  }
}

function markedValues(schema: unknown, value: unknown, path: readonly string[]): MarkedValue[] {
  const props = isObject(schema) ? schema['properties'] : undefined;
  if (!isObject(props) || !isObject(value)) return [];
  const out: MarkedValue[] = [];
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub) || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (sub[FILE_ANNOTATION] === true) {
      if (typeof v === 'string') out.push({ path: [...path, key], value: v });
    } else out.push(...markedValues(sub, v, [...path, key]));
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
