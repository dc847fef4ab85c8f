import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { startStoreWriter } from './store-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A migrated file, its reading connection, and a writer thread on it that counts its result messages. */
async function setup() {
  const path = join(dir, `w-${++files}.db`);
  const reader = openDatabase({ path });
  let batches = 0;
  const writer = await startStoreWriter({ open: { path }, autocheckpointPages: null }, () => batches++);
  const eventsSeen = () => (reader.prepare('SELECT COUNT(*) AS n FROM events_seen').get() as { n: number }).n;
  return { path, reader, writer, batches: () => batches, eventsSeen };
}

describe('store writer thread', () => {
  it('writes of one turn travel together and come back in one message, committed and readable on another connection', async () => {
    const { reader, writer, batches, eventsSeen } = await setup();
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.run({ kind: 'commit', rows: { events: [`e-${i}`] }, now: 1 })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(batches()).toBe(1);
    expect(eventsSeen()).toBe(50);
    // A conflict is a value, as on the caller's thread.
    expect(await writer.run({ kind: 'commit', rows: { events: ['e-0'] }, now: 2 })).toEqual({ ok: false, conflict: 'duplicate event e-0' });
    await writer.close();
    reader.close();
  });

  it('a write that throws fails alone, with its message; the others of its batch commit', async () => {
    const { reader, writer, eventsSeen } = await setup();
    const [before, failing, after] = await Promise.allSettled([
      writer.run({ kind: 'commit', rows: { events: ['a'] }, now: 1 }),
      writer.run({ kind: 'set-current-graph', version: 'never-saved' }),
      writer.run({ kind: 'commit', rows: { events: ['b'] }, now: 1 }),
    ]);
    expect(before).toEqual({ status: 'fulfilled', value: { ok: true } });
    expect(failing.status).toBe('rejected');
    expect((failing as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(String((failing as PromiseRejectedResult).reason.message)).toMatch(/graph never-saved was never saved/);
    expect(after).toEqual({ status: 'fulfilled', value: { ok: true } });
    expect(eventsSeen()).toBe(2);
    await writer.close();
    reader.close();
  });

  it('close waits for the writes in flight; a write after it is refused', async () => {
    const { reader, writer, eventsSeen } = await setup();
    const inFlight = Array.from({ length: 20 }, (_, i) => writer.run({ kind: 'commit', rows: { events: [`late-${i}`] }, now: 1 }));
    await writer.close();
    expect((await Promise.all(inFlight)).every((o) => o.ok)).toBe(true);
    expect(eventsSeen()).toBe(20);
    await expect(writer.run({ kind: 'commit', rows: { events: ['after'] }, now: 1 })).rejects.toThrow(/store writer closed/);
    reader.close();
  });

  it('refuses to start on a file it cannot open, saying why', async () => {
    await expect(startStoreWriter({ open: { path: join(dir, 'no-such-dir', 'x', '\0bad') }, autocheckpointPages: null }, () => {})).rejects.toThrow(/store writer/);
  });
});
