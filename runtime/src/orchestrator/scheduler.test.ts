import { describe, expect, it } from 'vitest';
import type { Driver, Job, NewJob } from '../driver/driver.js';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { silentLogger } from '../plugins-host/plugin-logger.js';
import type { HandlerContext, JobHandler } from './handler-context.js';
import { createRuntimeMetrics } from './runtime-metrics.js';
import { createScheduler, type SchedulerOptions } from './scheduler.js';

const eventJob = (i: number): NewJob => ({
  id: `job-${i}`,
  job: { kind: 'event', event: { id: `ev-${i}`, type: 't', data: {}, receivedAt: 0 } },
  runAt: 0,
});

/** A scheduler with one handler for every job kind, 16 places. */
function schedulerOver(driver: Driver, handler: JobHandler, options: Partial<SchedulerOptions> = {}) {
  const handlers = Object.fromEntries(['event', 'instance', 'fetch', 'delivery', 'attempt'].map((k) => [k, handler])) as Record<Job['kind'], JobHandler>;
  const metrics = createRuntimeMetrics(() => driver.queueDepth());
  return createScheduler({
    driver,
    handlers,
    context: { driver, log: silentLogger, metrics } as unknown as HandlerContext,
    now: Date.now,
    log: silentLogger,
    metrics,
    concurrency: 16,
    reserveBatch: 256,
    leaseMs: 60_000,
    maxIdleMs: 1_000,
    ...options,
  });
}

