import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runHerald } from './program.js';
import { shownPath } from './shown-path.js';

describe('paths the CLI prints', () => {
  it('are relative inside the working directory and absolute outside it', () => {
    expect(shownPath('/work/repo/examples/x/herald.yaml', '/work/repo')).toBe('examples/x/herald.yaml');
    expect(shownPath('examples/x', '/work/repo')).toBe('examples/x');
    expect(shownPath('/work/repo', '/work/repo')).toBe('.');
    expect(shownPath('/tmp/qa/p1/journeys/a.journey.yaml', '/work/repo')).toBe('/tmp/qa/p1/journeys/a.journey.yaml');
    expect(shownPath('../sibling/herald.yaml', '/work/repo')).toBe('/work/sibling/herald.yaml');
    expect(shownPath('/work/repo-old/x', '/work/repo')).toBe('/work/repo-old/x');
  });

  describe('in diagnostics of a project outside the working directory', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'herald-shown-path-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('name its files by their absolute path, not ../../', async () => {
      const project = join(scratch, 'qa/p1');
      mkdirSync(join(project, 'journeys'), { recursive: true });
      writeFileSync(join(project, 'herald.yaml'), 'project: p1\n');
      writeFileSync(join(project, 'journeys/a.journey.yaml'), 'journey: a\ntrigger: { event: nope }\nsteps: []\n');
      const cwd = join(scratch, 'elsewhere/deep');
      mkdirSync(cwd, { recursive: true });
      const before = process.cwd();
      let out = '';
      const spies = [vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true)), vi.spyOn(process.stderr, 'write').mockImplementation(() => true)];
      process.chdir(cwd);
      try {
        await runHerald(['validate', project, '--no-color'], 'user');
      } finally {
        process.chdir(before);
        spies.forEach((s) => s.mockRestore());
        process.exitCode = undefined;
      }
      expect(out).toContain(`${project}/journeys/a.journey.yaml:`);
      expect(out).not.toContain('../');
    });
  });
});
