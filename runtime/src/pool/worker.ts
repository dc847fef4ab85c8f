/**
 * The piscina worker entry (compiled to dist/pool/worker.js). Each worker thread loads the
 * project's plugins once, at startup, and then runs batches of tasks. With a `port`, each
 * result is posted the moment it is ready, so a quick send is not held back by the slowest of
 * its batch (that wait would widen the window in which a crash repeats a finished send).
 */
import type { MessagePort } from 'node:worker_threads';
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import type { CloseMessage, PoolResult, PoolTask, WorkerConfig } from './pool-tasks.js';
import { createTaskRunner } from './task-runner.js';

export interface WorkerBatch {
  readonly tasks: readonly PoolTask[];
  /** Where to post `[[index, result], ...]` as tasks finish, ending with `[-1, null]`. */
  readonly port?: MessagePort;
}

const config = workerData as WorkerConfig;
const runner = createTaskRunner(config, threadId);

// Shutdown: the pool broadcasts {kind:'close'}; this thread closes its plugins (each within the
// close timeout, failures logged by the plugin host) and answers {kind:'closed'}. The channel
// is unref'd: it never keeps the thread alive by itself. 'hello' tells a pool that is already
// closing that this thread subscribed after its request went out (a late start, a replacement).
if (config.closeChannel !== undefined) {
  const channel = new BroadcastChannel(config.closeChannel);
  channel.onmessage = (event) => {
    if ((event.data as CloseMessage | null)?.kind !== 'close') return;
    void (async () => {
      try {
        await (await runner).close();
      } catch {
        // The runner's close never rejects; answer anyway, so the pool does not wait for nothing.
      }
      channel.postMessage({ kind: 'closed', threadId } satisfies CloseMessage);
    })();
  };
  channel.unref();
  channel.postMessage({ kind: 'hello', threadId } satisfies CloseMessage);
}

export default async function runBatch(batch: WorkerBatch): Promise<PoolResult[] | null> {
  const { tasks, port } = batch;
  if (!port) return (await runner).run(tasks);
  // Results finished in the same turn of this thread's event loop travel in one message: a
  // message costs the scheduler's thread an event dispatch, and sends of one batch to a fast
  // provider finish together. Nothing waits longer than that turn.
  let ready: [number, PoolResult | null][] = [];
  const post = () => {
    if (ready.length === 0) return;
    port.postMessage(ready);
    ready = [];
  };
  try {
    await (await runner).run(tasks, (index, result) => {
      if (ready.length === 0) setImmediate(post);
      ready.push([index, result]);
    });
    return null;
  } finally {
    // The end marker: messages on one port arrive in order, so every result is in before it.
    ready.push([-1, null]);
    post();
    port.close();
  }
}
