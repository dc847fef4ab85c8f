/**
 * The worker pool: piscina threads that render templates and call plugins, so a slow or
 * crashing plugin never blocks the scheduler. Tasks travel in batches (one piscina task =
 * many Herald tasks, run concurrently in the worker), because a thread hop costs tens of
 * microseconds and at 20,000 messages/s the hop must not dominate; `run(task)` batches
 * automatically: tasks submitted in the same turn of the event loop share a hop.
 *
 * Failures are values here too: a batch that outlives its deadline (a plugin stuck in a
 * synchronous loop) has its worker terminated and every task answered "timeout"; a worker that
 * dies (a plugin calling process.exit) is replaced by piscina and its tasks answered
 * "worker crashed" — both retryable, so the delivery machine retries them.
 *
 * `close()` lets the batches already in a worker finish, then asks every worker thread to
 * close the plugin instances it created (`closeWorkerPlugins`), and only then stops the threads.
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel, MessageChannel } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GraphIR, TemplateIR } from '@herald/dsl';
import { Piscina } from 'piscina';
import { builtSibling } from '../built-sibling.js';
import { PluginStartupError } from '../plugins-host/plugin-host.js';
import { consoleLogger, silentLogger } from '../plugins-host/plugin-logger.js';
import type { CloseMessage, PoolResult, PoolTask, ResultFor, WorkerConfig, WorkerGraph } from './pool-tasks.js';
import type { WorkerBatch } from './worker.js';
import { failureFor } from './task-runner.js';

export interface WorkerPoolOptions {
  readonly projectRoot: string;
  /** The current graph: its channels and sources are loaded in every worker, its templates rendered. */
  readonly graph: GraphIR;
  /** Worker threads; default: the machine's available parallelism. */
  readonly threads?: number;
  /** Batches one worker runs at once; default 4 (sends mostly wait on the network). */
  readonly concurrentBatchesPerWorker?: number;
  /** Most tasks in one batch; default 64. */
  readonly batchSize?: number;
  /** Per send (render + plugin call); default 30 s. */
  readonly sendTimeoutMs?: number;
  /** Per query; default 10 s. */
  readonly queryTimeoutMs?: number;
  /** How long past its longest task's deadline a batch may run before its worker is terminated; default 5 s. */
  readonly batchGraceMs?: number;
  /** Plugin startup (create) in a worker; default 60 s. */
  readonly startupTimeoutMs?: number;
  /**
   * Per plugin `close()` when the pool closes; default 5 s. A worker closes all its plugins at
   * once, so `close()` waits about this long for them at most (plus `CLOSE_ANSWER_SLACK_MS` for
   * a worker that cannot answer), then stops the threads anyway. Failures are logged, not thrown.
   */
  readonly closeTimeoutMs?: number;
  readonly messageIdDomain?: string;
  readonly publicBaseUrl?: string;
  readonly unsubscribeSecret?: string;
  readonly logLevel?: WorkerConfig['logLevel'];
  /** Environment for `${VAR}` in plugin config; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Keep a send journal there (send-journal.ts); the orchestrator replays it at startup. */
  readonly sendJournalDir?: string;
  /**
   * Sends in flight at once per channel, across all workers; default unlimited. For providers
   * that limit concurrent connections. It is also the most messages a crash can catch inside a
   * provider call on that channel, each of which may be sent again (with the same Message-ID).
   * Sends over the limit wait in this thread, not in a worker, so their deadline has not begun.
   */
  readonly maxSendsInFlightPerChannel?: number;
}

export interface PoolStats {
  readonly threads: number;
  readonly batches: number;
  readonly tasks: number;
  /** Batches lost to a dying worker. */
  readonly crashes: number;
  /** Batches that outlived their deadline. */
  readonly timeouts: number;
  readonly queued: number;
  readonly utilization: number;
}

export interface WorkerPool {
  /** The graph version whose templates the workers hold. */
  readonly graphVersion: string;
  readonly threads: number;
  /** One task; batched with the others submitted in the same turn of the event loop. Never rejects. */
  run<T extends PoolTask>(task: T): Promise<ResultFor<T>>;
  /** Many tasks, in batches of `batchSize`; results in task order. Never rejects. */
  runBatch<T extends PoolTask>(tasks: readonly T[]): Promise<ResultFor<T>[]>;
  /** Adds the template to a task when the instance runs on another graph version than the pool's. */
  templateFor(version: string, template: string, graphOf: (version: string) => GraphIR | undefined): TemplateIR | undefined;
  stats(): PoolStats;
  /**
   * Answers queued tasks "SHUTDOWN", waits for the batches already in a worker, has every
   * worker thread close its plugins (each within `closeTimeoutMs`), then stops the threads.
   * Never rejects; a second call returns the same promise.
   */
  close(): Promise<void>;
}

