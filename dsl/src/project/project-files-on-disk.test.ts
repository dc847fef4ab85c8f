import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSkippedPath, listProjectYamlFiles } from './project-files-on-disk.js';

describe('isSkippedPath (what the project is not read from, and watchers ignore)', () => {
  it('skips node_modules, dist, out and hidden files and folders below the root, wherever the root itself is', () => {
    const root = '/home/dist/.config/proj';
    for (const p of ['node_modules/x/a.yaml', '.herald/dev.db', 'a/dist/b.yaml', '.git/HEAD', 'out/x', '.github/workflows/ci.yaml', 'journeys/.#a.journey.yaml']) {
      expect(isSkippedPath(root, `${root}/${p}`), p).toBe(true);
    }
    for (const p of ['journeys/a.journey.yaml', 'herald.yaml', 'distant/a.yaml', 'outbox/b.yaml']) expect(isSkippedPath(root, `${root}/${p}`), p).toBe(false);
    expect(isSkippedPath(root, '/home/dist/.config/other/a.yaml')).toBe(false);
    expect(isSkippedPath(root, root)).toBe(false);
  });
});

describe('listProjectYamlFiles (the files every reader of a project reads)', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  it('lists every YAML file below the root, POSIX and relative, and nothing of the skipped folders or hidden files', () => {
    root = mkdtempSync(join(tmpdir(), 'herald-files-'));
    const files = [
      'herald.yaml',
      'journeys/welcome.journey.yaml',
      'journeys/old-name.yml',
      'tests/welcome.test.yaml',
      'README.md',
      'node_modules/pkg/x.journey.yaml',
      'dist/a.journey.yaml',
      'out/b.policy.yaml',
      '.github/workflows/ci.yaml',
      '.herald/state.yaml',
      'journeys/.#welcome.journey.yaml',
    ];
    for (const f of files) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), 'x: 1\n');
    }
    // A dangling symlink is passed over as a file that is not there.
    symlinkSync(join(root, 'nowhere.yaml'), join(root, 'journeys', 'gone.journey.yaml'));
    expect(listProjectYamlFiles(root)).toEqual(['herald.yaml', 'journeys/old-name.yml', 'journeys/welcome.journey.yaml', 'tests/welcome.test.yaml']);
  });
});
