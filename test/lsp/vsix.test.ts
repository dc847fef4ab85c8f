/**
 * The packaged extension: `npm run package -w vscode-extension` builds a .vsix whose manifest
 * names the bundled client, contributes the commands and activates on Herald projects, and
 * whose bundled server runs on its own (no node_modules) and answers over LSP.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, LspClient, removeProject, REPO } from './lsp-client.js';
import { readZip } from './read-zip.js';

const VSIX = join(REPO, 'vscode-extension/herald-vscode-0.1.0.vsix');
let files: Map<string, Buffer>;
let unpacked: string;

beforeAll(() => {
  rmSync(VSIX, { force: true });
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package', '-w', 'vscode-extension'], { cwd: REPO, stdio: 'pipe', env: { ...process.env, CI: 'true' } });
  files = readZip(VSIX);
  unpacked = mkdtempSync(join(tmpdir(), 'herald-vsix-'));
  for (const [name, data] of files) {
    if (name.endsWith('/')) continue;
    const dest = join(unpacked, name);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, data);
  }
}, 120_000);

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

describe('the .vsix', () => {
  it('has a manifest with the bundled client, the commands and the activation events', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
    expect(manifest.name).toBe('herald-vscode');
    expect(manifest.main).toBe('./out/extension.js');
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+/);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(
      expect.arrayContaining(['herald.showJourneyGraph', 'herald.previewTemplate']),
    );
    expect(manifest.contributes.commands.find((c: { command: string }) => c.command === 'herald.showJourneyGraph').title).toBe('Show Journey Graph');
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(['workspaceContains:**/herald.yaml', 'workspaceContains:**/*.journey.yaml']));
    for (const v of manifest.contributes.yamlValidation) expect(files.has(`extension/${v.url.replace(/^\.\//, '')}`)).toBe(true);
  });

  it('ships the bundles and nothing of the sources', () => {
    for (const f of ['out/extension.js', 'out/server.js', 'out/check-worker.js', 'out/package.json', 'schemas/journey.schema.json', 'out/plugins/node_modules/@herald/channel-email/herald-plugin.json']) {
      expect(files.has(`extension/${f}`), f).toBe(true);
    }
    expect(JSON.parse(files.get('extension/out/package.json')!.toString('utf8'))).toEqual({ type: 'commonjs' });
    expect([...files.keys()].filter((f) => f.startsWith('extension/src/') || f.startsWith('extension/dist/') || f.includes('node_modules/vscode-'))).toEqual([]);
  });

  it('the client bundle loads with only `vscode` provided by the editor', () => {
    const loader = join(unpacked, 'load.cjs');
    writeFileSync(
      loader,
      `const Module = require('module');
const orig = Module._load;
const stub = new Proxy(function () {}, { get: (t, p) => (p === '__esModule' ? false : stub), apply: () => stub, construct: () => stub });
Module._load = function (req, ...rest) { if (req === 'vscode') return stub; return orig.call(this, req, ...rest); };
const ext = require(${JSON.stringify(join(unpacked, 'extension/out/extension.js'))});
process.stdout.write(JSON.stringify(Object.keys(ext).sort()));`,
    );
    const r = spawnSync(process.execPath, [loader], { cwd: tmpdir(), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(['activate', 'deactivate']));
  });

  it('the bundled server runs on its own and finds the shipped plugin manifests', async () => {
    const root = copyProject();
    const server = join(unpacked, 'extension/out/server.js');
    expect(existsSync(server)).toBe(true);
    // No pluginRoots: the @herald/* manifests must come from the bundle itself.
    const client = await LspClient.start(root, { pluginRoots: [] }, server);
    try {
      const rel = 'journeys/invoice-overdue.journey.yaml';
      const full = client.waitForFullCheck();
      const ok = await client.open(rel);
      expect(ok.diagnostics).toEqual([]);
      // The whole project checks clean: herald.yaml's plugins resolved from the bundled manifests.
      expect((await full).diagnostics).toBe(0);
      const bad = await client.change(rel, client.text(rel).replace('send: final-notice', 'send: final-notise'));
      expect(bad.diagnostics.map((d) => d.code)).toEqual(['unknown-template']);
    } finally {
      await client.stop();
      removeProject(root);
    }
  });
});
