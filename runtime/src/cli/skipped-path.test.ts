import { describe, expect, it } from 'vitest';
import { isSkippedPath } from './load-project.js';

describe('isSkippedPath (what the project is not read from, and watchers ignore)', () => {
  it('skips node_modules, .git, .herald, dist and out below the root, wherever the root itself is', () => {
    for (const p of ['node_modules/x/a.yaml', '.herald/dev.db', 'a/dist/b.yaml', '.git/HEAD', 'out/x']) expect(isSkippedPath('/home/dist/proj', `/home/dist/proj/${p}`), p).toBe(true);
    for (const p of ['journeys/a.journey.yaml', 'herald.yaml', 'distant/a.yaml']) expect(isSkippedPath('/home/dist/proj', `/home/dist/proj/${p}`), p).toBe(false);
    expect(isSkippedPath('/home/dist/proj', '/home/dist/other/a.yaml')).toBe(false);
  });
});
