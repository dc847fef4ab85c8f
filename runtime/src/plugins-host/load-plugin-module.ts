/**
 * Imports a plugin package and checks its default export with the SDK's own recognisers, so the
 * rest of the host can trust its type. Modules are cached by Node; loading twice is cheap.
 */
import { pathToFileURL } from 'node:url';
import { isChannelPlugin, isSourcePlugin } from '@herald/plugin-sdk';
import type { AnyChannelPlugin, AnySourcePlugin } from '@herald/plugin-sdk';
import { resolvePluginEntry } from './resolve-plugin-entry.js';

export type PluginRole = 'channel' | 'source';

export type LoadModuleResult<P> = { readonly ok: true; readonly plugin: P; readonly file: string } | { readonly ok: false; readonly problem: string };

export function loadPluginModule(role: 'channel', name: string, use: string, projectRoot: string): Promise<LoadModuleResult<AnyChannelPlugin>>;
export function loadPluginModule(role: 'source', name: string, use: string, projectRoot: string): Promise<LoadModuleResult<AnySourcePlugin>>;
export async function loadPluginModule(
  role: PluginRole,
  name: string,
  use: string,
  projectRoot: string,
): Promise<LoadModuleResult<AnyChannelPlugin | AnySourcePlugin>> {
  const where = `${role} "${name}" (use: ${use})`;
  const entry = resolvePluginEntry(use, projectRoot);
  if (!entry.ok) return { ok: false, problem: `${where}: ${entry.reason}` };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entry.file).href)) as Record<string, unknown>;
  } catch (error) {
    // A ManifestError (thrown by loadManifest at import) lists its problems as `  - ` lines:
    // indent them under this problem, itself one item of the startup error's list.
    return { ok: false, problem: `${where}: importing ${entry.file} failed: ${indentFollowingLines(describeError(error), '    ')}` };
  }
  const exported = mod['default'];
  if (role === 'channel') {
    if (isChannelPlugin(exported)) return { ok: true, plugin: exported, file: entry.file };
    const other = isSourcePlugin(exported) ? ' (it is a source plugin: list it under sources:)' : '';
    return { ok: false, problem: `${where}: the default export is not a channel plugin made with defineChannel${other}` };
  }
  if (isSourcePlugin(exported)) return { ok: true, plugin: exported, file: entry.file };
  const other = isChannelPlugin(exported) ? ' (it is a channel plugin: list it under channels:)' : '';
  return { ok: false, problem: `${where}: the default export is not a source plugin made with defineSource${other}` };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/** `text` with every line after the first indented by `indent`, so it nests in a bullet list. */
export function indentFollowingLines(text: string, indent: string): string {
  return text.replace(/\r?\n(?=.)/g, (newline) => `${newline}${indent}`);
}
