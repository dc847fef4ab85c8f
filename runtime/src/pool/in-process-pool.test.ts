import { rmSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { messageIdFor } from '@herald/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { PluginStartupError } from '../plugins-host/plugin-host.js';
import { SHUTDOWN_CODE } from '../plugins-host/call-plugin.js';
import { createInProcessPool } from './in-process-pool.js';
import { SENDS_HELD_CODE, type SendTask } from './pool-tasks.js';
import { channelPlugin, ECHO_SEND, journey, makeGraph, makeProject, sendTask, subject, vars } from './pool-test-fixtures.js';

// The plugin notes the thread it runs on in its receipt.
const root = makeProject({
  echo: channelPlugin(`const { threadId } = await import('node:worker_threads'); return Object.freeze({ status: 'delivered', receipt: { providerMessageId: sctx.messageId, threadId } });`),
  hang: channelPlugin(`return new Promise(() => {});`),
  plain: channelPlugin(ECHO_SEND),
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const graph = makeGraph({
  email: { use: './plugins/echo', message: 'email', config: {} },
  hang: { use: './plugins/hang', message: 'email' },
  plain: { use: './plugins/plain', message: 'email' },
});

const send = (channel: string, key = `key-${channel}`): SendTask => sendTask(graph, channel, { idempotencyKey: key });

describe('in-process pool (journey tests: no worker thread to start)', () => {
  it('renders and sends with the task runner the workers use, on this thread', async () => {
    const pool = await createInProcessPool({ projectRoot: root, graph, logLevel: 'silent' });
    try {
      const r = await pool.run(send('email'));
      expect(r.result).toMatchObject({ status: 'delivered', receipt: { providerMessageId: messageIdFor('key-email'), threadId } });
      expect(r.content).toMatchObject({ channel: 'email', to: 'ada@example.com', fields: { subject: 'Invoice INV-<1> & more' } });
      const rendered = await pool.runBatch([{ kind: 'render', channel: 'email', template: 'reminder', version: graph.version, subject: subject(), vars, journey, now: 0 }]);
      expect(rendered[0]).toMatchObject({ kind: 'render', outcome: { ok: true } });
      expect(pool.stats()).toMatchObject({ threads: 0, tasks: 2, inFlight: 0 });
    } finally {
      await pool.close();
    }
  });

  it('answers a send that hangs at its deadline, holds sends on request, and answers tasks after close as closed', async () => {
    const pool = await createInProcessPool({ projectRoot: root, graph, sendTimeoutMs: 100, logLevel: 'silent' });
    const hung = await pool.run(send('hang'));
    expect(hung.result).toMatchObject({ status: 'failed', retryable: true });
    pool.holdSends!();
    expect((await pool.run(send('email', 'held'))).result).toMatchObject({ status: 'failed', retryable: true, code: SENDS_HELD_CODE });
    await pool.close();
    expect((await pool.run(send('email', 'late'))).result).toMatchObject({ status: 'failed', retryable: true, code: SHUTDOWN_CODE });
  });

  it('fails to start with every plugin problem, as the worker pool does', async () => {
    const bad = makeGraph({ email: { use: './plugins/plain', message: 'email', config: { host: '${NOT_SET_HOST}' } } });
    const start = createInProcessPool({ projectRoot: root, graph: bad, env: {}, logLevel: 'silent' });
    await expect(start).rejects.toThrow(PluginStartupError);
    await expect(start).rejects.toThrow('channel "email": config.host: the environment variable NOT_SET_HOST is not set');
  });
});
