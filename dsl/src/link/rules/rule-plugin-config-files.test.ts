import { describe, expect, it } from 'vitest';
import type { Problem } from '../../diagnostics/report.js';
import type { ManifestResult } from '../plugin-manifest.js';
import { buildSymbols, type PathKind } from '../symbols.js';
import { describeJsonError, syntaxErrorOffset } from './rule-plugin-config-files.js';
import { pluginConfig } from './rule-plugin-config.js';
import { buildTestProject, checkRule, DEFAULT_MANIFESTS, describeProblem } from './test-project.js';

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

/** The shipped source-file manifest's marks: `path` is a JSON file, a query's `collection` a top-level key of it. */
const JSON_FILES: ManifestResult = {
  ok: true,
  path: '/node_modules/@herald/source-json/herald-plugin.json',
  manifest: {
    name: '@herald/source-json',
    kind: 'source',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { path: { type: 'string', 'x-herald-file': 'json' }, cert: { type: 'string', 'x-herald-file': true } },
    },
    querySchema: {
      type: 'object',
      properties: { collection: { type: 'string', 'x-herald-json-key-of': '/path' }, key: { type: 'string' } },
    },
  },
};

const jsonProject = (config: string, queries = '{ q: { returns: string, with: { collection: customers } } }') =>
  `project: test\nsources:\n  crm:\n    use: '@herald/source-json'\n    config: ${config}\n    queries: ${queries}\n`;

/** Runs the rule over a project whose host holds `files` (absolute path -> text), as the Project gives them. */
function checkJson(config: string, files: Readonly<Record<string, string>>, queries?: string, folders: readonly string[] = []) {
  const yaml = jsonProject(config, queries);
  const { model, files: all } = buildTestProject({ 'herald.yaml': yaml }, { manifests: { '@herald/source-json': JSON_FILES }, pathKind: disk(Object.keys(files), folders) });
  const read: string[] = [];
  const withReader = { ...model, readFile: (abs: string) => (read.push(abs), files[abs]) };
  const problems: Problem[] = [];
  pluginConfig({ model: withReader, symbols: buildSymbols(withReader), report: (p) => problems.push(p) });
  return { problems: problems.map((p) => describeProblem(all, p)), read };
}

const CRM = '{\n  "customers": { "c-1": { "name": "Ada" } },\n  "invoices": []\n}\n';

describe('invalid-plugin-file', () => {
  it('accepts a `"json"` file that parses, read once through the host', () => {
    const r = checkJson('{ path: data/crm.json }', { '/project/data/crm.json': CRM });
    expect(r.problems).toEqual([]);
    expect(r.read).toEqual(['/project/data/crm.json']);
  });

  it('reports a file that is not JSON at the value, with the parser message and the line and column in the file', () => {
    const r = checkJson('{ path: data/crm.json }', { '/project/data/crm.json': '{\n  "customers": {},\n  invoices: []\n}\n' });
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'invalid-plugin-file',
        severity: 'error',
        at: 'data/crm.json',
        line: 5,
        message: 'the `path` of source `crm` names `data/crm.json`, which is not valid JSON: Expected double-quoted property name (line 3, column 3 of that file)',
        hint: 'fix the file: the plugin reads it when it starts, so `herald dev` would stop there (JSON allows no comments, trailing commas or single quotes)',
      }),
    ]);
  });

  it('places errors Node gives no position for (unexpected tokens, comments, the end of the text)', () => {
    const message = (text: string) => checkJson('{ path: crm.json }', { '/project/crm.json': text }).problems.map((p) => p.message.replace(/^.*not valid JSON: /, ''));
    expect(message('{\n  "a": nope\n}')).toEqual(["Unexpected token 'o' (line 2, column 9 of that file)"]);
    expect(message('// data\n{}')).toEqual(["Unexpected token '/' (line 1, column 1 of that file)"]);
    expect(message('{ "a": [1, 2,] }')).toEqual(["Unexpected token ']' (line 1, column 14 of that file)"]);
    expect(message("{ \"customers\": { \"c-1\": { \"name\": 'Ada' } } }")).toEqual(["Unexpected token ''' (line 1, column 35 of that file)"]);
    expect(message('{\n  "a": [tru')).toEqual(['Unexpected end of JSON input (line 2, column 12 of that file)']);
    expect(message('')).toEqual(['Unexpected end of JSON input (line 1, column 1 of that file)']);
    expect(message('\uFEFF{}')).toEqual(['Unexpected token U+FEFF (a byte order mark) (line 1, column 1 of that file)']);
  });

  it('checks only `"json"` marks for JSON, and a file over 5 MB only for being there', () => {
    const r = checkJson('{ path: crm.json, cert: ca.pem }', { '/project/crm.json': CRM, '/project/ca.pem': '-----BEGIN' });
    expect(r.problems).toEqual([]);
    expect(r.read).toEqual(['/project/crm.json']);
    const big = `{"a": "${'x'.repeat(5 * 1024 * 1024)}"`;
    expect(checkJson('{ path: crm.json }', { '/project/crm.json': big }).problems).toEqual([]);
  });

  it('still reports a missing file or a folder as missing-plugin-file, without reading it', () => {
    const r = checkJson('{ path: data/crm.json }', {});
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([['missing-plugin-file', 'the `path` of source `crm` names `data/crm.json`, which does not exist']]);
    expect(r.read).toEqual([]);
    expect(checkJson('{ path: data }', {}, undefined, ['/project/data']).problems.map((p) => p.message)).toEqual([
      'the `path` of source `crm` names `data`, which is a folder, not a file',
    ]);
  });

  it('says nothing of a file the host cannot read after all', () => {
    const { model } = buildTestProject({ 'herald.yaml': jsonProject('{ path: crm.json }') }, { manifests: { '@herald/source-json': JSON_FILES }, pathKind: disk(['/project/crm.json']) });
    const problems: Problem[] = [];
    pluginConfig({ model, symbols: buildSymbols(model), report: (p) => problems.push(p) }); // no readFile
    const withReader = { ...model, readFile: () => undefined };
    pluginConfig({ model: withReader, symbols: buildSymbols(withReader), report: (p) => problems.push(p) });
    expect(problems).toEqual([]);
  });

  it('refuses `-`, a URL or an empty string for a `"json"` file, while a plain mark leaves them to the plugin', () => {
    const found = (value: string) => checkJson(`{ path: ${value} }`, {}).problems.map((p) => [p.code, p.at, p.message, p.hint]);
    expect(found("'-'")).toEqual([
      ['missing-plugin-file', "'-'", 'the `path` of source `crm` is `-` (standard input or output); it must name a JSON file of the project', 'name a JSON file, relative to the project root (e.g. `data/crm.json`)'],
    ]);
    expect(found('https://x.example/crm.json')).toEqual([
      [
        'missing-plugin-file',
        'https://x.example/crm.json',
        'the `path` of source `crm` names `https://x.example/crm.json`, a URL; it must name a JSON file of the project',
        'save the file in the project and name that copy, relative to the project root',
      ],
    ]);
    expect(found("''")).toEqual([['missing-plugin-file', "''", 'the `path` of source `crm` is empty; it must name a JSON file of the project', 'name a JSON file, relative to the project root (e.g. `data/crm.json`)']]);
    expect(found("'${CRM_FILE}'")).toEqual([]);
    for (const value of ["'-'", 'https://x.example/ca.pem', "''"]) {
      expect(checkJson(`{ path: crm.json, cert: ${value} }`, { '/project/crm.json': CRM }).problems, value).toEqual([]);
    }
  });
});

