import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifest, loadManifest, ManifestError } from './manifest.js';

const channel = {
  name: '@acme/channel-fax',
  kind: 'channel',
  version: '1.0.0',
  message: 'fax',
  configSchema: { type: 'object', properties: { number: { type: 'string' } }, additionalProperties: false },
};

function writeManifest(content: unknown): URL {
  const dir = mkdtempSync(join(tmpdir(), 'herald-manifest-'));
  const file = join(dir, 'herald-plugin.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return pathToFileURL(file);
}

describe('checkManifest', () => {
  it('accepts channel and source manifests', () => {
    expect(checkManifest(channel)).toEqual({ ok: true, manifest: channel });
    expect(checkManifest({ ...channel, message: 'any' }).ok).toBe(true);
    const source = {
      name: 'src',
      kind: 'source',
      version: '0.1.0-beta.1',
      configSchema: { type: 'object' },
      querySchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
    };
    expect(checkManifest(source).ok).toBe(true);
  });

  it('lists every problem', () => {
    const check = checkManifest({ ...channel, version: '1.0', message: 'Fax!', configSchema: { type: 'array' }, extra: 1 });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual([
      expect.stringMatching(/unknown key "extra"/),
      expect.stringMatching(/^version must be a semver string/),
      expect.stringMatching(/^configSchema: the root schema must have "type": "object"/),
      expect.stringMatching(/^message must be a message kind/),
    ]);
  });

  it('accepts a config property marked `x-herald-file: true` or `"json"`, and refuses another mark', () => {
    const source = (mark: unknown) => ({
      name: 'src',
      kind: 'source',
      version: '1.0.0',
      configSchema: { type: 'object', properties: { path: { type: 'string', 'x-herald-file': mark } } },
    });
    expect(checkManifest(source(true)).ok).toBe(true);
    expect(checkManifest(source('json')).ok).toBe(true);
    expect(checkManifest(source(1))).toEqual({
      ok: false,
      problems: ['configSchema/properties/path/x-herald-file: must be true, false or "json" (true marks a string as the path of a file in the project, "json" of a JSON file), got 1'],
    });
  });

  it('rejects a wrong kind, a channel key on a source, and a non-object', () => {
    expect(checkManifest({ ...channel, kind: 'sink' })).toEqual({ ok: false, problems: ['kind must be "channel" or "source", got "sink"'] });
    const source = checkManifest({ ...channel, kind: 'source' });
    expect(source.ok === false && source.problems[0]).toMatch(/unknown key "message" for a source manifest/);
    expect(checkManifest([])).toEqual({ ok: false, problems: ['the manifest must be a JSON object'] });
  });
});

describe('loadManifest', () => {
  it('reads, checks and freezes a manifest from a file URL', () => {
    const manifest = loadManifest(writeManifest(channel), 'channel');
    expect(manifest).toEqual(channel);
    expect(manifest.message).toBe('fax');
    expect(Object.isFrozen(manifest.configSchema)).toBe(true);
  });

  it('throws ManifestError naming the file and the problems', () => {
    const url = writeManifest({ ...channel, version: 'one' });
    expect(() => loadManifest(url)).toThrow(ManifestError);
    expect(() => loadManifest(url)).toThrow(/herald-plugin\.json:\n {2}- version must be a semver/);
    expect(() => loadManifest(writeManifest('{ not json'))).toThrow(ManifestError);
    expect(() => loadManifest(writeManifest(channel), 'source')).toThrow(/expected a source plugin/);
    expect(() => loadManifest(new URL('file:///nonexistent/herald-plugin.json'))).toThrow(/ENOENT/);
  });
});
