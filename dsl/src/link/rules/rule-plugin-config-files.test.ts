import { describe, expect, it } from 'vitest';
import type { ManifestResult } from '../plugin-manifest.js';
import type { PathKind } from '../symbols.js';
import { pluginConfig } from './rule-plugin-config.js';
import { checkRule, DEFAULT_MANIFESTS } from './test-project.js';

const FILES: ManifestResult = {
  ok: true,
  path: '/node_modules/@herald/source-file/herald-plugin.json',
  manifest: {
    name: '@herald/source-file',
    kind: 'source',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        path: { type: 'string', 'x-herald-file': true },
        label: { type: 'string' },
        tls: { type: 'object', properties: { ca: { type: 'string', 'x-herald-file': true }, note: { type: 'string' } } },
      },
    },
  },
};
const MANIFESTS = { ...DEFAULT_MANIFESTS, '@herald/source-file': FILES };

/** A host holding these files and folders (absolute paths), and nothing else. */
function disk(files: readonly string[], folders: readonly string[] = []): (abs: string) => PathKind {
  return (abs) => (files.includes(abs) ? 'file' : folders.includes(abs) ? 'folder' : 'missing');
}

const project = (config: string) => `project: test\nsources:\n  crm:\n    use: '@herald/source-file'\n    config: ${config}\n    queries: { q: { returns: string } }\n`;
const check = (config: string, pathKind = disk([])) =>
  checkRule(pluginConfig, { 'herald.yaml': project(config) }, { manifests: MANIFESTS, pathKind });

describe('missing-plugin-file', () => {
  it('reports a marked path that names no file, at the value, relative to the project root', () => {
    expect(check('{ path: data/crm.json }')).toEqual([
      expect.objectContaining({
        code: 'missing-plugin-file',
        severity: 'error',
        at: 'data/crm.json',
        line: 5,
        message: 'the `path` of source `crm` names `data/crm.json`, which does not exist',
        hint: 'the path is relative to the project root (/project)',
      }),
    ]);
  });

  it('accepts a path that names a file, looked up from the project root', () => {
    const asked: string[] = [];
    const r = check('{ path: ./data/../data/crm.json }', (abs) => (asked.push(abs), disk(['/project/data/crm.json'])(abs)));
    expect(r).toEqual([]);
    expect(asked).toEqual(['/project/data/crm.json']);
    expect(check('{ path: ../shared/crm.json }', disk(['/shared/crm.json']))).toEqual([]);
  });

  it('says when the path is a folder', () => {
    const r = check('{ path: data }', disk([], ['/project/data']));
    expect(r.map((p) => [p.code, p.at, p.message])).toEqual([['missing-plugin-file', 'data', 'the `path` of source `crm` names `data`, which is a folder, not a file']]);
  });

  it('looks an absolute path up as written', () => {
    expect(check('{ path: /srv/crm.json }', disk(['/srv/crm.json']))).toEqual([]);
    expect(check('{ path: /srv/crm.json }')).toEqual([
      expect.objectContaining({ at: '/srv/crm.json', hint: 'the path is absolute, so it is looked up as written' }),
    ]);
  });

  it('leaves values known only at run time, and those the runtime leaves to the plugin, alone', () => {
    for (const value of ["'${CRM_FILE}'", "'data/${TENANT}.json'", "'-'", 'https://example.com/crm.json', "''"]) {
      expect(check(`{ path: ${value} }`), value).toEqual([]);
    }
  });

  it('checks a marked key inside a nested object, and names it by its dotted path', () => {
    const r = check('{ path: crm.json, label: data/x.json, tls: { ca: certs/ca.pem, note: certs/none } }', disk(['/project/crm.json']));
    expect(r.map((p) => [p.at, p.message])).toEqual([['certs/ca.pem', 'the `tls.ca` of source `crm` names `certs/ca.pem`, which does not exist']]);
  });

  it('says nothing when the host cannot look at its files', () => {
    expect(checkRule(pluginConfig, { 'herald.yaml': project('{ path: data/crm.json }') }, { manifests: MANIFESTS })).toEqual([]);
  });

  it('waits for a config that matches its schema', () => {
    const r = check('{ path: data/crm.json, pth: x }');
    expect(r.map((p) => p.code)).toEqual(['invalid-plugin-config']);
  });

  it('does not judge keys the schema does not mark, such as a channel writing to `path`', () => {
    const log: ManifestResult = {
      ok: true,
      path: '/node_modules/@herald/channel-log/herald-plugin.json',
      manifest: { name: '@herald/channel-log', kind: 'channel', message: 'any', configSchema: { type: 'object', properties: { path: { type: 'string' } } } },
    };
    const yaml = "project: test\nchannels:\n  log: { use: '@herald/channel-log', config: { path: out/log.txt } }\n";
    expect(checkRule(pluginConfig, { 'herald.yaml': yaml }, { manifests: { '@herald/channel-log': log }, pathKind: disk([]) })).toEqual([]);
  });
});
