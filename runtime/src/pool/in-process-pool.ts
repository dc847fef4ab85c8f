/**
 * A WorkerPool that runs its tasks on the calling thread, with the task runner the worker
 * threads use (task-runner.ts): the same plugin host, rendering, deadlines and results, and no
 * thread to start. For journey tests (`herald test`, `inProcess` in the runtime's pool settings),
 * where every test has a runtime of its own: starting a worker thread and loading the plugins
 * in it took ~150 ms of a test's ~160 (docs/testing.md, "How it works").
 *
 * What it gives up is what the threads are for in production: a plugin stuck in a synchronous
 * loop blocks the runtime, one that crashes its thread takes the process with it, and rendering
 * shares the runtime's core. Tests run Herald's own capture channel and fixture sources.
 */
import { threadId } from 'node:worker_threads';
import { PluginStartupError } from '../plugins-host/plugin-host.js';
import { FLAG_CLOSING, FLAG_HOLD_SENDS, POOL_CLOSED_REASON, type PoolResult, type PoolTask, type ResultFor } from './pool-tasks.js';
import { SHUTDOWN_CODE } from '../plugins-host/call-plugin.js';
import { createTaskRunner, failureFor } from './task-runner.js';
import { templateForVersion, workerConfig, type WorkerPool, type WorkerPoolOptions } from './worker-pool.js';

export async function createInProcessPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const runner = await createTaskRunner(workerConfig(options, flags), threadId);
  if (runner.problems.length > 0) {
    await runner.close();
    throw new PluginStartupError(runner.problems);
  }
  let batches = 0;
  let tasksRun = 0;
  let inFlight = 0;
  const running = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  /** Never rejects: a task the runner could not answer gets a failure of its kind. */
  const runTasks = async (tasks: readonly PoolTask[]): Promise<PoolResult[]> => {
    if (closing !== undefined) return tasks.map((t) => failureFor(t, POOL_CLOSED_REASON, SHUTDOWN_CODE));
    batches++;
    tasksRun += tasks.length;
    inFlight += tasks.length;
    const done = runner.run(tasks).catch((error: unknown) => tasks.map((t) => failureFor(t, `worker error: ${(error as Error).message}`)));
    running.add(done);
    try {
      return await done;
    } finally {
      running.delete(done);
      inFlight -= tasks.length;
    }
  };

  return {
    graphVersion: options.graph.version,
    threads: 0,
    run: async <T extends PoolTask>(task: T) => (await runTasks([task]))[0] as ResultFor<T>,
    runBatch: async <T extends PoolTask>(tasks: readonly T[]) => (await runTasks(tasks)) as ResultFor<T>[],
    templateFor: (version, template, graphOf) => templateForVersion(options.graph.version, version, template, graphOf),
    stats: () => ({ threads: 0, batches, tasks: tasksRun, inFlight, crashes: 0, timeouts: 0, queued: 0, utilization: 0 }),
    // The runner reads the flag before each plugin call, as a worker thread does.
    holdSends() {
      Atomics.store(flags, FLAG_HOLD_SENDS, 1);
    },
    close() {
      closing ??= (async () => {
        Atomics.store(flags, FLAG_CLOSING, 1);
        await Promise.allSettled([...running]);
        await runner.close();
      })();
      return closing;
    },
  };
}
