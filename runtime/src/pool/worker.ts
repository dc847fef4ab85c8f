/**
 * The piscina worker entry (compiled to dist/pool/worker.js). Each worker thread loads the
 * project's plugins once, at startup, and then runs batches of tasks. With a `port`, each
 * result is posted the moment it is ready, so a quick send is not held back by the slowest of
 * its batch (that wait would widen the window in which a crash repeats a finished send).
 */
import type { MessagePort } from 'node:worker_threads';
import { threadId, workerData } from 'node:worker_threads';
import type { PoolResult, PoolTask, WorkerConfig } from './pool-tasks.js';
import { createTaskRunner } from './task-runner.js';

export interface WorkerBatch {
  readonly tasks: readonly PoolTask[];
  /** Where to post `[index, result]` as each task finishes, then `[-1, null]`. */
  readonly port?: MessagePort;
}

const runner = createTaskRunner(workerData as WorkerConfig, threadId);

export default async function runBatch(batch: WorkerBatch): Promise<PoolResult[] | null> {
  const { tasks, port } = batch;
  if (!port) return (await runner).run(tasks);
  try {
    await (await runner).run(tasks, (index, result) => port.postMessage([index, result]));
    return null;
  } finally {
    // The end marker: messages on one port arrive in order, so every result is in before it.
    port.postMessage([-1, null]);
    port.close();
  }
}