describe('x-herald-json-key-of', () => {
  it('reports a query value that is no top-level key of the file, at the value, with a did-you-mean fix', () => {
    const r = checkJson('{ path: crm.json }', { '/project/crm.json': CRM }, '{ q: { returns: string, with: { collection: custmers } } }');
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'invalid-plugin-config',
        severity: 'error',
        at: 'custmers',
        line: 6,
        message: 'the `collection` of query `crm.q` is `custmers`, which is not a top-level key of `crm.json`',
        hint: 'did you mean `customers`?',
        fix: { at: 'custmers', newText: 'customers' },
      }),
    ]);
  });

  it('lists the keys when none is close, and checks every query', () => {
    const queries = '{ a: { returns: string, with: { collection: customers } }, b: { returns: string, with: { collection: usrs } }, c: { returns: string, with: { key: id } } }';
    const r = checkJson('{ path: crm.json }', { '/project/crm.json': CRM }, queries);
    expect(r.problems.map((p) => [p.at, p.message, p.hint, p.fix])).toEqual([
      ['usrs', 'the `collection` of query `crm.b` is `usrs`, which is not a top-level key of `crm.json`', 'it has `customers`, `invoices`', undefined],
    ]);
    const empty = checkJson('{ path: crm.json }', { '/project/crm.json': '{}' }, '{ q: { returns: string, with: { collection: usrs } } }');
    expect(empty.problems.map((p) => p.hint)).toEqual(['it has none']);
  });

  it('says nothing unless the file was read, parsed and holds an object', () => {
    const q = '{ q: { returns: string, with: { collection: usrs } } }';
    expect(checkJson('{ path: crm.json }', {}, q).problems.map((p) => p.code)).toEqual(['missing-plugin-file']);
    expect(checkJson('{ path: crm.json }', { '/project/crm.json': '{' }, q).problems.map((p) => p.code)).toEqual(['invalid-plugin-file']);
    expect(checkJson('{ path: crm.json }', { '/project/crm.json': '[1]' }, q).problems).toEqual([]);
    expect(checkJson("{ path: '${CRM}' }", {}, q).problems).toEqual([]);
    expect(checkJson('{ path: crm.json }', { '/project/crm.json': CRM }, "{ q: { returns: string, with: { collection: '${C}' } } }").problems).toEqual([]);
  });

  it('follows only a pointer to a `"json"` mark, and only on sources', () => {
    const toCert: ManifestResult = {
      ...JSON_FILES,
      manifest: { ...(JSON_FILES as { manifest: object }).manifest, querySchema: { type: 'object', properties: { collection: { type: 'string', 'x-herald-json-key-of': '/cert' } } } },
    } as unknown as ManifestResult;
    const yaml = jsonProject('{ path: crm.json, cert: ca.pem }', '{ q: { returns: string, with: { collection: usrs } } }');
    const pathKind = disk(['/project/crm.json', '/project/ca.pem']);
    const { model } = buildTestProject({ 'herald.yaml': yaml }, { manifests: { '@herald/source-json': toCert }, pathKind });
    const withReader = { ...model, readFile: (abs: string) => (abs.endsWith('.json') ? CRM : '{}') };
    const problems: Problem[] = [];
    pluginConfig({ model: withReader, symbols: buildSymbols(withReader), report: (p) => problems.push(p) });
    expect(problems).toEqual([]);
  });
});

