import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePluginEntry } from './resolve-plugin-entry.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-plugin-entry-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(rel: string, files: Record<string, string> = {}): string {
  const dir = join(scratch, rel);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const pkg = (extra: Record<string, unknown>) => JSON.stringify({ name: '@acme/channel-sms', version: '1.0.0', type: 'module', ...extra });
const exportsDist = { exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './herald-plugin.json': './herald-plugin.json' } };

const project = folder('project', { 'herald.yaml': 'project: p\n' });

describe('a local plugin folder', () => {
  it('whose "exports" names a file not built yet: says so and suggests building', () => {
    const dir = folder('unbuilt', { 'package.json': pkg(exportsDist), 'herald-plugin.json': '{}' });
    const r = resolvePluginEntry('../unbuilt', project);
    expect(r).toEqual({
      ok: false,
      reason: `${dir} has no entry point: its package.json "exports" points at ./dist/index.js, which does not exist; build the plugin first (e.g. npm run build in ${dir})`,
    });
  });

  it('whose "main" names a missing file: names "main"', () => {
    const dir = folder('unbuilt-main', { 'package.json': pkg({ main: 'dist/index.js' }) });
    const r = resolvePluginEntry(dir, project);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('its package.json "main" points at dist/index.js, which does not exist; build the plugin first');
  });

  it('without package.json or index.js: the general message', () => {
    const dir = folder('empty', { 'README.md': 'x' });
    expect(resolvePluginEntry('../empty', project)).toEqual({ ok: false, reason: `${dir} has no entry point (package.json "exports" or "main", or index.js)` });
  });

  it('once built, is found through "exports", by `./`, `../` and absolute paths', () => {
    const dir = folder('project/plugins/built', { 'package.json': pkg(exportsDist), 'dist/index.js': 'export default 1;\n' });
    const file = join(dir, 'dist/index.js');
    expect(resolvePluginEntry('./plugins/built', project)).toEqual({ ok: true, file });
    expect(resolvePluginEntry('../project/plugins/built', project)).toEqual({ ok: true, file });
    expect(resolvePluginEntry(dir, project)).toEqual({ ok: true, file });
  });

  it('that does not exist', () => {
    expect(resolvePluginEntry('../nowhere', project)).toEqual({ ok: false, reason: `${join(scratch, 'nowhere')} does not exist` });
  });
});

describe('an installed package', () => {
  const root = folder('npm-project', { 'herald.yaml': 'project: p\n', 'package.json': '{"name":"p","private":true}' });

  it('whose "exports" names a file not built yet: installed, but not built', () => {
    const dir = folder('npm-project/node_modules/@acme/channel-sms', { 'package.json': pkg(exportsDist), 'herald-plugin.json': '{}' });
    const r = resolvePluginEntry('@acme/channel-sms', root);
    expect(r).toEqual({
      ok: false,
      reason: `package @acme/channel-sms (${dir}) has no entry point: its package.json "exports" points at ./dist/index.js, which does not exist; build the package (npm run build in its folder) or reinstall it`,
    });
  });

  it('once built, is found', () => {
    const dir = folder('npm-project/node_modules/@acme/channel-built', { 'package.json': pkg(exportsDist), 'dist/index.js': 'export default 1;\n' });
    expect(resolvePluginEntry('@acme/channel-built', root)).toEqual({ ok: true, file: join(dir, 'dist/index.js') });
  });

  it('that is not installed', () => {
    const r = resolvePluginEntry('@acme/not-there', root);
    expect(!r.ok && r.reason).toBe(`package @acme/not-there is not installed (not found from ${root} nor among the runtime's packages); run npm install @acme/not-there`);
  });
});
