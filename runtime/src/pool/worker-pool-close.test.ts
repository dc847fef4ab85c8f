import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SendTask } from './pool-tasks.js';
import { closingPlugin, journey, makeGraph, makeProject, subject, vars } from './pool-test-fixtures.js';
import { CLOSE_ANSWER_SLACK_MS, createWorkerPool } from './worker-pool.js';

// These tests run the built worker (dist/pool/worker.js): `npx tsc -b runtime` first.
// Each close() appends `<kind> <threadId> <signal aborted?>` to the file in its config.
const APPEND = (kind: string) => `appendFileSync(config.path, '${kind} ' + threadId + ' ' + ctx.signal.aborted + '\\n');`;
const root = makeProject({
  'closing-channel': closingPlugin('channel', APPEND('channel')),
  'closing-source': closingPlugin('source', APPEND('source')),
  'hanging-close': closingPlugin('channel', `return new Promise(() => {});`),
  'spinning-close': closingPlugin('channel', `for (;;) {}`),
  // Busy for 300 ms in its synchronous part (so its batch holds the thread's only slot), then records the call.
  busy: `import { appendFileSync } from 'node:fs';
export default Object.freeze({
  kind: 'channel', name: 'busy', version: '1.0.0', messageKind: 'email', manifest: undefined, configSchema: { type: 'object' },
  create(config) { return { async send(message, sctx) {
    const end = Date.now() + 300; while (Date.now() < end) {}
    appendFileSync(config.path, sctx.idempotencyKey + '\\n');
    return Object.freeze({ status: 'delivered', receipt: {} });
  } }; },
});
`,
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

function send(channel: string, idempotencyKey = `key-${channel}`): SendTask {
  return {
    kind: 'send',
    channel,
    template: 'reminder',
    version: 'sha256:test',
    subject: subject({ contacts: { [channel]: 'x@y' } }),
    vars,
    journey,
    now: Date.now(),
    deliveryId: 'd-1',
    step: 'remind',
    category: 'billing',
    idempotencyKey,
    attempt: 1,
  };
}

describe('worker pool close', () => {
  it("calls close() on every channel and source instance in every worker thread, after aborting the plugin's signal", async () => {
    const file = join(root, 'out', 'closed.txt');
    const graph = makeGraph(
      { closing: { use: './plugins/closing-channel', message: 'email', config: { path: file } } },
      {
        sources: {
          crm: { use: './plugins/closing-source', config: { path: file }, queries: { byId: { args: { kind: 'dyn' }, returns: { kind: 'dyn' } } } },
        },
      } as never,
    );
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 2, logLevel: 'silent' });
    expect((await pool.run(send('closing'))).result.status).toBe('delivered');
    await Promise.all([pool.close(), pool.close()]);

    const closed = lines(file).map((l) => l.split(' '));
    const threadsOf = (kind: string) => closed.filter(([k]) => k === kind).map(([, thread]) => thread);
    // One line per plugin instance, that is per worker thread: two threads, two distinct ids.
    expect(closed).toHaveLength(4);
    expect(new Set(threadsOf('channel')).size).toBe(2);
    expect(new Set(threadsOf('source'))).toEqual(new Set(threadsOf('channel')));
    // The unload signal was aborted before close() was called.
    expect(closed.every(([, , aborted]) => aborted === 'true')).toBe(true);

    // Closing again does nothing more, and the closed pool answers tasks without running them.
    await pool.close();
    expect(lines(file)).toHaveLength(4);
    expect((await pool.run(send('closing'))).result).toMatchObject({ status: 'failed', retryable: true, code: 'SHUTDOWN' });
  });

  it('does not hang on a plugin whose close() never resolves: it waits closeTimeoutMs, and the other plugins still close', async () => {
    const file = join(root, 'out', 'closed-beside-hanging.txt');
    const graph = makeGraph({
      hanging: { use: './plugins/hanging-close', message: 'email' },
      closing: { use: './plugins/closing-channel', message: 'email', config: { path: file } },
    });
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 2, closeTimeoutMs: 300, logLevel: 'silent' });
    const started = performance.now();
    await pool.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(300 + CLOSE_ANSWER_SLACK_MS);
    expect(lines(file)).toHaveLength(2);
  });

  it('stops a worker that cannot answer (a close() stuck in a synchronous loop) once closeTimeoutMs and the slack have passed', async () => {
    const graph = makeGraph({ spinning: { use: './plugins/spinning-close', message: 'email' } });
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 2, closeTimeoutMs: 300, logLevel: 'silent' });
    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeLessThan(300 + CLOSE_ANSWER_SLACK_MS + 2_000);
  });

  it('starts no plugin call once close() has begun: a batch still waiting for a slot is answered SHUTDOWN without running', async () => {
    const file = join(root, 'out', 'busy.txt');
    const graph = makeGraph({ busy: { use: './plugins/busy', message: 'email', config: { path: file } } });
    const pool = await createWorkerPool({ projectRoot: root, graph, threads: 1, concurrentBatchesPerWorker: 1, logLevel: 'silent' });
    const first = pool.run(send('busy', 'first'));
    await new Promise((r) => setImmediate(r));
    const second = pool.run(send('busy', 'second'));
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    expect((await first).result.status).toBe('delivered');
    expect((await second).result).toMatchObject({ status: 'failed', retryable: true, code: 'SHUTDOWN' });
    expect(lines(file)).toEqual(['first']);
  });
});
