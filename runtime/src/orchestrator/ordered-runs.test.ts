import { describe, expect, it } from 'vitest';
import { createOrderedRuns } from './ordered-runs.js';

interface Item {
  readonly name: string;
  readonly keys: readonly string[] | null;
  readonly fail?: boolean;
}

/** Ingests by hand: each call waits until the test releases it, so what runs at once is visible. */
function manual() {
  const started: string[] = [];
  const finished: string[] = [];
  const pending = new Map<string, () => void>();
  const ingest = (item: Item) =>
    new Promise<string>((resolve, reject) => {
      started.push(item.name);
      pending.set(item.name, () => {
        finished.push(item.name);
        if (item.fail) reject(new Error(`${item.name} failed`));
        else resolve(item.name);
      });
    });
  const release = async (name: string) => {
    pending.get(name)!();
    pending.delete(name);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { started, finished, ingest, release, settle };
}

/** Every item through one OrderedRuns, in order, as the batch route does. */
function runAll(items: readonly Item[], ingest: (item: Item) => Promise<string>) {
  const runs = createOrderedRuns();
  return Promise.allSettled(items.map((item) => runs.run(item.keys, () => ingest(item))));
}

describe('createOrderedRuns', () => {
  it('runs items of different keys at once and items of one key one after another, in batch order', async () => {
    const m = manual();
    const items: Item[] = [
      { name: 'a1', keys: ['subject:a'] },
      { name: 'b1', keys: ['subject:b'] },
      { name: 'a2', keys: ['subject:a'] },
      { name: 'c1', keys: ['subject:c', 'id:x'] },
      { name: 'd1', keys: ['subject:d', 'id:x'] },
    ];
    const done = runAll(items, m.ingest);
    await m.settle();
    expect(m.started).toEqual(['a1', 'b1', 'c1']);
    await m.release('a1');
    expect(m.started).toEqual(['a1', 'b1', 'c1', 'a2']);
    await m.release('c1');
    expect(m.started).toContain('d1'); // the second item with id x waits for the first
    for (const n of ['b1', 'a2', 'd1']) await m.release(n);
    expect((await done).map((r) => r.status === 'fulfilled' && r.value)).toEqual(['a1', 'b1', 'a2', 'c1', 'd1']);
  });

  it('runs an item without keys after everything before it, and everything after it after it', async () => {
    const m = manual();
    const items: Item[] = [
      { name: 'a1', keys: ['subject:a'] },
      { name: 'b1', keys: ['subject:b'] },
      { name: 'any', keys: null },
      { name: 'c1', keys: ['subject:c'] },
    ];
    const done = runAll(items, m.ingest);
    await m.settle();
    expect(m.started).toEqual(['a1', 'b1']);
    await m.release('a1');
    expect(m.started).toEqual(['a1', 'b1']);
    await m.release('b1');
    expect(m.started).toEqual(['a1', 'b1', 'any']);
    await m.release('any');
    expect(m.started).toEqual(['a1', 'b1', 'any', 'c1']);
    await m.release('c1');
    expect((await done).every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('a failed item stops the later items of its key and everything after a barrier, not other keys', async () => {
    const m = manual();
    const items: Item[] = [
      { name: 'a1', keys: ['subject:a'], fail: true },
      { name: 'b1', keys: ['subject:b'] },
      { name: 'a2', keys: ['subject:a'] },
      { name: 'any', keys: null },
      { name: 'b2', keys: ['subject:b'] },
    ];
    const done = runAll(items, m.ingest);
    await m.settle();
    await m.release('a1');
    await m.release('b1');
    const results = await done;
    expect(m.started).toEqual(['a1', 'b1']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : null))).toEqual(['a1 failed', null, 'a1 failed', 'a1 failed', 'a1 failed']);
  });

  it('runs tasks without keys at once, and forgets a key once its task settled', async () => {
    const runs = createOrderedRuns();
    const order: string[] = [];
    let release!: () => void;
    const first = runs.run(['subject:a'], () => new Promise<void>((r) => (release = r)).then(() => void order.push('a1')));
    const free = runs.run([], async () => void order.push('free'));
    await free;
    expect(order).toEqual(['free']);
    release();
    await first;
    await Promise.resolve();
    // a1 settled: a2 starts at once, not behind a finished task.
    let started = false;
    const second = runs.run(['subject:a'], async () => {
      started = true;
    });
    expect(started).toBe(true);
    await second;
  });
});

