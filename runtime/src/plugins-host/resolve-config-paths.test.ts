import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfigPaths } from './resolve-config-paths.js';

const root = resolve('/srv/project');

describe('resolveConfigPaths', () => {
  it('makes relative values of keys named path absolute against the project root, at any depth', () => {
    expect(resolveConfigPaths({ path: 'data/crm.json', nested: { path: './out.jsonl' }, list: [{ path: 'a.json' }] }, root)).toEqual({
      path: resolve(root, 'data/crm.json'),
      nested: { path: resolve(root, 'out.jsonl') },
      list: [{ path: resolve(root, 'a.json') }],
    });
  });

  it('leaves stdout, URLs, absolute paths, empty strings and other keys alone', () => {
    const config = { path: '-', url: 'data/x.json', other: { path: 'https://example.com/x' }, abs: { path: '/etc/x.json' }, empty: { path: '' } };
    expect(resolveConfigPaths(config, root)).toEqual(config);
  });

  it('resolves the keys the schema marks x-herald-file too, following nested properties', () => {
    const schema = {
      properties: {
        caFile: { type: 'string', 'x-herald-file': true },
        lookup: { type: 'string', 'x-herald-file': 'json' },
        tls: { type: 'object', properties: { cert: { type: 'string', 'x-herald-file': true }, host: { type: 'string' } } },
        label: { type: 'string', 'x-herald-file': false },
      },
    };
    expect(resolveConfigPaths({ caFile: 'certs/ca.pem', lookup: 'data/l.json', tls: { cert: 'certs/c.pem', host: 'smtp.example' }, label: 'certs/x' }, root, schema)).toEqual({
      caFile: resolve(root, 'certs/ca.pem'),
      lookup: resolve(root, 'data/l.json'),
      tls: { cert: resolve(root, 'certs/c.pem'), host: 'smtp.example' },
      label: 'certs/x',
    });
  });

  it('leaves a `path` the schema marks "x-herald-file": false as written (an HTTP path, not a file)', () => {
    const schema = { properties: { path: { type: 'string', 'x-herald-file': false }, out: { type: 'object', properties: { path: { type: 'string' } } } } };
    expect(resolveConfigPaths({ path: 'v1/messages', out: { path: 'log.jsonl' } }, root, schema)).toEqual({ path: 'v1/messages', out: { path: resolve(root, 'log.jsonl') } });
  });
});
