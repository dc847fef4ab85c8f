import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { COMMITTED } from './apply-unit.js';
import { BUSY_FLUSH_MS, makeGroupCommit } from './group-commit.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function setup(busyFlushMs = BUSY_FLUSH_MS) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x INTEGER)');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  let transactions = 0;
  const group = makeGroupCommit(db, () => COMMITTED, () => transactions++, busyFlushMs);
  const write = (x: number) => group.run(() => insert.run(x).changes);
  return { db, group, write, transactions: () => transactions };
}

describe('group commit', () => {
  it('writes of one turn of the event loop share a transaction; a write in the next turn gets its own while the store is idle', async () => {
    // Never busy: on a loaded machine a first flush can take longer than BUSY_FLUSH_MS.
    const { write, transactions, db } = setup(Number.POSITIVE_INFINITY);
    await Promise.all([write(1), write(2), write(3)]);
    expect(transactions()).toBe(1);
    const a = write(4);
    await nextTurn();
    const b = write(5);
    await Promise.all([a, b]);
    expect(transactions()).toBe(3);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 5 });
  });

  it('after a slow flush, writes of the following turns wait to join one transaction', async () => {
    const { group, write, transactions, db } = setup();
    // A flush that holds the store for longer than BUSY_FLUSH_MS.
    await group.run(() => {
      const until = performance.now() + BUSY_FLUSH_MS + 1;
      while (performance.now() < until);
    });
    const before = transactions();
    const pending = [write(1)];
    await nextTurn();
    pending.push(write(2));
    await nextTurn();
    pending.push(write(3));
    expect(await Promise.all(pending)).toEqual([1, 1, 1]);
    expect(transactions() - before).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 3 });
  });

  it('a busy store stops gathering at the first turn that brings no write: an idle event loop never waits', async () => {
    const { group, write } = setup();
    await group.run(() => {
      const until = performance.now() + BUSY_FLUSH_MS + 1;
      while (performance.now() < until);
    });
    let done = false;
    void write(1).then(() => (done = true));
    for (let turn = 0; turn < 3 && !done; turn++) await nextTurn();
    expect(done).toBe(true);
  });
});