describe('where a JSON text stops', () => {
  it('finds the first character that cannot continue the text, or none for JSON', () => {
    for (const text of ['{}', ' [1, -2.5e+3, "a\\u00e9\\n", true, false, null, {"a": {}}] ', '"x"', '0']) expect(syntaxErrorOffset(text), text).toBeUndefined();
    expect(syntaxErrorOffset('{"a": 01}')).toBe(7);
    expect(syntaxErrorOffset('{"a": 1,}')).toBe(8);
    expect(syntaxErrorOffset('{"a" 1}')).toBe(5);
    expect(syntaxErrorOffset('"a\nb"')).toBe(2);
    expect(syntaxErrorOffset('"\\x"')).toBe(2);
    expect(syntaxErrorOffset('"\\u12x4"')).toBe(5);
    expect(syntaxErrorOffset('"\\')).toBe(2);
    expect(syntaxErrorOffset('[1.]')).toBe(3);
    expect(syntaxErrorOffset('{} {}')).toBe(3);
    expect(syntaxErrorOffset('tru')).toBe(3);
  });

  it('agrees with every position Node gives', () => {
    for (const text of ['{"a": 01}', '{"a": 1,}', '{"a" 1}', '"a\nb"', '[1.]', '{} {}', '{\n  "a": [1, 2}\n}', '{"a": "\\q"}', '[-]', '[-a]', '[1e]', '[1.e]', '"\\u12x4"', '"\\u12"', '["a\\u', '"abc', '{"a": "x', '{"a": 1 "b": 2}', '[1 2]', '{"a": 1}}']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      const given = / at position (\d+)/.exec(message);
      if (given) expect(syntaxErrorOffset(text), `${text}: ${message}`).toBe(Number(given[1]));
    }
  });

  it('keeps the message of an error without a position whole when it has no excerpt', () => {
    expect(describeJsonError('{', new SyntaxError('Unexpected end of JSON input'))).toBe('Unexpected end of JSON input (line 1, column 2 of that file)');
    expect(describeJsonError('{\n}', new SyntaxError("Expected property name or '}' in JSON at position 2 (line 2 column 1)"))).toBe(
      "Expected property name or '}' (line 2, column 1 of that file)",
    );
  });
});

describe('invalid-plugin-file: the shape a plugin reads (`x-herald-file-schema`)', () => {
  const SHAPED: ManifestResult = {
    ok: true,
    path: '/node_modules/@herald/source-json/herald-plugin.json',
    manifest: {
      name: '@herald/source-json',
      kind: 'source',
      configSchema: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            'x-herald-file': 'json',
            'x-herald-file-schema': { type: 'object', additionalProperties: { type: ['object', 'array'] } },
            description: 'collections of records',
          },
        },
      },
    },
  };
  const checkShaped = (files: Readonly<Record<string, string>>) => {
    const yaml = "project: test\nsources:\n  crm:\n    use: '@herald/source-json'\n    config: { path: crm.json }\n    queries: { q: { returns: string } }\n";
    const { model, files: all } = buildTestProject({ 'herald.yaml': yaml }, { manifests: { '@herald/source-json': SHAPED }, pathKind: disk(Object.keys(files)) });
    const problems: Problem[] = [];
    const withReader = { ...model, readFile: (abs: string) => files[abs] };
    pluginConfig({ model: withReader, symbols: buildSymbols(withReader), report: (p) => problems.push(p) });
    return problems.map((p) => describeProblem(all, p));
  };

  it('accepts a file that fits', () => {
    expect(checkShaped({ '/project/crm.json': CRM })).toEqual([]);
  });

  it('reports a file of another shape at the config value, with the place in the file and what the plugin reads', () => {
    expect(checkShaped({ '/project/crm.json': '[1, 2]' })).toEqual([
      expect.objectContaining({
        code: 'invalid-plugin-file',
        at: 'crm.json',
        message: expect.stringMatching(/^the `path` of source `crm` names `crm\.json`, whose content is not what the plugin reads: .*object.* \(line 1, column 1 of that file\)$/),
        hint: 'the plugin reads: collections of records',
      }),
    ]);
    const nested = checkShaped({ '/project/crm.json': '{\n  "customers": { "c-1": {} },\n  "count": 3\n}\n' });
    expect(nested).toHaveLength(1);
    expect(nested[0]!.message).toMatch(/\(line 3, column 12 of that file\)$/);
  });
});
