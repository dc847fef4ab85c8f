import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { expandProjectDirs, loadProject } from './load-project.js';
import { heraldInProcess as herald } from '../../../test/helpers/herald-in-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'herald-no-project-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(rel: string, files: Record<string, string> = {}): string {
  const dir = join(scratch, rel);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const project = (name: string) => ({ 'herald.yaml': `project: ${name}\n` });


describe('a folder without herald.yaml', () => {
  const repo = folder('repo', { 'stray.yaml': 'a: 1\n' });
  folder('repo/examples/billing', project('billing'));
  folder('repo/examples/welcome', project('welcome'));
  folder('repo/examples/welcome/journeys', { 'w.journey.yaml': 'journey: w\n' });
  folder('repo/node_modules/pkg', project('ignored'));

  it('is not compiled as one project: the error names the folder and the projects two levels below', async () => {
    await expect(loadProject(repo)).rejects.toThrow(`no herald.yaml in ${repo}; did you mean ${join(repo, 'examples/billing')} or ${join(repo, 'examples/welcome')}?`);
    const r = await herald(['compile', repo]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`herald: no herald.yaml in ${repo}; did you mean ${join(repo, 'examples/billing')} or ${join(repo, 'examples/welcome')}?\n`);
    expect(r.out).toBe('');
  });

  it('names the project it is part of, and paths as the user would type them', async () => {
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      await expect(loadProject('.')).rejects.toThrow(`no herald.yaml in the current folder (${process.cwd()}); did you mean examples/billing or examples/welcome?`);
      await expect(loadProject('examples/welcome/journeys')).rejects.toThrow('no herald.yaml in examples/welcome/journeys; did you mean examples/welcome (the project it is in)?');
    } finally {
      process.chdir(cwd);
    }
  });

  it('says how to start one when there is none around, and that a folder does not exist', async () => {
    const empty = folder('empty');
    await expect(loadProject(empty)).rejects.toThrow(`no herald.yaml in ${empty}; create one with at least \`project: <name>\`, or name the project folder`);
    await expect(loadProject(join(scratch, 'nope'))).rejects.toThrow(`no such folder: ${join(scratch, 'nope')}`);
  });

  it('says a file given for the project folder is a file, and names the project it is in', async () => {
    const billing = folder('files/billing', project('billing'));
    const test = join(folder('files/billing/tests', { 'a.test.yaml': 'tests: []\n' }), 'a.test.yaml');
    await expect(loadProject(test)).rejects.toThrow(`${test} is a file, not a project folder; did you mean ${billing} (the project it is in)?`);
    await expect(loadProject(join(billing, 'herald.yaml'))).rejects.toThrow(`${join(billing, 'herald.yaml')} is a file, not a project folder; did you mean ${billing}?`);
  });

  it('shows five projects at most', async () => {
    const many = folder('many');
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) folder(`many/${n}`, project(n));
    const shown = ['a', 'b', 'c', 'd', 'e'].map((n) => join(many, n)).join(', ');
    await expect(loadProject(many)).rejects.toThrow(`no herald.yaml in ${many}; did you mean ${shown} (or 2 more)?`);
  });

  it('validate still checks a folder of projects one by one, and refuses one whose projects are deeper', async () => {
    expect(expandProjectDirs([join(repo, 'examples')])).toEqual([join(repo, 'examples/billing'), join(repo, 'examples/welcome')]);
    const r = await herald(['validate', repo]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`herald: no herald.yaml in ${repo}; did you mean`);
  });

  it('validate of several folders checks the projects among them and names the folder that is none (exit 2)', async () => {
    const billing = join(repo, 'examples/billing');
    const r = await herald(['validate', billing, repo]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/No problems found|Found/);
    expect(r.err).toContain(`herald: no herald.yaml in ${repo}; did you mean`);
  });
});
