/**
 * A provider that hangs must cost only its own calls: the QA scenario (an SMS provider that
 * accepts connections and never answers) on one worker thread, with a healthy channel and a
 * data-source query beside it.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { isHeldSend, SENDS_HELD_CODE, type PingResult, type SendTask } from './pool-tasks.js';
import { channelPlugin, CRM_SOURCES, ECHO_SEND, journey, makeGraph, makeProject, subject, vars } from './pool-test-fixtures.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

// These tests run the built worker (dist/pool/worker.js): `npx tsc -b runtime` first.
const root = makeProject({
  echo: channelPlugin(ECHO_SEND),
  hang: channelPlugin(`return new Promise(() => {});`),
  slow: channelPlugin(`await new Promise((r) => setTimeout(r, 1000)); return Object.freeze({ status: 'delivered', receipt: { slow: true } });`),
  'spin-later': channelPlugin(`await new Promise((r) => setTimeout(r, 50)); for (;;) {}`),
  throws: channelPlugin(`throw new Error('provider exploded');`),
  // Busy for 200 ms in its synchronous part: its batch holds a slot of the thread all that time.
  busy: channelPlugin(`const end = Date.now() + 200; while (Date.now() < end) {} return Object.freeze({ status: 'delivered', receipt: {} });`),
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const graph = makeGraph(
  {
    email: { use: './plugins/echo', message: 'email' },
    sms: { use: './plugins/hang', message: 'email' },
    slow: { use: './plugins/slow', message: 'email' },
    spin: { use: './plugins/spin-later', message: 'email' },
    throws: { use: './plugins/throws', message: 'email' },
    busy: { use: './plugins/busy', message: 'email' },
  },
  { sources: CRM_SOURCES },
);

function send(channel: string, key: string): SendTask {
  return {
    kind: 'send',
    channel,
    template: 'reminder',
    version: graph.version,
    subject: subject({ contacts: { email: 'ada@example.com', sms: 'x@y', slow: 'x@y', spin: 'x@y', throws: 'x@y', busy: 'x@y' } }),
    vars,
    journey,
    now: Date.now(),
    deliveryId: `d-${key}`,
    step: 'remind',
    category: 'billing',
    idempotencyKey: key,
    attempt: 1,
  };
}

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const threadOf = async (pool: WorkerPool): Promise<number> => ((await pool.run({ kind: 'ping', now: Date.now() })) as PingResult).threadId;

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('worker pool with a hanging provider', () => {
  it('serves other channels and queries at once, answers each hung call at its own timeout, and keeps the worker', async () => {
    const SEND_TIMEOUT = 1_500;
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, sendTimeoutMs: SEND_TIMEOUT, queryTimeoutMs: 1_000, batchGraceMs: 300, logLevel: 'silent' });
    pools.push(pool);
    const thread = await threadOf(pool);

    // 200 hung sends in 10 turns: 10 batches, more than the thread's batch slots (4).
    const started = performance.now();
    const hung: Promise<{ at: number; result: unknown }>[] = [];
    for (let b = 0; b < 10; b++) {
      for (let i = 0; i < 20; i++) {
        const submitted = performance.now();
        hung.push(pool.run(send('sms', `sms-${b}-${i}`)).then((r) => ({ at: performance.now() - submitted, result: r.result })));
      }
      await turn();
    }
    await sleep(50);
    expect(pool.stats().inFlight).toBe(200);

    // Then the healthy channel and a query (a local file): they do not wait on the hung calls.
    const quick = performance.now();
    const [emails, query] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, (_, i) => pool.run(send('email', `email-${i}`)))),
      pool.run({ kind: 'query', source: 'crm', query: 'byId', args: { id: 'c-1' }, attempt: 1, now: Date.now() }),
    ]);
    const quickMs = performance.now() - quick;
    expect(emails.map((r) => r.result.status)).toEqual(Array.from({ length: 30 }, () => 'delivered'));
    expect(query.result).toEqual({ ok: true, value: { name: 'Ada' } });
    expect(quickMs).toBeLessThan(SEND_TIMEOUT / 3);

    // A call still in flight on the same thread when the hung ones time out (it ends ~500 ms after).
    await sleep(Math.max(0, 1_000 - (performance.now() - started)));
    const slow = pool.run(send('slow', 'slow-1'));

    const answers = await Promise.all(hung);
    for (const { at, result } of answers) {
      expect(result).toEqual({ status: 'failed', retryable: true, reason: `timeout after ${SEND_TIMEOUT}ms`, code: 'TIMEOUT' });
      // At its own deadline (render and scheduling add a little), not at a batch's.
      expect(at).toBeGreaterThanOrEqual(SEND_TIMEOUT - 5);
      expect(at).toBeLessThan(SEND_TIMEOUT + 700);
    }
    expect((await slow).result).toMatchObject({ status: 'delivered', receipt: { slow: true } });

    // The worker was never stopped: same thread, no crash, no stuck-thread timeout.
    expect(await threadOf(pool)).toBe(thread);
    expect(pool.stats()).toMatchObject({ threads: 1, crashes: 0, timeouts: 0, inFlight: 0 });
  });

  it('stops a thread that stops answering after its calls started (a plugin stuck in a loop later), and replaces it', async () => {
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, sendTimeoutMs: 300, batchGraceMs: 300, logLevel: 'silent' });
    pools.push(pool);
    const thread = await threadOf(pool);
    const started = performance.now();
    const [spun, beside] = await Promise.all([pool.run(send('spin', 'spin-1')), pool.run(send('sms', 'sms-beside'))]);
    expect(spun.result).toMatchObject({ status: 'failed', retryable: true, code: 'TIMEOUT' });
    expect(beside.result).toMatchObject({ status: 'failed', retryable: true, code: 'TIMEOUT' });
    // Deadline 300 + grace 300, then 300 for the probe, and the thread's exit.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(pool.stats()).toMatchObject({ timeouts: 1, crashes: 0 });
    expect((await pool.run(send('email', 'after'))).result.status).toBe('delivered');
    expect(await threadOf(pool)).not.toBe(thread);
  });
});

describe('worker pool queue', () => {
  it('runs a query waiting for a slot ahead of the send batches that waited before it', async () => {
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, concurrentBatchesPerWorker: 1, logLevel: 'silent' });
    pools.push(pool);
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) => p.then(() => void order.push(name));
    const all = [track('send-1', pool.run(send('busy', 'b-1')))];
    await turn();
    all.push(track('send-2', pool.run(send('busy', 'b-2'))));
    await turn();
    all.push(track('send-3', pool.run(send('busy', 'b-3'))));
    await turn();
    all.push(track('query', pool.run({ kind: 'query', source: 'crm', query: 'byId', args: { id: 'c-1' }, attempt: 1, now: Date.now() })));
    await Promise.all(all);
    expect(order).toEqual(['send-1', 'query', 'send-2', 'send-3']);
  });
});

describe('worker pool holdSends', () => {
  it('answers every send that has not called its plugin STOPPING at once; calls under way and queries go on', async () => {
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, maxSendsInFlightPerChannel: 1, logLevel: 'silent' });
    pools.push(pool);
    const first = pool.run(send('slow', 'slow-1'));
    const waitingForSlot = pool.run(send('slow', 'slow-2'));
    await sleep(100);
    const sameTurn = pool.run(send('email', 'e-1'));
    pool.holdSends!();
    const held = performance.now();
    const [second, third] = await Promise.all([waitingForSlot, sameTurn]);
    expect(performance.now() - held).toBeLessThan(100);
    for (const r of [second, third]) {
      expect(r.result).toMatchObject({ status: 'failed', retryable: true, code: SENDS_HELD_CODE });
      expect(isHeldSend(r)).toBe(true);
    }
    expect((await pool.run(send('email', 'e-2'))).result).toMatchObject({ code: SENDS_HELD_CODE });
    expect((await pool.run({ kind: 'query', source: 'crm', query: 'byId', args: { id: 'c-1' }, attempt: 1, now: Date.now() })).result).toEqual({ ok: true, value: { name: 'Ada' } });
    expect((await first).result).toMatchObject({ status: 'delivered' });
  });
});

describe('worker pool logs', () => {
  it("with logFormat json, the workers log a throwing plugin as a JSON line on stdout, in herald start's shape, once per message per minute", async () => {
    const written: string[] = [];
    // Worker threads' stdout is written to this thread's process.stdout.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    try {
      const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, logLevel: 'warn', logFormat: 'json' });
      pools.push(pool);
      for (let i = 0; i < 3; i++) expect((await pool.run(send('throws', `t-${i}`))).result).toMatchObject({ retryable: true, code: 'PLUGIN_THREW' });
      await pool.close();
      await sleep(50);
    } finally {
      spy.mockRestore();
    }
    const entries = written
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e['channel'] === 'throws');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 40, pid: process.pid, plugin: 'test-channel', error: 'provider exploded', stack: expect.stringContaining('provider exploded') });
    expect(entries[0]!['msg']).toMatch(/^send threw: provider exploded/);
  });
});
