/**
 * The embedded driver's checkpointer thread (runtime/src/driver/embedded/checkpointer.ts):
 * committed pages reach the database file without the writer checkpointing, and a close
 * stops the thread and leaves a file any connection can read.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { killUnit } from './support/kill-units.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What 100 units' pages add to the database file at the least, once checkpointed. */
const EXPECTED_GROWTH = 100 * 4096;

/** Commits 100 units (~480 WAL pages): well below the writer's own checkpoint threshold (1,000 pages without the thread). */
async function writeUnits(path: string, checkpointThread: boolean): Promise<{ before: number; after: number }> {
  const driver = createEmbeddedDriver({ path, checkpointThread });
  await driver.open();
  const before = statSync(path).size;
  for (let n = 0; n < 100; n += 4) {
    const outcomes = await Promise.all(Array.from({ length: 4 }, (_, k) => driver.commit(killUnit(n + k))));
    for (const o of outcomes) expect(o).toEqual({ ok: true });
  }
  // The checkpointer runs ~100 ms after the last commit it heard of, and copies the pages over
  // a while: the file grows as it goes, so the size is read once it holds them all (or at the
  // deadline: without the thread it never does).
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && statSync(path).size <= before + EXPECTED_GROWTH) await new Promise((r) => setTimeout(r, 50));
  const after = statSync(path).size;
  await driver.close();
  return { before, after };
}

describe('embedded driver: checkpoints on a thread of their own', () => {
  it('copies committed pages into the database file while the writer goes on', async () => {
    const path = join(dir, 'with-thread.db');
    const { before, after } = await writeUnits(path, true);
    expect(after).toBeGreaterThan(before + EXPECTED_GROWTH);
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT COUNT(*) AS n FROM instances').get()).toEqual({ n: 101 });
    expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
    reader.close();
  }, 20_000);

  it('without it, the pages stay in the WAL until the writer checkpoints (the comparison that makes the first test mean something)', async () => {
    const path = join(dir, 'without-thread.db');
    const { before, after } = await writeUnits(path, false);
    expect(after).toBe(before);
  }, 20_000);
});