describe('scheduler', () => {
  it('works off a backlog reserving jobs in batches, not a place at a time as each job finishes', async () => {
    const inner = createEmbeddedDriver({ path: ':memory:' });
    const asked: number[] = [];
    const driver: Driver = {
      ...inner,
      reserve: (max, now, lease) => {
        asked.push(max);
        return inner.reserve(max, now, lease);
      },
    };
    await driver.open();
    await driver.commit({ enqueue: Array.from({ length: 200 }, (_, i) => eventJob(i)) });
    let finished = 0;
    // Jobs finish one at a time, each a little after the one before.
    const finishAlone: JobHandler = async (ctx, queued) => {
      await new Promise((resolve) => setTimeout(resolve, 1 + (Number(queued.id.slice(4)) % 7)));
      const outcome = await ctx.driver.commit({ ack: [queued.id] });
      finished++;
      return outcome.ok ? { kind: 'done' } : { kind: 'conflict', reason: outcome.conflict };
    };
    const scheduler = schedulerOver(driver, finishAlone);
    scheduler.start();
    const deadline = Date.now() + 20_000;
    while (finished < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await scheduler.stop();
    await driver.close();
    expect(finished).toBe(200);
    // Refills wait for a quarter of the 16 places.
    expect(Math.min(...asked)).toBeGreaterThanOrEqual(4);
    expect(asked.length).toBeLessThan(200 / 4 + 5);
  });

  it('runs jobs that share an order key one after another in launch order, others at once', async () => {
    const driver = createEmbeddedDriver({ path: ':memory:' });
    await driver.open();
    // Subjects a, b, a, c, a: the three of subject a in order; b and c alongside.
    const subjects = ['a', 'b', 'a', 'c', 'a'];
    await driver.commit({ enqueue: subjects.map((_, i) => eventJob(i)) });
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const slow: JobHandler = async (ctx, queued) => {
      const i = Number(queued.id.slice(4));
      log.push(`start ${i}`);
      most = Math.max(most, ++running);
      // The first of subject a is the slowest: the later ones of a must still wait for it.
      await new Promise((resolve) => setTimeout(resolve, i === 0 ? 30 : 5));
      running--;
      log.push(`end ${i}`);
      await ctx.driver.commit({ ack: [queued.id] });
      return { kind: 'done' };
    };
    const scheduler = schedulerOver(driver, slow, {
      orderKeys: (job) => (job.kind === 'event' ? [`subject:${subjects[Number(job.event.id.slice(3))]}`] : []),
    });
    expect(await scheduler.tick()).toBe(5);
    await driver.close();
    const at = (what: string) => log.indexOf(what);
    expect(at('end 0')).toBeLessThan(at('start 2'));
    expect(at('end 2')).toBeLessThan(at('start 4'));
    // b and c did not wait for a.
    expect(at('start 1')).toBeLessThan(at('end 0'));
    expect(at('start 3')).toBeLessThan(at('end 0'));
    expect(most).toBe(3);
  });

  it('a keyed job given back to the queue takes the jobs ordered after it along: they do not overtake it', async () => {
    const driver = createEmbeddedDriver({ path: ':memory:' });
    await driver.open();
    const subjects = ['a', 'b', 'a', 'a'];
    await driver.commit({ enqueue: subjects.map((_, i) => eventJob(i)) });
    const done: number[] = [];
    let conflicts = 0;
    // The first job of subject a loses every race of its first run (six tries): it goes back to the queue.
    const racing: JobHandler = async (ctx, queued) => {
      const i = Number(queued.id.slice(4));
      if (i === 0 && queued.tries === 0) {
        conflicts++;
        return { kind: 'conflict', reason: 'another job changed it first' };
      }
      const outcome = await ctx.driver.commit({ ack: [queued.id] });
      if (!outcome.ok) return { kind: 'conflict', reason: outcome.conflict };
      done.push(i);
      return { kind: 'done' };
    };
    const scheduler = schedulerOver(driver, racing, {
      orderKeys: (job) => (job.kind === 'event' ? [`subject:${subjects[Number(job.event.id.slice(3))]}`] : []),
    });
    scheduler.start();
    const deadline = Date.now() + 10_000;
    while (done.length < subjects.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.stop();
    await driver.close();
    expect(conflicts).toBe(6);
    // Subject a's jobs in the order they came, the held-back first; b went on meanwhile.
    expect(done.filter((i) => subjects[i] === 'a')).toEqual([0, 2, 3]);
    expect(done.indexOf(1)).toBeLessThan(done.indexOf(0));
  });

  it('stop() finishes the jobs that began and runs none that had not: waiting behind an order key, or reserved as it was called', async () => {
    const driver = createEmbeddedDriver({ path: ':memory:' });
    await driver.open();
    const subjects = ['a', 'b', 'a'];
    await driver.commit({ enqueue: subjects.map((_, i) => eventJob(i)) });
    const started: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handler: JobHandler = async (ctx, queued) => {
      const i = Number(queued.id.slice(4));
      started.push(i);
      if (i === 0) await held;
      await ctx.driver.commit({ ack: [queued.id] });
      return { kind: 'done' };
    };
    const scheduler = schedulerOver(driver, handler, {
      orderKeys: (job) => (job.kind === 'event' ? [`subject:${subjects[Number(job.event.id.slice(3))]}`] : []),
    });
    scheduler.start();
    const deadline = Date.now() + 5_000;
    while (started.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started.sort()).toEqual([0, 1]);
    const stopped = scheduler.stop();
    release();
    await stopped;
    // Job 0 was in flight and finished; job 2 waited behind it and goes back to the queue, due as it was.
    expect(started.sort()).toEqual([0, 1]);
    expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 0 });
    expect((await driver.reserve(10, Date.now(), 1_000)).map((j) => j.id)).toEqual(['job-2']);
    await driver.close();

    // A reserve that answers after stop() was called: what it brought is not begun, and goes back.
    const inner = createEmbeddedDriver({ path: ':memory:' });
    await inner.open();
    await inner.commit({ enqueue: [eventJob(10), eventJob(11)] });
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let asked = false;
    const slow: Driver = {
      ...inner,
      reserve: async (max, now, lease) => {
        asked = true;
        const jobs = await inner.reserve(max, now, lease);
        await answered;
        return jobs;
      },
    };
    const ran: string[] = [];
    const second = schedulerOver(slow, async (ctx, queued) => {
      ran.push(queued.id);
      await ctx.driver.commit({ ack: [queued.id] });
      return { kind: 'done' };
    });
    second.start();
    while (!asked) await new Promise((resolve) => setTimeout(resolve, 1));
    const stopping = second.stop();
    answer();
    await stopping;
    expect(ran).toEqual([]);
    expect(await inner.queueDepth()).toEqual({ queued: 2, reserved: 0 });
    await inner.close();
  });
});
