import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from './index.js';
import Database from 'better-sqlite3';
import { explainOpenError, openDatabase, PAGE_SIZE } from './open-database.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-open-'));
  scratch.push(dir);
  return dir;
};

/** Root (a container's default user) writes wherever it likes: chmod cannot make a folder read-only for it. */
const runsAsRoot = process.getuid?.() === 0;

describe('opening the embedded driver on a file it cannot write', () => {
  it('names the file and says the folder must be writable, for the -wal and -shm files SQLite writes beside it', async () => {
    const dir = tempDir();
    const folder = join(dir, 'data');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const path = join(folder, 'herald.db');
    const driver = createEmbeddedDriver({ path, checkpointThread: false });
    if (runsAsRoot) {
      // Here the open succeeds, so this assertion is left out; the next test reaches the same
      // explanation through a path under a file, and the one after through SQLite's error codes.
      await driver.open();
      await driver.close();
      return;
    }
    await expect(driver.open()).rejects.toThrow(
      `embedded driver: cannot open ${path} for writing (unable to open database file): the folder ${folder} must be writable: SQLite writes herald.db-wal and herald.db-shm next to it`,
    );
  });

  it('says which part of the path is a file, not a folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state'), 'not a folder');
    for (const path of [join(dir, 'state', 'herald.db'), join(dir, 'state', 'sub', 'herald.db')]) {
      await expect(createEmbeddedDriver({ path }).open()).rejects.toThrow(`embedded driver: cannot create ${path}: ${join(dir, 'state')} is a file, not a folder`);
    }
    await expect(createEmbeddedDriver({ path: dir }).open()).rejects.toThrow(`embedded driver: ${dir} is a folder; give the path of the database file in it`);
  });

  it("explains SQLite's read-only errors with the path and what must be writable (any user)", () => {
    const folder = join(tempDir(), 'data');
    const path = join(folder, 'herald.db');
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect((explainOpenError(sqlite('SQLITE_CANTOPEN', 'unable to open database file'), path) as Error).message).toBe(
      `embedded driver: cannot open ${path} for writing (unable to open database file): the folder ${folder} must be writable: SQLite writes herald.db-wal and herald.db-shm next to it`,
    );
    expect((explainOpenError(sqlite('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database'), path) as Error).message).toBe(
      `embedded driver: cannot open ${path} for writing (attempt to write a readonly database): the folder ${folder} must be writable: SQLite writes herald.db-wal and herald.db-shm next to it`,
    );
    expect((explainOpenError(sqlite('SQLITE_READONLY', 'attempt to write a readonly database'), path) as Error).message).toBe(
      `embedded driver: cannot open ${path} for writing (attempt to write a readonly database): ${path} and its folder ${folder} must be writable: SQLite writes herald.db-wal and herald.db-shm next to it`,
    );
    // Anything else passes unchanged.
    const busy = sqlite('SQLITE_BUSY', 'database is locked');
    expect(explainOpenError(busy, path)).toBe(busy);
  });
});

describe('page size', () => {
  it('gives a new file 8 KiB pages, and opens a file made with 4 KiB pages as it is, data and all', () => {
    const dir = tempDir();
    const fresh = openDatabase({ path: join(dir, 'new.db') });
    expect(PAGE_SIZE).toBe(8192);
    expect(fresh.pragma('page_size', { simple: true })).toBe(8192);
    expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
    fresh.close();

    // A file made with SQLite's default 4 KiB pages, as earlier Heralds made them, with a row in it.
    const raw = new Database(join(dir, 'older.db'));
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
    raw.close();
    const reopened = openDatabase({ path: join(dir, 'older.db') });
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.prepare('SELECT x FROM t').get()).toEqual({ x: 'kept' });
    reopened.close();
  });
});