/** How long past `closeTimeoutMs` the pool waits for a worker's "closed" answer (a thread busy in a synchronous loop never answers). */
export const CLOSE_ANSWER_SLACK_MS = 1_000;

/** The compiled worker entry (built-sibling.ts). */
export function workerEntry(): string {
  return builtSibling(import.meta.url, 'worker.js');
}

function workerGraph(graph: GraphIR): WorkerGraph {
  return {
    version: graph.version,
    defaults: { locale: graph.project.defaults.locale },
    channels: graph.channels,
    sources: graph.sources,
    templates: graph.templates,
  };
}

export async function createWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 64);
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
  const graceMs = options.batchGraceMs ?? 5_000;
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  const closeTimeoutMs = Math.max(0, options.closeTimeoutMs ?? 5_000);
  const closeChannel = `herald-pool-close:${randomUUID()}`;
  const log = options.logLevel === 'silent' ? silentLogger : consoleLogger(options.logLevel ?? 'warn');
  const config: WorkerConfig = {
    projectRoot: options.projectRoot,
    graph: workerGraph(options.graph),
    sendTimeoutMs,
    queryTimeoutMs,
    logLevel: options.logLevel ?? 'warn',
    ...(options.messageIdDomain ? { messageIdDomain: options.messageIdDomain } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    ...(options.unsubscribeSecret ? { unsubscribeSecret: options.unsubscribeSecret } : {}),
    ...(options.env ? { env: { ...options.env } } : {}),
    ...(options.sendJournalDir ? { sendJournalDir: options.sendJournalDir } : {}),
    closeTimeoutMs,
    closeChannel,
  };
  const piscina = new Piscina<WorkerBatch, PoolResult[] | null>({
    filename: pathToFileURL(workerEntry()).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: Math.max(1, options.concurrentBatchesPerWorker ?? 4),
    // Plugins own sockets and timers (an SMTP pool's keep-alive, a log file's flush): an idle
    // worker must keep running its event loop, not block in Atomics.wait between tasks.
    atomics: 'async',
    workerData: config,
  });
  // A worker that dies while idle is reported as an 'error' event; without a listener it would crash the process.
  piscina.on('error', () => {
    crashes++;
  });

  let batches = 0;
  let tasksRun = 0;
  let crashes = 0;
  let timeouts = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Batches handed to piscina and not yet answered: close() waits for them before closing plugins. */
  const inFlight = new Set<Promise<void>>();

  const deadlineOf = (tasks: readonly PoolTask[]): number => {
    let longest = 1_000;
    for (const t of tasks) {
      const limit = t.kind === 'send' ? sendTimeoutMs : t.kind === 'query' ? queryTimeoutMs : t.kind === 'ping' ? startupTimeoutMs : 10_000;
      if (limit > longest) longest = limit;
    }
    return longest + graceMs;
  };

  /**
   * One piscina task for `tasks`. Results stream back through a MessageChannel as each task
   * finishes (`settle(index, result)`); whatever is unsettled when the batch ends badly (a
   * crash, the deadline) is answered with a retryable failure.
   */
  const dispatch = (tasks: readonly PoolTask[], settle: (index: number, result: PoolResult) => void): Promise<void> => {
    const batch = dispatchBatch(tasks, settle);
    inFlight.add(batch);
    const forget = () => void inFlight.delete(batch);
    batch.then(forget, forget);
    return batch;
  };

  const dispatchBatch = async (tasks: readonly PoolTask[], settle: (index: number, result: PoolResult) => void): Promise<void> => {
    const settled = new Array<boolean>(tasks.length).fill(false);
    let left = tasks.length;
    const answer = (index: number, result: PoolResult) => {
      if (settled[index]) return;
      settled[index] = true;
      left--;
      settle(index, result);
    };
    const answerRest = (reason: string, code: string) => tasks.forEach((t, i) => answer(i, failureFor(t, reason, code)));
    if (closed) return answerRest('the worker pool is closed', 'SHUTDOWN');
    batches++;
    tasksRun += tasks.length;
    const limitMs = deadlineOf(tasks);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timeout after ${limitMs}ms`)), limitMs);
    const { port1, port2 } = new MessageChannel();
    // The worker posts [-1, null] after its last result (one port keeps message order); the
    // piscina task's own answer travels on another channel and may arrive first.
    let ended: () => void = () => {};
    const drained = new Promise<void>((resolve) => (ended = resolve));
    port1.on('message', (ready: readonly [number, PoolResult | null][]) => {
      for (const [index, result] of ready) {
        if (index < 0) ended();
        else answer(index, result!);
      }
    });
    try {
      await piscina.run({ tasks, port: port2 }, { signal: controller.signal, transferList: [port2] });
      if (left > 0) await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (left > 0) answerRest('the worker returned no result', 'WORKER');
    } catch (error) {
      if (controller.signal.aborted) {
        timeouts++;
        answerRest(`timeout after ${limitMs}ms (the worker was stopped)`, 'TIMEOUT');
      } else if (closed) {
        answerRest('the worker pool is closed', 'SHUTDOWN');
      } else {
        crashes++;
        answerRest(`worker crashed: ${(error as Error).message}`, 'WORKER_CRASHED');
      }
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  };

  const collect = async (tasks: readonly PoolTask[]): Promise<PoolResult[]> => {
    const results = new Array<PoolResult>(tasks.length);
    await dispatch(tasks, (i, r) => {
      results[i] = r;
    });
    return results;
  };

  const runBatch = async <T extends PoolTask>(tasks: readonly T[]): Promise<ResultFor<T>[]> => {
    if (tasks.length <= batchSize) return (await collect(tasks)) as ResultFor<T>[];
    const chunks: T[][] = [];
    for (let i = 0; i < tasks.length; i += batchSize) chunks.push(tasks.slice(i, i + batchSize));
    return (await Promise.all(chunks.map((c) => collect(c)))).flat() as ResultFor<T>[];
  };

  // Micro-batching for run(): collect what arrives in one turn of the event loop.
  let pending: { task: PoolTask; settle: (r: PoolResult) => void }[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    const taken = pending;
    pending = [];
    for (let i = 0; i < taken.length; i += batchSize) {
      const chunk = taken.slice(i, i + batchSize);
      void dispatch(
        chunk.map((p) => p.task),
        (j, result) => chunk[j]!.settle(result),
      );
    }
  };

  const submit = (entry: { task: PoolTask; settle: (r: PoolResult) => void }) => {
    pending.push(entry);
    if (pending.length >= batchSize) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  // Per-channel send limit: a channel's sends beyond the limit wait here for a free slot.
  const sendLimit = options.maxSendsInFlightPerChannel !== undefined && options.maxSendsInFlightPerChannel > 0 ? options.maxSendsInFlightPerChannel : 0;
  const lanes = new Map<string, { active: number; waiting: { task: PoolTask; settle: (r: PoolResult) => void }[] }>();
  const submitLimited = (entry: { task: PoolTask; settle: (r: PoolResult) => void }, channel: string) => {
    let lane = lanes.get(channel);
    if (!lane) lanes.set(channel, (lane = { active: 0, waiting: [] }));
    const l = lane;
    const start = (e: { task: PoolTask; settle: (r: PoolResult) => void }) => {
      l.active++;
      submit({
        task: e.task,
        settle: (r) => {
          l.active--;
          const next = l.waiting.shift();
          if (next) start(next);
          e.settle(r);
        },
      });
    };
    if (l.active < sendLimit) start(entry);
    else l.waiting.push(entry);
  };

  const run = <T extends PoolTask>(task: T): Promise<ResultFor<T>> =>
    new Promise<ResultFor<T>>((settle) => {
      const entry = { task: task as PoolTask, settle: settle as (r: PoolResult) => void };
      if (sendLimit > 0 && task.kind === 'send') submitLimited(entry, task.channel);
      else submit(entry);
    });

  /**
   * Asks every worker thread to close the plugin instances it created, and waits for each
   * thread's answer, at most `closeTimeoutMs + CLOSE_ANSWER_SLACK_MS`. Never rejects: a thread
   * that does not answer in time (a plugin stuck in a synchronous loop, a thread still
   * starting) is logged and then stopped by `piscina.destroy()` like the others.
   *
   * Why a BroadcastChannel rather than one `{kind:'shutdown'}` piscina task per worker:
   * piscina has no way to address a task to a given worker. Its balancer gives a task to the
   * least busy worker, and with `concurrentTasksPerWorker` > 1 several shutdown tasks may land
   * on one thread while another gets none (a task that waited for the others to arrive could
   * deadlock on exactly that). Nor can we post to a worker directly: `worker.postMessage`
   * reaches piscina's own `parentPort` handler, which takes every message for its start-up
   * message. A BroadcastChannel (unique name per pool, given to the workers in workerData)
   * reaches every thread that listens, whatever its task slots hold, and each answer names
   * its thread, so we know which threads are done. We wait for the threads piscina has now,
   * drop a thread that exits, and add one that starts listening after the request went out
   * (it says `hello` and is asked again), so no thread is waited for in vain beyond the limit.
   */
  const closeWorkerPlugins = async (): Promise<void> => {
    const channel = new BroadcastChannel(closeChannel);
    const waiting = new Set<number>();
    const watched: [Worker, () => void][] = [];
    let allAnswered: () => void = () => {};
    const answered = new Promise<void>((resolve) => (allAnswered = resolve));
    const check = () => {
      if (waiting.size === 0) allAnswered();
    };
    const waitFor = (id: number) => {
      if (id < 0 || waiting.has(id)) return;
      const worker = piscina.threads.find((w) => w.threadId === id);
      if (!worker) return; // gone already
      waiting.add(id);
      const onExit = () => {
        waiting.delete(id);
        check();
      };
      worker.once('exit', onExit);
      watched.push([worker, onExit]);
    };
    channel.onmessage = (event) => {
      const message = event.data as CloseMessage | null;
      if (message?.kind === 'closed') {
        waiting.delete(message.threadId);
        check();
      } else if (message?.kind === 'hello') {
        waitFor(message.threadId);
        channel.postMessage({ kind: 'close' } satisfies CloseMessage);
      }
    };
    for (const worker of piscina.threads) waitFor(worker.threadId);
    channel.postMessage({ kind: 'close' } satisfies CloseMessage);
    check();
    const limitMs = closeTimeoutMs + CLOSE_ANSWER_SLACK_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limitMs)));
    try {
      if ((await Promise.race([answered, late])) === 'late') {
        log.warn(`worker pool: worker threads ${[...waiting].join(', ')} did not close their plugins within ${limitMs}ms; stopping them anyway`);
      }
    } finally {
      clearTimeout(timer);
      channel.close();
      for (const [worker, onExit] of watched) worker.off('exit', onExit);
    }
  };

  const pool: WorkerPool = {
    graphVersion: options.graph.version,
    threads,
    run,
    runBatch: <T extends PoolTask>(tasks: readonly T[]) =>
      sendLimit > 0 && tasks.some((t) => t.kind === 'send') ? Promise.all(tasks.map((t) => run(t))) : runBatch(tasks),
    templateFor(version, template, graphOf) {
      if (version === options.graph.version) return undefined;
      return graphOf(version)?.templates[template];
    },
    stats() {
      return { threads, batches, tasks: tasksRun, crashes, timeouts, queued: piscina.queueSize, utilization: piscina.utilization };
    },
    close() {
      closing ??= (async () => {
        closed = true;
        // Tasks not yet handed to a worker are answered "the worker pool is closed" (dispatch).
        if (pending.length > 0) flush();
        // Batches already in a worker still use its plugins: let them finish first (each is
        // bounded by its own deadline, past which piscina stops its worker), so that closing
        // the plugins does not abort sends that were about to succeed.
        await Promise.allSettled([...inFlight]);
        await closeWorkerPlugins();
        await piscina.destroy();
      })();
      return closing;
    },
  };
  // Every worker loads its plugins at startup; a ping per thread surfaces startup problems now, not at the first send.
  const pings = await Promise.all(Array.from({ length: threads }, () => collect([{ kind: 'ping', now: Date.now() }])));
  const problems = [...new Set(pings.flatMap((r) => (r[0]?.kind === 'ping' ? r[0].problems : [])))];
  if (problems.length > 0) {
    await pool.close();
    throw new PluginStartupError(problems);
  }
  return pool;
}
