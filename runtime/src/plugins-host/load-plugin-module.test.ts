import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { indentFollowingLines, loadPluginModule } from './load-plugin-module.js';
import { PluginStartupError } from './plugin-host.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-load-plugin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The SDK as the runtime loads it, imported by URL from a plugin outside the repository.
const sdk = pathToFileURL(createRequire(import.meta.url).resolve('@herald/plugin-sdk')).href;

function plugin(name: string, files: Record<string, string>): string {
  const dir = join(scratch, 'plugins', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('loadPluginModule', () => {
  it('nests the problems of a ManifestError thrown at import under the plugin, indented', async () => {
    const dir = plugin('typo', {
      'herald-plugin.json': JSON.stringify({ name: 'sms', kind: 'channel', version: '1.0.0', message: 'sms', configschema: { type: 'object' } }),
      'index.js': [
        `import { defineChannel, loadManifest } from '${sdk}';`,
        `const manifest = loadManifest(new URL('./herald-plugin.json', import.meta.url), 'channel');`,
        `export default defineChannel({ manifest, create: () => ({ send: async () => { throw new Error('unused'); } }) });`,
      ].join('\n'),
    });
    const r = await loadPluginModule('channel', 'sms', '../plugins/typo', join(scratch, 'project'));
    expect(r.ok).toBe(false);
    const problem = r.ok ? '' : r.problem;
    expect(problem).toBe(
      [
        `channel "sms" (use: ../plugins/typo): importing ${join(dir, 'index.js')} failed: invalid plugin manifest ${join(dir, 'herald-plugin.json')}:`,
        `      - unknown key "configschema" for a channel manifest (allowed: $schema, name, kind, version, description, message, configSchema)`,
        `      - configSchema must be a JSON Schema object`,
      ].join('\n'),
    );
    // As `herald dev` and `herald start` print it: the manifest's problems one level deeper.
    expect(new PluginStartupError([problem, 'channel "email": another problem']).message).toBe(
      [
        'plugins could not start:',
        `  - channel "sms" (use: ../plugins/typo): importing ${join(dir, 'index.js')} failed: invalid plugin manifest ${join(dir, 'herald-plugin.json')}:`,
        `      - unknown key "configschema" for a channel manifest (allowed: $schema, name, kind, version, description, message, configSchema)`,
        `      - configSchema must be a JSON Schema object`,
        '  - channel "email": another problem',
      ].join('\n'),
    );
  });

  it('says that the entry "exports" names is missing, and to build the plugin', async () => {
    const dir = plugin('unbuilt', {
      'package.json': JSON.stringify({ name: 'sms', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
    });
    const r = await loadPluginModule('channel', 'sms', dir, scratch);
    expect(r).toEqual({
      ok: false,
      problem: `channel "sms" (use: ${dir}): ${dir} has no entry point: its package.json "exports" points at ./dist/index.js, which does not exist; build the plugin first (e.g. npm run build in ${dir})`,
    });
  });
});

describe('indentFollowingLines', () => {
  it('indents every line but the first, and leaves one-line text and blank lines alone', () => {
    expect(indentFollowingLines('one line', '    ')).toBe('one line');
    expect(indentFollowingLines('head:\n  - a\n  - b', '  ')).toBe('head:\n    - a\n    - b');
    expect(indentFollowingLines('a\r\nb\n\nc\n', '> ')).toBe('a\r\n> b\n\n> c\n');
  });
});
