import { describe, expect, it } from 'vitest';
import { createBoundedRuns } from './bounded-runs.js';

/** A task that runs until it is let go; `started` says whether it began. */
function gate<T>(value: T) {
  let release!: () => void;
  const state = { started: false };
  const done = new Promise<void>((r) => (release = r));
  const task = async () => {
    state.started = true;
    await done;
    return value;
  };
  return { task, release, state };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('createBoundedRuns', () => {
  it('runs at most the bound at once; the others start in the order they came as places free', async () => {
    const runs = createBoundedRuns(2);
    const gates = [gate(1), gate(2), gate(3), gate(4)];
    const results = gates.map((g) => runs.run(g.task));
    await turn();
    expect(gates.map((g) => g.state.started)).toEqual([true, true, false, false]);
    expect([runs.running, runs.waiting]).toEqual([2, 2]);
    gates[1]!.release();
    await turn();
    expect(gates.map((g) => g.state.started)).toEqual([true, true, true, false]);
    gates[0]!.release();
    gates[2]!.release();
    await turn();
    expect(gates[3]!.state.started).toBe(true);
    gates[3]!.release();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    expect([runs.running, runs.waiting]).toEqual([0, 0]);
  });

  it('frees the place of a task that fails, and gives its caller the failure', async () => {
    const runs = createBoundedRuns(1);
    const failing = runs.run(async () => {
      throw new Error('no');
    });
    const throwing = runs.run(() => {
      throw new Error('at once');
    });
    const next = runs.run(async () => 'next');
    await expect(failing).rejects.toThrow('no');
    await expect(throwing).rejects.toThrow('at once');
    expect(await next).toBe('next');
    expect(runs.running).toBe(0);
  });

  it('keeps the order of a long queue (its head moves and is compacted)', async () => {
    const runs = createBoundedRuns(1);
    const order: number[] = [];
    const all = Array.from({ length: 5000 }, (_, i) =>
      runs.run(async () => {
        order.push(i);
      }),
    );
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('refuses a bound that is not a whole number from 1', () => {
    expect(() => createBoundedRuns(0)).toThrow(/whole number from 1/);
    expect(() => createBoundedRuns(1.5)).toThrow(/whole number from 1/);
  });
});
