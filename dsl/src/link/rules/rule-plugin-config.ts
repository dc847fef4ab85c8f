/**
 * Every channel and source of herald.yaml names a plugin (`use:`) whose manifest must be
 * found (`unknown-plugin`), readable (`invalid-plugin-manifest`) and of the right kind
 * (`wrong-plugin-kind`); its `config:` must match the manifest's config schema, and each
 * query's `with:` the source's query schema (`invalid-plugin-config`). A config that matches
 * may still name a file that is not there (`missing-plugin-file`, rule-plugin-config-files.ts).
 */
import { didYouMean, editDistance } from '../../diagnostics/did-you-mean.js';
import type { PluginUse, SourceDecl } from '../../model/ast.js';
import type { LinkContext, LinkRule } from '../link-context.js';
import type { PluginManifest } from '../plugin-manifest.js';
import { HERALD_PLUGINS } from '../herald-plugins.js';
import { reportPlainSecrets } from './plain-secrets.js';
import { reportMissingPluginFiles } from './rule-plugin-config-files.js';
import { validatePluginJson } from './validate-plugin-json.js';

type PluginKind = PluginManifest['kind'];


export const pluginConfig: LinkRule = (ctx) => {
  const config = ctx.model.config;
  if (!config) return;
  for (const c of config.channels) checkPlugin(ctx, c, 'channel');
  for (const s of config.sources) {
    const manifest = checkPlugin(ctx, s, 'source');
    if (manifest?.querySchema) checkQueries(ctx, s, manifest);
    else if (manifest) refuseWith(ctx, s);
  }
};

/** A plugin without a `querySchema` takes no `with:`: the block would reach it unchecked, or be ignored. */
function refuseWith(ctx: LinkContext, source: SourceDecl): void {
  for (const q of source.queries) {
    if (q.with === undefined) continue;
    ctx.report({
      code: 'invalid-plugin-config',
      message: `query \`${source.name.value}.${q.name.value}\` has a \`with:\`, but the plugin of source \`${source.name.value}\` (\`${source.use.value}\`) takes none: its manifest has no \`querySchema\``,
      span: q.with.locate([]),
      hint: 'remove `with:`; a plugin that reads one declares its form as `querySchema` in herald-plugin.json',
    });
  }
}

/** Reports what is wrong with the plugin of `use`; returns its manifest when its config was checkable. */
function checkPlugin(ctx: LinkContext, decl: PluginUse, kind: PluginKind): PluginManifest | undefined {
  const { model, report } = ctx;
  const use = decl.use;
  const who = `${kind} \`${decl.name.value}\``;
  const found = model.manifests.get(use.value);
  if (!found) return undefined; // not looked up: nothing to say
  if (!found.ok) {
    if (found.invalid) {
      report({
        code: 'invalid-plugin-manifest',
        message: `the manifest of plugin \`${use.value}\` (${who}) is not valid`,
        span: use.span,
        hint: `${found.reason}; update the plugin or tell its author`,
      });
      return undefined;
    }
    const isPath = use.value.startsWith('.') || use.value.startsWith('/');
    // Herald's own plugins count as known even when the project uses none of them yet: a
    // misspelt `@herald/channel-emial` must get a did-you-mean, never an `npm install` of the
    // misspelt name (a name someone else may have published).
    const known = [...new Set([...[...model.manifests].filter(([, r]) => r.ok).map(([u]) => u), ...HERALD_PLUGINS.channel, ...HERALD_PLUGINS.source])];
    // Package names share long prefixes (`@herald/channel-`), so only a near miss is a typo.
    const close = didYouMean(use.value, known);
    const suggestion = close !== undefined && editDistance(use.value, close) <= 2 ? close : undefined;
    report({
      code: 'unknown-plugin',
      message: `cannot find plugin \`${use.value}\` for ${who}`,
      span: use.span,
      hint: suggestion
        ? `did you mean \`${suggestion}\`?`
        : isPath
          ? `check the path: it is relative to the project root, and the folder needs a herald-plugin.json (${found.reason})`
          : `install it with \`npm install ${use.value}\`, or check the name`,
      ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span: use.span, newText: suggestion } } : {}),
    });
    return undefined;
  }
  const manifest = found.manifest;
  if (manifest.kind !== kind) {
    report({
      code: 'wrong-plugin-kind',
      message: `${who} uses \`${use.value}\`, which is a ${manifest.kind} plugin`,
      span: use.span,
      hint: `declare it under \`${manifest.kind === 'channel' ? 'channels' : 'sources'}:\` instead, or use a ${kind} plugin here`,
    });
    return undefined;
  }
  if (manifest.configSchema) {
    const r = validatePluginJson(manifest.configSchema, decl.config, `the config of ${who}`, decl.name.span);
    if (!r.ok) reportBrokenSchema(ctx, decl, 'configSchema', r.error);
    else if (r.problems.length > 0) r.problems.forEach(report);
    // Only a config that matches: a path of the wrong type or shape is already reported.
    else {
      reportMissingPluginFiles(ctx, decl, who, manifest.configSchema);
      reportPlainSecrets(ctx, decl, who, manifest.configSchema);
    }
  }
  return manifest;
}

function checkQueries(ctx: LinkContext, source: SourceDecl, manifest: PluginManifest): void {
  for (const q of source.queries) {
    const r = validatePluginJson(manifest.querySchema!, q.with, `\`with:\` of query \`${source.name.value}.${q.name.value}\``, q.name.span);
    if (!r.ok) {
      reportBrokenSchema(ctx, source, 'querySchema', r.error);
      return;
    }
    r.problems.forEach(ctx.report);
  }
}

function reportBrokenSchema(ctx: LinkContext, decl: PluginUse, which: string, error: string): void {
  ctx.report({
    code: 'invalid-plugin-manifest',
    message: `the \`${which}\` in the manifest of plugin \`${decl.use.value}\` is not a valid JSON Schema`,
    span: decl.use.span,
    hint: `${error}; update the plugin or tell its author`,
  });
}
