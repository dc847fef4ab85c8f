/**
 * One Herald process per embedded file (runtime/src/driver/embedded/file-owner.ts): a second
 * live process is refused with a message naming the holder, and the jobs a killed holder had
 * leased run again as soon as the next process opens the file, not when their leases expire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { checkOwner } from '../../runtime/src/driver/embedded/file-owner.js';
import { T0, timerJob } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-owner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = fileURLToPath(new URL('.', import.meta.url));

function startHolder(path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', join(here, 'support', 'register-ts.mjs'), join(here, 'support', 'lease-and-hold.ts'), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      if (c.includes('leased')) resolve(proc);
    });
    proc.on('exit', (code) => reject(new Error(`holder exited (${String(code)}): ${stderr}`)));
  });
}

const killed = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', () => resolve());
    proc.kill('SIGKILL');
  });

describe('embedded driver: one process per file', () => {
  it('refuses a file another live process holds, naming it', async () => {
    const path = join(dir, 'live.db');
    const holder = await startHolder(path);
    try {
      const driver = createEmbeddedDriver({ path });
      await expect(driver.open()).rejects.toThrow(new RegExp(`in use by another Herald process \\(pid ${holder.pid} on `));
    } finally {
      await killed(holder);
    }
  }, 30_000);

  it('gives the jobs a killed process had leased back at the next open', async () => {
    const path = join(dir, 'killed.db');
    const holder = await startHolder(path);
    await killed(holder);
    const driver = createEmbeddedDriver({ path, clock: () => T0 + 1 });
    await driver.open();
    // Its lease runs to T0 + 60 s; the job is due now all the same.
    const jobs = await driver.reserve(10, T0 + 1, 60_000);
    expect(jobs.map((j) => [j.id, j.tries])).toEqual([['held', 1]]);
    await driver.close();
  }, 30_000);

  it('keeps the leases of its own earlier, cleanly closed opening in order, and refuses a second open in one process', async () => {
    const path = join(dir, 'same.db');
    const first = createEmbeddedDriver({ path });
    await first.open();
    await first.commit({ enqueue: [timerJob('mine', T0)] });
    await expect(createEmbeddedDriver({ path }).open()).rejects.toThrow(/in use by another Herald process/);
    await first.close();
    const second = createEmbeddedDriver({ path });
    await second.open();
    expect((await second.reserve(10, T0, 1000)).map((j) => j.id)).toEqual(['mine']);
    await second.close();
  });

  it('a read-only open (herald archive --data) works beside the holder', async () => {
    const path = join(dir, 'readonly.db');
    const holder = await startHolder(path);
    try {
      const reader = createEmbeddedDriver({ path, readonly: true });
      await reader.open();
      expect(await reader.getInstance('nobody')).toBeUndefined();
      await reader.close();
    } finally {
      await killed(holder);
    }
  }, 30_000);
});

describe('checkOwner', () => {
  const me = { pid: 100, host: hostname(), boot: 'boot-a' };
  const running = new Set([200]);
  const isRunning = (pid: number) => running.has(pid);
  it('decides from host, boot id and the process table', () => {
    expect(checkOwner(undefined, me, isRunning).kind).toBe('free');
    expect(checkOwner({ pid: 200, host: me.host, boot: 'boot-a', token: 't' }, me, isRunning).kind).toBe('live');
    expect(checkOwner({ pid: 300, host: me.host, boot: 'boot-a', token: 't' }, me, isRunning).kind).toBe('dead');
    // The same pid before a reboot, or on another machine the file was copied from: gone.
    expect(checkOwner({ pid: 200, host: me.host, boot: 'boot-b', token: 't' }, me, isRunning).kind).toBe('dead');
    expect(checkOwner({ pid: 200, host: 'elsewhere', boot: 'boot-a', token: 't' }, me, isRunning).kind).toBe('dead');
    // Our own pid with a token no driver of this process holds: an opening that was never closed.
    expect(checkOwner({ pid: 100, host: me.host, boot: 'boot-a', token: 'stale' }, me, isRunning).kind).toBe('dead');
  });
});
