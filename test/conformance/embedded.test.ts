/**
 * The embedded driver against the conformance suite (a file under the OS temp dir, and
 * `:memory:`), plus what only a SQLite file can be asked: its schema version, WAL mode,
 * and surviving `kill -9` of the process writing it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../runtime/src/driver/driver.js';
import { createEmbeddedDriver, SCHEMA_VERSION } from '../../runtime/src/driver/embedded/index.js';
import { describeDriverConformance } from './driver-conformance.js';
import { makeContent, makeDelivery, makeInstance, T0, timerJob } from './fixtures.js';
import { KILL_SUBJECT, killUnit } from './support/kill-units.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pathOf = new WeakMap<Driver, string>();
let files = 0;
const fileDriver = (path: string, clock: () => number): Driver => {
  const driver = createEmbeddedDriver({ path, clock });
  pathOf.set(driver, path);
  return driver;
};

describeDriverConformance('embedded (file)', async ({ clock }) => fileDriver(join(dir, `store-${++files}.db`), clock), {
  reopen: async (closed, { clock }) => fileDriver(pathOf.get(closed)!, clock),
  cleanup: async (driver) => {
    const path = pathOf.get(driver)!;
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  },
});

describeDriverConformance('embedded (:memory:)', async ({ clock }) => createEmbeddedDriver({ path: ':memory:', clock }));

describe('embedded driver: the SQLite file', () => {
  const fresh = async (): Promise<{ driver: Driver; path: string }> => {
    const path = join(dir, `own-${++files}`, 'nested', 'herald.db');
    const driver = createEmbeddedDriver({ path, clock: () => T0 });
    await driver.open();
    return { driver, path };
  };

  it('creates its directory, runs in WAL mode and records its schema version', async () => {
    const { driver, path } = await fresh();
    await driver.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema instead of guessing', async () => {
    const { driver, path } = await fresh();
    await driver.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(createEmbeddedDriver({ path }).open()).rejects.toThrow(/schema version/);
  });

  it('readonly: reads a file another driver is writing, never writes it, refuses another schema version', async () => {
    const { driver: writer, path } = await fresh();
    await writer.commit({ instances: [{ instance: makeInstance({ id: 'i1' }), expectedSeq: null }] });
    const reader = createEmbeddedDriver({ path, readonly: true });
    await reader.open();
    expect(await reader.getInstance('i1')).toEqual(makeInstance({ id: 'i1' }));
    await writer.commit({ instances: [{ instance: makeInstance({ id: 'i2' }), expectedSeq: null }] });
    expect(await reader.getInstance('i2')).toBeDefined();
    await expect(reader.commit({ events: ['e'] })).rejects.toThrow(/readonly/);
    await reader.close();
    await writer.close();
    await expect(createEmbeddedDriver({ path: join(dir, 'missing.db'), readonly: true }).open()).rejects.toThrow();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    await expect(createEmbeddedDriver({ path, readonly: true }).open()).rejects.toThrow(/schema version/);
  });

  it('a file of schema version 1 is brought forward on open, and its instances and counts keep working', async () => {
    const path = join(dir, `v1-${++files}.db`);
    const writer = createEmbeddedDriver({ path });
    await writer.open();
    await writer.commit({ instances: [{ instance: makeInstance({ id: 'old', subjectId: 'cust-1' }), expectedSeq: null }] });
    await writer.commit({ sent: [{ subjectId: 'cust-1', category: 'billing', at: T0, dedupeKey: 'k-old', deliveryId: null }] });
    await writer.close();
    // What version 1 had: no claim columns, no delivery id on counts.
    const db = new Database(path);
    db.exec('DROP INDEX instances_once; DROP INDEX instances_live; ALTER TABLE instances DROP COLUMN once_key; ALTER TABLE instances DROP COLUMN live_key;');
    db.exec('DROP INDEX sent_by_delivery; ALTER TABLE sent DROP COLUMN delivery_id;');
    db.pragma('user_version = 1');
    db.close();
    const driver = createEmbeddedDriver({ path });
    await driver.open();
    const old = (await driver.getInstance('old'))!;
    expect(await driver.commit({ instances: [{ instance: { ...old, seq: old.seq + 1 }, expectedSeq: old.seq }] })).toEqual({ ok: true });
    expect(
      await driver.commit({ instances: [{ instance: makeInstance({ id: 'new', subjectId: 'cust-1' }), expectedSeq: null, exclusive: 'while-active' }] }),
    ).toEqual({ ok: true });
    // The old count still counts, and holds its key; counts per delivery can be given back.
    const guard = { capMax: 2, capSince: T0, dedupeSince: T0 };
    expect(await driver.commit({ sent: [{ subjectId: 'cust-1', category: 'billing', at: T0 + 1, dedupeKey: 'k-old', deliveryId: 'd-1', guard }] })).toMatchObject({ ok: false });
    expect(await driver.commit({ sent: [{ subjectId: 'cust-1', category: 'billing', at: T0 + 1, dedupeKey: 'k-new', deliveryId: 'd-1', guard }] })).toEqual({ ok: true });
    expect(await driver.countSent('cust-1', 'billing', T0)).toBe(2);
    expect(await driver.commit({ unsent: ['d-1'] })).toEqual({ ok: true });
    expect(await driver.countSent('cust-1', 'billing', T0)).toBe(1);
    await driver.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('methods before open() say so', async () => {
    await expect(createEmbeddedDriver({ path: ':memory:' }).getInstance('x')).rejects.toThrow(/not open/);
  });

  it('jobs due at the same time are reserved in the order they were enqueued', async () => {
    const { driver } = await fresh();
    await driver.commit({ enqueue: [timerJob('zz', T0), timerJob('aa', T0), timerJob('mm', T0)] });
    await driver.commit({ enqueue: [timerJob('bb', T0)] });
    expect((await driver.reserve(10, T0, 1000)).map((j) => j.id)).toEqual(['zz', 'aa', 'mm', 'bb']);
    await driver.close();
  });

  it('a unit that throws (a value JSON cannot hold) fails alone; units in flight with it commit', async () => {
    const { driver } = await fresh();
    // The bad value is in the last thing the unit writes: the instance and job before it must go too.
    const unwritable = makeContent({ fields: { n: 1n } as unknown as Record<string, string> });
    const results = await Promise.allSettled([
      driver.commit({ instances: [{ instance: makeInstance({ id: 'a' }), expectedSeq: null }] }),
      driver.commit({
        instances: [{ instance: makeInstance({ id: 'bad' }), expectedSeq: null }],
        enqueue: [timerJob('bad-job', T0)],
        archive: [{ deliveryId: 'd', content: unwritable }],
      }),
      driver.commit({ instances: [{ instance: makeInstance({ id: 'b' }), expectedSeq: null }] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await driver.getInstance('a')).toBeDefined();
    expect(await driver.getInstance('b')).toBeDefined();
    expect(await driver.getInstance('bad')).toBeUndefined();
    expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
    await driver.close();
  });

  it('a unit that collides with itself (one event id twice) is a conflict that writes nothing; units beside it commit', async () => {
    const { driver } = await fresh();
    const outcomes = await Promise.all([
      driver.commit({ instances: [{ instance: makeInstance({ id: 'a' }), expectedSeq: null }] }),
      driver.commit({ events: ['ev-x', 'ev-x'], instances: [{ instance: makeInstance({ id: 'self' }), expectedSeq: null }] }),
      driver.commit({ instances: [{ instance: makeInstance({ id: 'b' }), expectedSeq: null }] }),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(await driver.eventSeen('ev-x')).toBe(false);
    expect(await driver.getInstance('self')).toBeUndefined();
    expect(await driver.getInstance('a')).toBeDefined();
    expect(await driver.getInstance('b')).toBeDefined();
    await driver.close();
  });

  it('a read-only open sees subject changes the writer makes after it read them (it caches nothing)', async () => {
    const path = join(dir, `subjects-${++files}.db`);
    const writer = createEmbeddedDriver({ path });
    await writer.open();
    await writer.putSubject({ id: 's', contacts: { email: 'old@example.com' } });
    expect((await writer.getSubject('s'))?.contacts).toEqual({ email: 'old@example.com' });
    const reader = createEmbeddedDriver({ path, readonly: true });
    await reader.open();
    expect((await reader.getSubject('s'))?.contacts).toEqual({ email: 'old@example.com' });
    await writer.putSubject({ id: 's', contacts: { sms: '+1555' } });
    expect((await writer.getSubject('s'))?.contacts).toEqual({ email: 'old@example.com', sms: '+1555' });
    expect((await reader.getSubject('s'))?.contacts).toEqual({ email: 'old@example.com', sms: '+1555' });
    await reader.close();
    await writer.close();
  });

  it('an archive cursor it did not make is an error, not a wrong page', async () => {
    const { driver } = await fresh();
    await expect(driver.searchArchive({ cursor: 'not-a-cursor' })).rejects.toThrow(/invalid archive cursor/);
    await driver.close();
  });

  it('purgeArchive also forgets sent counters, event ids and finished ledger entries older than its time', async () => {
    const { driver } = await fresh();
    await driver.commit({
      deliveries: [{ delivery: makeDelivery({ id: 'd1', status: 'delivered', createdAt: T0 }), expectedUpdatedAt: null }],
      sent: [
        { subjectId: 's', category: 'c', at: T0, dedupeKey: 'old', deliveryId: null },
        { subjectId: 's', category: 'c', at: T0 + 2000, dedupeKey: 'new', deliveryId: null },
      ],
      events: ['ev-1'],
      archive: [{ deliveryId: 'd1', content: makeContent() }],
    });
    await driver.ledgerBegin('open', T0);
    await driver.ledgerFinish('done', { ok: true }, T0);
    // Events are stamped with the driver's clock (T0) when committed.
    expect(await driver.purgeArchive(T0 + 1000)).toBe(1);
    expect(await driver.countSent('s', 'c', 0)).toBe(1);
    expect(await driver.seenDedupeKey('old', 0)).toBe(false);
    expect(await driver.seenDedupeKey('new', 0)).toBe(true);
    expect(await driver.eventSeen('ev-1')).toBe(false);
    expect(await driver.ledgerBegin('done', T0 + 5000)).toEqual({ state: 'new' });
    // An in-flight entry is never forgotten: its call may have reached the provider.
    expect(await driver.ledgerBegin('open', T0 + 5000)).toEqual({ state: 'in-flight', since: T0 });
    await driver.close();
  });
});

describe('embedded driver: kill -9 of the writing process', () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const child = join(here, 'support', 'commit-until-killed.ts');
  const register = join(here, 'support', 'register-ts.mjs');

  /** Runs the child until it reported `atLeast` committed units, then SIGKILLs it; the last reported unit. */
  function writeThenKill(path: string, atLeast: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', register, child, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let reported = -1;
      let buffered = '';
      let stderr = '';
      let killed = false;
      proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) reported = Math.max(reported, Number(line));
        if (!killed && reported >= atLeast) {
          killed = true;
          proc.kill('SIGKILL');
        }
      });
      proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      proc.on('error', reject);
      proc.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') resolve(reported);
        else reject(new Error(`writer exited on its own (${String(_code)}): ${stderr}`));
      });
    });
  }

  /** Everything unit n wrote is there, exactly as written. */
  async function expectUnit(driver: Driver, n: number): Promise<void> {
    const unit = killUnit(n);
    expect(await driver.getInstance(`u-${n}`)).toEqual(unit.instances![0]!.instance);
    const delivery = unit.deliveries![0]!.delivery;
    expect(await driver.getArchived(`d-${n}`)).toEqual({ delivery, contents: [makeContent({ renderedAt: T0 + n })], attempts: [] });
    expect(await driver.eventSeen(`e-${n}`)).toBe(true);
    expect(await driver.seenDedupeKey(`k-${n}`, T0 + n)).toBe(true);
  }

  async function expectNoUnit(driver: Driver, n: number): Promise<void> {
    expect(await driver.getInstance(`u-${n}`)).toBeUndefined();
    expect(await driver.getDelivery(`d-${n}`)).toBeUndefined();
    expect(await driver.eventSeen(`e-${n}`)).toBe(false);
    expect(await driver.seenDedupeKey(`k-${n}`, 0)).toBe(false);
  }

  async function checkStore(path: string, lastReported: number): Promise<number> {
    // The process died holding the file: the -wal file is still there, to be recovered.
    expect(existsSync(`${path}-wal`)).toBe(true);
    const driver = createEmbeddedDriver({ path, clock: () => T0 });
    await driver.open();
    try {
      const committed = (await driver.getInstance('progress'))?.seq ?? 0;
      // Every unit the writer saw committed is there, and nothing of a unit it did not finish.
      expect(committed).toBeGreaterThan(lastReported);
      for (let n = 0; n < committed; n++) await expectUnit(driver, n);
      await expectNoUnit(driver, committed);
      expect(await driver.countSent(KILL_SUBJECT, 'kill', 0)).toBe(committed);
      expect(await driver.queueDepth()).toEqual({ queued: committed, reserved: 0 });
      expect(await driver.searchArchive({ subjectId: KILL_SUBJECT, limit: 1 })).toMatchObject({
        items: [{ delivery: { id: `d-${committed - 1}` } }],
      });
      return committed;
    } finally {
      await driver.close();
    }
  }

  function integrity(path: string): string {
    const db = new Database(path, { readonly: true });
    try {
      return db.pragma('integrity_check', { simple: true }) as string;
    } finally {
      db.close();
    }
  }

  it('every committed unit survives whole, nothing of a torn one, and the file is not corrupt', { timeout: 120_000 }, async () => {
    const path = join(dir, 'killed', 'herald.db');
    const first = await writeThenKill(path, 400 + Math.floor(Math.random() * 400));
    const afterFirst = await checkStore(path, first);
    expect(integrity(path)).toBe('ok');

    // A second writer recovers the file, goes on from where the store says, and dies too.
    const second = await writeThenKill(path, afterFirst + 300 + Math.floor(Math.random() * 300));
    const afterSecond = await checkStore(path, second);
    expect(afterSecond).toBeGreaterThan(afterFirst);
    expect(integrity(path)).toBe('ok');
  });
});
