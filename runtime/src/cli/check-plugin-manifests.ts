/**
 * `herald validate` checks each plugin's herald-plugin.json with the SDK's `checkManifest`,
 * the check `loadManifest` runs when the plugin is imported. The compiler (which must not
 * depend on the SDK) only reads what it needs from a manifest (`name`, `kind`, `message`, the
 * schemas), so without this a manifest that the plugin itself refuses at start (a misspelt
 * `configSchema`, a missing `version`) would validate cleanly and `herald dev` / `herald start`
 * would be the first to say so.
 */
import type { CheckResult, Diagnostic, PluginUse, Project } from '@herald/dsl';
import { checkManifest } from '@herald/plugin-sdk';

/** The code the compiler uses for a manifest it cannot read (diagnostics/codes.ts). */
export const INVALID_PLUGIN_MANIFEST = 'invalid-plugin-manifest';

/**
 * Problems of the manifests of every channel and source of the project, as diagnostics at
 * their `use:` in herald.yaml. Manifests the compiler could not find or already reported as
 * invalid are left to the compiler's own diagnostic (`unknown-plugin`, `invalid-plugin-manifest`).
 */
export function pluginManifestDiagnostics(project: Project, checked: Pick<CheckResult, 'model' | 'diagnostics'>): Diagnostic[] {
  const config = checked.model.config;
  if (!config) return [];
  const out: Diagnostic[] = [];
  const decls: [PluginUse, 'channel' | 'source'][] = [
    ...config.channels.map((c): [PluginUse, 'channel'] => [c, 'channel']),
    ...config.sources.map((s): [PluginUse, 'source'] => [s, 'source']),
  ];
  for (const [decl, role] of decls) {
    const found = checked.model.manifests.get(decl.use.value);
    if (!found?.ok) continue;
    // The compiler parsed the whole file already; it types only the keys it reads.
    const check = checkManifest(found.manifest);
    if (check.ok) continue;
    const problems = check.problems;
    const file = project.sourceFile(decl.use.span.file);
    if (!file) continue;
    const range = file.range(decl.use.span.start, decl.use.span.end);
    const already = checked.diagnostics.some(
      (d) => d.code === INVALID_PLUGIN_MANIFEST && d.file === decl.use.span.file && d.range.start.offset === range.start.offset,
    );
    if (already) continue;
    out.push({
      code: INVALID_PLUGIN_MANIFEST,
      severity: 'error',
      message: `the manifest of plugin \`${decl.use.value}\` (${role} \`${decl.name.value}\`) is not valid: ${problems.join('; ')}`,
      file: decl.use.span.file,
      range,
      hint: `the plugin refuses to load with this manifest (herald dev and herald start would stop here): fix ${found.path}, or update the plugin or tell its author`,
    });
  }
  return out;
}
