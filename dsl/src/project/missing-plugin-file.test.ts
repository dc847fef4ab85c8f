/**
 * `missing-plugin-file` through the node host on a real folder, with the shipped
 * `@herald/source-file` manifest (its `path` is marked `x-herald-file`), as the CLI checks it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isFileOnDisk, isFolderOnDisk, readFileOrUndefined } from './node-host.js';
import { Project, type CompilerHost } from './project.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'herald-plugin-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ON_DISK: CompilerHost = { readFile: readFileOrUndefined, isFolder: isFolderOnDisk, isFile: isFileOnDisk, pluginRoots: [REPO_ROOT] };

/** A project folder whose herald.yaml has the source's `path` value on line 5, column 21. */
function projectOn(name: string, path: string, host: CompilerHost = ON_DISK): Project {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const yaml = `project: ${name}\nsources:\n  crm:\n    use: '@herald/source-file'\n    config: { path: ${path} }\n    queries:\n      customer: { args: { id: string }, returns: { name: string }, with: { collection: customers } }\n`;
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
