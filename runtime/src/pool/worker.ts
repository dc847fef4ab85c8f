/**
 * The piscina worker entry (compiled to dist/pool/worker.js). Each worker thread loads the
 * project's plugins once, at startup, and then runs batches of tasks.
 *
 * With a `port`, each result is posted the moment it is ready, so a quick send is not held back
 * by the slowest of its batch (that wait would widen the window in which a crash repeats a
 * finished send), and the piscina task itself ends as soon as every task of the batch is past
 * its CPU part (rendered, its plugin called: task-runner.ts `start`). The thread's slot is then
 * free for the next batch while the batch's calls still wait on their providers: a provider that
 * hangs holds only its own calls, each answered at its own deadline (call-plugin.ts), never a
 * slot of the thread, and many calls wait at once on one thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import { SHUTDOWN_CODE } from '../plugins-host/call-plugin.js';
import { FLAG_CLOSING, POOL_CLOSED_REASON, type CloseMessage, type PoolResult, type PoolTask, type WorkerConfig } from './pool-tasks.js';
import { postResults, type ResultEntry } from './post-results.js';
import { createTaskRunner, failureFor } from './task-runner.js';

export interface WorkerBatch {
  readonly tasks: readonly PoolTask[];
  /** Where to post `[[index, result], ...]` as tasks finish, ending with `[-1, null]`. */
  readonly port?: MessagePort;
  /**
   * Epoch ms. A batch that reaches the thread later than this waited too long in the pool's
   * queue: its tasks are answered with a retryable timeout without running (the pool has given
   * up on them by then, so running them could only repeat a send).
   */
  readonly startBy?: number;
}

const config = workerData as WorkerConfig;
const runner = createTaskRunner(config, threadId);

// The pool's channel: {kind:'close'} asks this thread to close its plugins (each within the
// close timeout, failures logged by the plugin host), answered {kind:'closed'}; {kind:'probe'}
// asks whether this thread's event loop still runs, answered {kind:'alive'} at once. The
// channel is unref'd: it never keeps the thread alive by itself. 'hello' tells a pool that is
// already closing that this thread subscribed after its request went out (a late start, a replacement).
if (config.closeChannel !== undefined) {
  const channel = new BroadcastChannel(config.closeChannel);
  channel.onmessage = (event) => {
    const kind = (event.data as CloseMessage | null)?.kind;
    if (kind === 'probe') {
      channel.postMessage({ kind: 'alive', threadId } satisfies CloseMessage);
      return;
    }
    if (kind !== 'close') return;
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

/**
 * With a port: resolves (with nothing: the pool reads only the moment, its "ack") once every
 * task is past its CPU part; the results travel on the port. Without one (in-process use):
 * resolves with every result.
 */
export default async function runBatch(batch: WorkerBatch): Promise<void | PoolResult[]> {
  const { tasks, port } = batch;
  const taskRunner = await runner;
  if (!port) return taskRunner.run(tasks);
  // Results finished in the same turn of this thread's event loop travel in one message: a
  // message costs the scheduler's thread an event dispatch, and sends of one batch to a fast
  // provider finish together. Nothing waits longer than that turn.
  let ready: ResultEntry[] = [];
  const post = () => {
    if (ready.length === 0) return;
    const sending = ready;
    ready = [];
    postResults(port, sending, tasks);
  };
  const onResult = (index: number, result: PoolResult) => {
    if (ready.length === 0) setImmediate(post);
    ready.push([index, result]);
  };
  // The end marker: messages on one port arrive in order, so every result is in before it.
  const end = () => {
    ready.push([-1, null]);
    post();
    port.close();
  };
  const refused = refusal(batch);
  if (refused !== undefined) {
    tasks.forEach((task, index) => onResult(index, failureFor(task, refused[0], refused[1])));
    end();
    return;
  }
  const { started, done } = taskRunner.start(tasks, onResult);
  void done.then(end, end);
  await started;
}

/** Why a batch is not to run at all: the pool is closing, or the batch came too late. */
function refusal(batch: WorkerBatch): [reason: string, code: string] | undefined {
  if (config.flags !== undefined && Atomics.load(config.flags, FLAG_CLOSING) !== 0) return [POOL_CLOSED_REASON, SHUTDOWN_CODE];
  if (batch.startBy !== undefined && Date.now() > batch.startBy) return ['timeout: no worker thread was free in time (not started)', 'TIMEOUT'];
  return undefined;
}
