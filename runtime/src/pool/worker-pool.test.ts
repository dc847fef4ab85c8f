import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { messageIdFor } from '@herald/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginStartupError } from '../plugins-host/plugin-host.js';
import { verifyUnsubscribeToken } from '../subjects/unsubscribe-token.js';
import type { SendTask } from './pool-tasks.js';
import { channelPlugin, CRM_SOURCES, ECHO_SEND, journey, makeGraph, makeProject, sendTask, subject, vars } from './pool-test-fixtures.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

// These tests run the built worker (dist/pool/worker.js): `npx tsc -b runtime` first.
const root = makeProject({
  echo: channelPlugin(ECHO_SEND),
  crash: channelPlugin(`process.exit(3);`),
  hang: channelPlugin(`return new Promise(() => {});`),
  spin: channelPlugin(`if (message.content.subject.includes('spin')) { for (;;) {} } ${ECHO_SEND}`),
  throws: channelPlugin(`throw new Error('provider exploded');`),
  fnsource: `export default Object.freeze({
  kind: 'source', name: 'fn-source', version: '1.0.0', manifest: undefined, configSchema: { type: 'object' },
  create() { return { async query() { return { ok: true, value: { name: 'Ada', greet() { return 'hi'; } } }; } }; },
});
`,
  slow: `import { appendFileSync } from 'node:fs';
export default Object.freeze({
  kind: 'channel', name: 'slow', version: '1.0.0', messageKind: 'email', manifest: undefined, configSchema: { type: 'object' },
  create(config) { return { async send(message, sctx) {
    const started = performance.timeOrigin + performance.now();
    await new Promise((r) => setTimeout(r, 15));
    appendFileSync(config.path, JSON.stringify([started, performance.timeOrigin + performance.now()]) + '\\n');
    return Object.freeze({ status: 'delivered', receipt: {} });
  } }; },
});
`,
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const graph = makeGraph(
  {
    email: { use: './plugins/echo', message: 'email', config: {} },
    log: { use: '@herald/channel-log', message: 'any', config: { path: 'out/log.jsonl' } },
    crash: { use: './plugins/crash', message: 'email' },
    hang: { use: './plugins/hang', message: 'email' },
    spin: { use: './plugins/spin', message: 'email' },
    throws: { use: './plugins/throws', message: 'email' },
  },
  {
    sources: {
      ...CRM_SOURCES,
      fn: { use: './plugins/fnsource', config: {}, queries: { byId: { args: { kind: 'dyn' }, returns: { kind: 'dyn' } } } },
    } as unknown as typeof CRM_SOURCES,
  },
);

const send = (channel: string, over: Partial<SendTask> = {}): SendTask => sendTask(graph, channel, over);

let pool: WorkerPool;
beforeAll(async () => {
  pool = await createWorkerPool({
    projectRoot: root,
    graph,
    threads: 2,
    sendTimeoutMs: 300,
    batchGraceMs: 300,
    publicBaseUrl: 'https://herald.acme.example',
    unsubscribeSecret: 's3cret',
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await pool?.close();
});

describe('worker pool', () => {
  it('renders and sends in one task: address from contacts, deterministic Message-ID, unsubscribe link, virtual clock', async () => {
    const r = await pool.run(send('email'));
    expect(r.result).toMatchObject({
      status: 'delivered',
      receipt: {
        providerMessageId: messageIdFor('key-email'),
        to: 'ada@example.com',
        kind: 'email',
        locale: 'en',
        step: 'remind',
        journey: 'dunning',
        category: 'billing',
        content: { subject: 'Invoice INV-<1> & more', html: '<p>Dear Ada &lt;Lovelace&gt;</p><p>Acme & Co</p>' },
      },
    });
    expect(r.messageId).toBe(messageIdFor('key-email'));
    expect(r.content).toMatchObject({ channel: 'email', kind: 'email', to: 'ada@example.com', renderedAt: Date.UTC(2030, 0, 1) });
    const receipt = (r.result as unknown as { receipt: { metadata: Record<string, string>; now: number } }).receipt;
    // The plugin's clock follows the runtime's (virtual) clock.
    expect(Math.abs(receipt.now - Date.UTC(2030, 0, 1))).toBeLessThan(5_000);
    const token = receipt.metadata['unsubscribeUrl']!.replace('https://herald.acme.example/unsubscribe/', '');
    expect(verifyUnsubscribeToken(token, 's3cret')).toEqual({ subjectId: 'c-1', category: 'billing' });
  });

  it('uses the subject id as the address of an any-kind channel without a contact, and fails permanently when an address is missing', async () => {
    const log = await pool.run(send('log'));
    expect(log.result.status).toBe('delivered');
    expect(log.content).toMatchObject({ to: 'c-1', kind: 'email' });
    const none = await pool.run(send('email', { subject: subject({ contacts: {} }) }));
    expect(none.result).toMatchObject({ status: 'failed', retryable: false, code: 'NO_ADDRESS' });
    expect(none.content).toBeNull();
  });

  it('answers a throwing plugin and a hanging plugin with retryable failures', async () => {
    expect((await pool.run(send('throws'))).result).toMatchObject({ retryable: true, reason: 'plugin threw: provider exploded' });
    const started = Date.now();
    expect((await pool.run(send('hang'))).result).toMatchObject({ retryable: true, reason: 'timeout after 300ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('replaces a worker that exits and reports its tasks as retryable; a sync-looping plugin is stopped by the batch deadline', async () => {
    const crashed = await pool.run(send('crash'));
    expect(crashed.result).toMatchObject({ status: 'failed', retryable: true, code: 'WORKER_CRASHED' });
    const spun = await pool.run(send('spin', { vars: { ...vars, trigger: { invoiceId: 'spin' } } }));
    expect(spun.result).toMatchObject({ status: 'failed', retryable: true, code: 'TIMEOUT' });
    expect(pool.stats()).toMatchObject({ crashes: 1, timeouts: 1 });
    // The pool is whole again.
    const after = await pool.runBatch([send('email'), send('email', { idempotencyKey: 'other' })]);
    expect(after.map((r) => r.result.status)).toEqual(['delivered', 'delivered']);
  });

  it('a query answer that is not JSON (a function in it) fails that query with the place, not the thread nor the tasks beside it', async () => {
    const query = { kind: 'query', source: 'fn', query: 'byId', args: { id: 'c-1' }, attempt: 1, now: Date.now() } as const;
    const crashesBefore = pool.stats().crashes;
    const [sent, answered] = await pool.runBatch([send('email', { idempotencyKey: 'beside-fn' }), query]);
    expect(sent!.result).toMatchObject({ status: 'delivered' });
    expect(answered!.result).toMatchObject({ ok: false, retryable: true, code: 'INVALID_RESULT' });
    expect((answered!.result as { reason: string }).reason).toContain('`/greet` is a function, which JSON cannot hold');
    expect(pool.stats().crashes).toBe(crashesBefore);
  });

  it('runs source queries and batches of tasks in order', async () => {
    const q = await pool.run({ kind: 'query', source: 'crm', query: 'byId', args: { id: 'c-1' }, attempt: 1, now: Date.now() });
    expect(q.result).toEqual({ ok: true, value: { name: 'Ada' } });
    const many = await pool.runBatch(Array.from({ length: 300 }, (_, i) => send('email', { idempotencyKey: `k-${i}` })));
    expect(many.map((r) => r.messageId)).toEqual(Array.from({ length: 300 }, (_, i) => messageIdFor(`k-${i}`)));
    const rendered = await pool.run({ kind: 'render', channel: 'email', template: 'reminder', version: graph.version, subject: subject({ locale: 'de' }), vars, journey, now: 0 });
    expect(rendered.outcome).toMatchObject({ ok: true, content: { locale: 'de', fields: { subject: 'Rechnung INV-<1>' } } });
  });
});

describe('worker pool startup', () => {
  it('fails with every plugin problem, such as a missing env var naming the channel', async () => {
    const bad = makeGraph({ email: { use: './plugins/echo', message: 'email', config: { host: '${NOT_SET_HOST}' } } });
    await expect(createWorkerPool({ projectRoot: root, graph: bad, threads: 1, env: {}, logLevel: 'silent' })).rejects.toThrow(PluginStartupError);
    await expect(createWorkerPool({ projectRoot: root, graph: bad, threads: 1, env: {}, logLevel: 'silent' })).rejects.toThrow(
      'channel "email": config.host: the environment variable NOT_SET_HOST is not set',
    );
  });
});

describe('worker pool send limit', () => {
  it('keeps at most maxSendsInFlightPerChannel sends of a channel in flight, across workers', async () => {
    const limited = await createWorkerPool({
      projectRoot: root,
      graph: makeGraph({ slow: { use: './plugins/slow', message: 'email', config: { path: 'out/slow.jsonl' } } }),
      threads: 2,
      maxSendsInFlightPerChannel: 1,
      logLevel: 'silent',
    });
    try {
      const results = await limited.runBatch(Array.from({ length: 12 }, (_, i) => send('slow', { idempotencyKey: `s-${i}`, subject: subject({ contacts: { slow: 'x@y' } }) })));
      expect(results.every((r) => r.result.status === 'delivered')).toBe(true);
    } finally {
      await limited.close();
    }
    const spans = readFileSync(join(root, 'out', 'slow.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as [number, number])
      .sort((a, b) => a[0] - b[0]);
    expect(spans).toHaveLength(12);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1] - 1);
  });
});
