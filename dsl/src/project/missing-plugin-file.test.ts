/**
 * `missing-plugin-file` and `invalid-plugin-file` through the node host on a real folder, with
 * the shipped `@herald/source-file` manifest (its `path` is marked `"x-herald-file": "json"`, its
 * queries' `collection` `"x-herald-json-key-of": "/path"`), as the CLI checks it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSizeOnDisk, isFileOnDisk, isFolderOnDisk, readFileOrUndefined } from './node-host.js';
import { Project, type CompilerHost } from './project.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-plugin-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ON_DISK: CompilerHost = { readFile: readFileOrUndefined, isFolder: isFolderOnDisk, isFile: isFileOnDisk, fileSize: fileSizeOnDisk, pluginRoots: [REPO_ROOT] };

/** A project folder whose herald.yaml has the source's `path` value on line 5, column 21. */
function projectOn(name: string, path: string, host: CompilerHost = ON_DISK, collection = 'customers'): Project {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const yaml = `project: ${name}\nsources:\n  crm:\n    use: '@herald/source-file'\n    config: { path: ${path} }\n    queries:\n      customer: { args: { id: string }, returns: { name: string }, with: { collection: ${collection} } }\n`;
  writeFileSync(join(dir, 'herald.yaml'), yaml);
  const project = new Project(dir.split(sep).join('/'), host);
  project.setFile('herald.yaml', yaml);
  return project;
}

const found = (p: Project) => p.check().diagnostics.filter((d) => d.code === 'missing-plugin-file');

describe('missing-plugin-file on disk', () => {
  it('reports a data file that is not there, with file, line, column, code and the project root', () => {
    const p = projectOn('missing', 'data/crm.json');
    const [d, ...rest] = found(p);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'missing-plugin-file',
      severity: 'error',
      file: 'herald.yaml',
      range: { start: { line: 5, column: 21 }, end: { line: 5, column: 34 } },
      message: 'the `path` of source `crm` names `data/crm.json`, which does not exist',
      hint: `the path is relative to the project root (${p.root})`,
    });
    expect(p.compile().ir).toBeUndefined();
  });

  it('is quiet once the file exists, and notices it without a change to herald.yaml', () => {
    const p = projectOn('present', 'data/crm.json');
    expect(found(p)).toHaveLength(1);
    mkdirSync(join(scratch, 'present/data'));
    writeFileSync(join(scratch, 'present/data/crm.json'), '{ "customers": {} }');
    expect(found(p)).toEqual([]);
    expect(p.check().diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('says when the path is a folder', () => {
    mkdirSync(join(scratch, 'folder/data'), { recursive: true });
    expect(found(projectOn('folder', 'data')).map((d) => d.message)).toEqual(['the `path` of source `crm` names `data`, which is a folder, not a file']);
  });

  it('leaves a `${VAR}` path to run time', () => {
    expect(found(projectOn('env', "'${CRM_FILE}'"))).toEqual([]);
  });

  it('counts a file given to the project in memory', () => {
    const p = projectOn('memory', 'data/crm.json');
    p.setFile('data/crm.json', '{ "customers": {} }');
    expect(found(p)).toEqual([]);
  });

  it('says nothing when the host cannot tell whether a file exists', () => {
    const { isFile: _none, ...blind } = ON_DISK;
    expect(found(projectOn('blind', 'data/crm.json', blind))).toEqual([]);
  });
});

/** Writes `text` as `file` of project folder `name`. */
function write(name: string, file: string, text: string): void {
  mkdirSync(join(scratch, name, file, '..'), { recursive: true });
  writeFileSync(join(scratch, name, file), text);
}

const codes = (p: Project) => p.check().diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message]);

describe('invalid-plugin-file on disk', () => {
  it('reports a data file that is not JSON at the value, with the line and column in the file, and no IR', () => {
    write('bad-json', 'data/crm.json', '{\n  "customers": {\n    "c-1": { "name": "Ada" },\n  }\n}\n');
    const p = projectOn('bad-json', 'data/crm.json');
    const [d, ...rest] = p.check().diagnostics.filter((x) => x.severity === 'error');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'invalid-plugin-file',
      severity: 'error',
      file: 'herald.yaml',
      range: { start: { line: 5, column: 21 }, end: { line: 5, column: 34 } },
      message: 'the `path` of source `crm` names `data/crm.json`, which is not valid JSON: Expected double-quoted property name (line 4, column 3 of that file)',
    });
    expect(p.compile().ir).toBeUndefined();
  });

  it('is quiet once the file is fixed on disk, without a change to herald.yaml', () => {
    write('fixed', 'data/crm.json', '{ "customers": { "c-1": { "name": "Ada" } }, }');
    const p = projectOn('fixed', 'data/crm.json');
    expect(codes(p).map(([c]) => c)).toEqual(['invalid-plugin-file']);
    write('fixed', 'data/crm.json', '{ "customers": { "c-1": { "name": "Ada" } } }');
    expect(codes(p)).toEqual([]);
  });

  it('reads a file given to the project in memory instead of the disk', () => {
    write('buffer', 'data/crm.json', '{ "customers": {} }');
    const p = projectOn('buffer', 'data/crm.json');
    p.setFile('data/crm.json', '{ "customers": {}');
    expect(codes(p)).toEqual([['invalid-plugin-file', 'the `path` of source `crm` names `data/crm.json`, which is not valid JSON: Expected \',\' or \'}\' after property value (line 1, column 18 of that file)']]);
    p.setFile('data/crm.json', '{ "customers": {} }');
    expect(codes(p)).toEqual([]);
  });

  it('only checks a file over 5 MB for being there, without reading it when the host can tell its size', () => {
    write('big', 'data/crm.json', `{ "customers": {}, "pad": "${'x'.repeat(5 * 1024 * 1024)}"`);
    expect(codes(projectOn('big', 'data/crm.json'))).toEqual([]);
    const reads: string[] = [];
    const counting: CompilerHost = { ...ON_DISK, readFile: (path) => (reads.push(path), readFileOrUndefined(path)) };
    expect(codes(projectOn('big', 'data/crm.json', counting))).toEqual([]);
    expect(reads.filter((r) => r.endsWith('data/crm.json'))).toEqual([]);
  });

  it('refuses `-`, a URL and an empty path for the data file', () => {
    expect(codes(projectOn('stdout', "'-'"))).toEqual([['missing-plugin-file', 'the `path` of source `crm` is `-` (standard input or output); it must name a JSON file of the project']]);
    expect(codes(projectOn('url', 'https://x.example/crm.json'))).toEqual([
      ['missing-plugin-file', 'the `path` of source `crm` names `https://x.example/crm.json`, a URL; it must name a JSON file of the project'],
    ]);
    expect(codes(projectOn('empty', "''"))).toEqual([['missing-plugin-file', 'the `path` of source `crm` is empty; it must name a JSON file of the project']]);
  });

  it('reports a query collection the file does not have, with a did-you-mean', () => {
    write('collection', 'data/crm.json', '{ "customers": {}, "users": [] }');
    const p = projectOn('collection', 'data/crm.json', ON_DISK, 'usrs');
    const [d, ...rest] = p.check().diagnostics.filter((x) => x.severity === 'error');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      code: 'invalid-plugin-config',
      range: { start: { line: 7, column: 88 }, end: { line: 7, column: 92 } },
      message: 'the `collection` of query `crm.customer` is `usrs`, which is not a top-level key of `data/crm.json`',
      hint: 'did you mean `users`?',
    });
    expect(codes(projectOn('collection', 'data/crm.json', ON_DISK, 'users'))).toEqual([]);
  });
});
