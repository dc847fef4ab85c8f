/**
 * The worker pool: piscina threads that render templates and call plugins, so a slow or
 * crashing plugin never blocks the scheduler. Tasks travel in batches (one piscina task =
 * many Herald tasks, run concurrently in the worker), because a thread hop costs tens of
 * microseconds and at 20,000 messages/s the hop must not dominate; `run(task)` batches
 * automatically: tasks submitted in the same turn of the event loop share a hop.
 *
 * Tasks of a batch complete one by one: each result streams back the moment it is ready, and
 * a batch holds a slot of its thread (`concurrentBatchesPerWorker`) only while the thread does
 * its CPU work (rendering, calling into the plugins), not while the calls wait on providers.
 * So one thread has any number of calls waiting at once, and a provider that hangs holds only
 * its own calls: each is answered "timeout after <ms>" (retryable) at its own deadline, by the
 * worker (plugins-host/call-plugin.ts), while the thread goes on serving other channels and
 * queries. Query, render and ping batches queue ahead of send batches when every slot is busy.
 *
 * Failures are values here too. A worker thread is stopped only when it stops answering: when
 * a batch outlives its deadline the pool probes the batch's thread, and a thread that cannot
 * answer within `batchGraceMs` (a plugin stuck in a synchronous loop) is terminated and
 * replaced, its tasks answered "timeout"; a worker that dies (a plugin calling process.exit) is
 * replaced by piscina and its tasks answered "worker crashed" — all retryable, so the delivery
 * machine retries them.
 *
 * `close()` lets the batches already in a worker finish, then asks every worker thread to
 * close the plugin instances it created (`closeWorkerPlugins`), and only then stops the threads.
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel, MessageChannel } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GraphIR, TemplateIR } from '@herald/dsl';
import { Piscina, queueOptionsSymbol, type TaskQueue } from 'piscina';
import { builtSibling } from '../built-sibling.js';
import { SHUTDOWN_CODE } from '../plugins-host/call-plugin.js';
import { PluginStartupError } from '../plugins-host/plugin-host.js';
import { loggerFor, type LogFormat } from '../plugins-host/plugin-logger.js';
import { FLAG_CLOSING, FLAG_HOLD_SENDS, POOL_CLOSED_REASON, SENDS_HELD_CODE, SENDS_HELD_REASON } from './pool-tasks.js';
import type { CloseMessage, PoolResult, PoolTask, ResultFor, WorkerConfig, WorkerGraph } from './pool-tasks.js';
import type { WorkerBatch } from './worker.js';
import { failureFor } from './task-runner.js';

export interface WorkerPoolOptions {
  readonly projectRoot: string;
  /** The current graph: its channels and sources are loaded in every worker, its templates rendered. */
  readonly graph: GraphIR;
  /** Worker threads; default: the machine's available parallelism. */
  readonly threads?: number;
  /**
   * Batches one worker thread takes at once while they are in their CPU part (rendering,
   * calling into the plugins); default 4. Calls waiting on a provider hold no slot: a thread
   * has any number of them in flight.
   */
  readonly concurrentBatchesPerWorker?: number;
  /** Most tasks in one batch; default 64. */
  readonly batchSize?: number;
  /** Per send (render + plugin call); default 30 s. */
  readonly sendTimeoutMs?: number;
  /** Per query; default 10 s. */
  readonly queryTimeoutMs?: number;
  /**
   * How long past its deadline a batch may go unanswered before the pool probes its thread, and
   * how long the thread then has to answer before it is stopped as stuck; default 5 s.
   */
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
  /** Plugins' and the pool's log level; default `warn`. */
  readonly logLevel?: WorkerConfig['logLevel'];
  /**
   * How plugins' (and the pool's) log lines look: `text` (default), one human-readable line each
   * on stderr (`2026-12-03T08:28:36.626Z WARN  [channel:sms] ...`); `json`, one JSON line each on
   * stdout in the shape of `herald start`'s pino logs, the plugin as a field (`"channel":"sms"`).
   */
  readonly logFormat?: LogFormat;
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
  /** Tasks handed to the worker threads and not answered yet (calls waiting on providers included). */
  readonly inFlight: number;
  /** Worker threads that died (a plugin calling process.exit, an uncaught error). */
  readonly crashes: number;
  /** Worker threads stopped because they stopped answering (a plugin stuck in a synchronous loop). */
  readonly timeouts: number;
  /** Batches waiting for a free slot of a thread. */
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
   * From now on no send starts a provider call (for a runtime that is stopping: it lets the jobs
   * in flight finish without sending more). Sends not yet calling their plugin — waiting in
   * this thread, in the pool's queue, or in a worker before their call — are answered at once
   * with a retryable failure of code `SENDS_HELD_CODE` (`isHeldSend`); so are sends asked for
   * later. Calls already under way go on; queries and renders still run. Always present on the
   * pool `createWorkerPool` makes; optional so that wrappers of a pool need not forward it.
   */
  holdSends?(): void;
  /**
   * Answers queued tasks `POOL_CLOSED_REASON` (code `SHUTDOWN_CODE`), waits for the batches
   * already in a worker, has every worker thread close its plugins (each within
   * `closeTimeoutMs`), then stops the threads.
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

/** What a task runner is started with (worker.ts, in-process-pool.ts); `flags` tell it the pool closes or holds its sends. */
export function workerConfig(options: WorkerPoolOptions, flags: Int32Array): WorkerConfig & { readonly closeTimeoutMs: number } {
  return {
    projectRoot: options.projectRoot,
    graph: workerGraph(options.graph),
    sendTimeoutMs: options.sendTimeoutMs ?? 30_000,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    logLevel: options.logLevel ?? 'warn',
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
    ...(options.messageIdDomain ? { messageIdDomain: options.messageIdDomain } : {}),
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    ...(options.unsubscribeSecret ? { unsubscribeSecret: options.unsubscribeSecret } : {}),
    ...(options.env ? { env: { ...options.env } } : {}),
    ...(options.sendJournalDir ? { sendJournalDir: options.sendJournalDir } : {}),
    closeTimeoutMs: Math.max(0, options.closeTimeoutMs ?? 5_000),
    flags,
  };
}

/** The templates for another graph version than the pool's, which its task runners do not hold. */
export function templateForVersion(poolVersion: string, version: string, template: string, graphOf: (version: string) => GraphIR | undefined): TemplateIR | undefined {
  return version === poolVersion ? undefined : graphOf(version)?.templates[template];
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

/** What the pool knows of one batch while it is in flight; piscina carries it beside the task (`queueOptionsSymbol`), unsent. */
interface BatchMeta {
  /** Batches of sends queue behind every other kind (queries, renders, pings) when all threads are busy. */
  readonly lane: 'send' | 'other';
  /** The thread piscina gave the batch to (set by the balancer); undefined while it waits in piscina's queue. */
  threadId?: number;
}

const metaOf = (task: { readonly [queueOptionsSymbol]: object | null }): BatchMeta | null => task[queueOptionsSymbol] as BatchMeta | null;

type QueuedTask = Parameters<TaskQueue['push']>[0];

/**
 * Piscina's queue, in two lanes: a batch that is not all sends (a data-source query, a render, a
 * ping) goes ahead of waiting send batches, so lookups do not wait behind a backlog of sends.
 */
class LaneQueue implements TaskQueue {
  private readonly first: QueuedTask[] = [];
  private readonly sends: QueuedTask[] = [];
  get size(): number {
    return this.first.length + this.sends.length;
  }
  private laneOf(task: QueuedTask): QueuedTask[] {
    return (task[queueOptionsSymbol] as BatchMeta | null)?.lane === 'send' ? this.sends : this.first;
  }
  push(task: QueuedTask): void {
    this.laneOf(task).push(task);
  }
  unshift(task: QueuedTask): void {
    this.laneOf(task).unshift(task);
  }
  shift(): QueuedTask | null {
    return this.first.shift() ?? this.sends.shift() ?? null;
  }
  remove(task: QueuedTask): void {
    const lane = this.laneOf(task);
    const at = lane.indexOf(task);
    if (at >= 0) lane.splice(at, 1);
  }
}

export async function createWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 64);
  const batchesPerWorker = Math.max(1, options.concurrentBatchesPerWorker ?? 4);
  const graceMs = options.batchGraceMs ?? 5_000;
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  const closeChannel = `herald-pool-close:${randomUUID()}`;
  const flags = new Int32Array(new SharedArrayBuffer(8));
  // The defaults the task runners get, read back from their config rather than written twice.
  const config = { ...workerConfig(options, flags), closeChannel };
  const { sendTimeoutMs, queryTimeoutMs, closeTimeoutMs } = config;
  const log = loggerFor(config.logLevel, options.logFormat);

  let batches = 0;
  let tasksRun = 0;
  let tasksInFlight = 0;
  let crashes = 0;
  let timeouts = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Batches handed to piscina and not yet answered: close() waits for them before closing plugins. */
  const inFlight = new Set<Promise<void>>();
  /** Threads this pool stopped because they stopped answering (their exit is no crash). */
  const stopped = new Set<number>();
  /** How each thread that exited ended, for the answer to the tasks it took with it. */
  const exits = new Map<number, string>();

  const piscina = new Piscina<WorkerBatch, void | PoolResult[]>({
    filename: pathToFileURL(workerEntry()).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // A slot is held only while a batch is in its CPU part (worker.ts): a batch whose calls wait
    // on a provider, or hang, holds none. No task carries an abort signal: piscina gives a
    // thread running an abortable task no other task, which made every batch hold a whole thread.
    concurrentTasksPerWorker: batchesPerWorker,
    taskQueue: new LaneQueue(),
    // A batch the balancer could not place goes back to the front of its lane, not the back.
    stricterFIFO: true,
    // The least busy thread, as piscina's own balancer picks it, noting which thread took the
    // batch: if the batch then outlives its deadline, that thread is the one to ask (`isAlive`).
    loadBalancer: (task, workers) => {
      let best: (typeof workers)[number] | null = null;
      for (const worker of workers) {
        if (worker.terminating || worker.destroyed || stopped.has(worker.id) || worker.currentUsage >= batchesPerWorker) continue;
        if (best === null || worker.currentUsage < best.currentUsage) best = worker;
        if (worker.currentUsage === 0) break;
      }
      const meta = metaOf(task);
      if (best !== null && meta !== null) meta.threadId = best.id;
      return best;
    },
    // Plugins own sockets and timers (an SMTP pool's keep-alive, a log file's flush): an idle
    // worker must keep running its event loop, not block in Atomics.wait between tasks.
    atomics: 'async',
    workerData: config,
  });
  // A worker that dies while idle is reported as an 'error' event; without a listener it would
  // crash the process. Its exit is counted below.
  piscina.on('error', () => {});
  piscina.on('workerCreate', (created: { readonly id: number }) => {
    const id = created.id;
    piscina.threads
      .find((w) => w.threadId === id)
      ?.once('exit', (code: number) => {
        exits.set(id, `worker exited with code: ${code}`);
        if (!closed && !stopped.has(id)) crashes++;
      });
  });

  const limitOf = (tasks: readonly PoolTask[]): number => {
    let longest = 1_000;
    for (const t of tasks) {
      const limit = t.kind === 'send' || t.kind === 'callback' ? sendTimeoutMs : t.kind === 'query' ? queryTimeoutMs : t.kind === 'ping' ? startupTimeoutMs : 10_000;
      if (limit > longest) longest = limit;
    }
    return longest;
  };

  // Liveness: a thread is stuck when its event loop cannot answer a probe within `graceMs` (a
  // plugin in a synchronous loop). Only then is it stopped; a thread whose calls merely wait
  // on a provider answers at once. One probe round at a time, for every thread that is asked about.
  let health: BroadcastChannel | undefined;
  let probeTimer: NodeJS.Timeout | undefined;
  const answeredProbe = new Set<number>();
  const aliveWaiters = new Map<number, ((alive: boolean) => void)[]>();
  const isAlive = (threadId: number): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      if (probeTimer !== undefined && answeredProbe.has(threadId)) return resolve(true);
      const waiters = aliveWaiters.get(threadId) ?? [];
      waiters.push(resolve);
      aliveWaiters.set(threadId, waiters);
      if (probeTimer !== undefined) return;
      if (health === undefined) {
        health = new BroadcastChannel(closeChannel);
        health.unref();
        health.onmessage = (event) => {
          const message = event.data as CloseMessage | null;
          if (message?.kind !== 'alive') return;
          answeredProbe.add(message.threadId);
          const answered = aliveWaiters.get(message.threadId);
          aliveWaiters.delete(message.threadId);
          for (const w of answered ?? []) w(true);
        };
      }
      answeredProbe.clear();
      health.postMessage({ kind: 'probe' } satisfies CloseMessage);
      probeTimer = setTimeout(() => {
        probeTimer = undefined;
        const silent = [...aliveWaiters.values()];
        aliveWaiters.clear();
        for (const waiters of silent) for (const w of waiters) w(false);
      }, graceMs);
    });

  const stopThread = (threadId: number, why: string): void => {
    if (stopped.has(threadId)) return;
    const worker = piscina.threads.find((w) => w.threadId === threadId);
    if (!worker) return; // gone already: its batches are answered by their ports' close
    stopped.add(threadId);
    timeouts++;
    log.warn(`worker pool: worker thread ${threadId} did not answer for ${graceMs}ms (${why}); stopping it, its tasks fail as retryable and a new thread replaces it`);
    void worker.terminate();
  };

  /**
   * One piscina task for `tasks`. Results stream back through a MessageChannel as each task
   * finishes (`settle(index, result)`); the piscina task itself ends once the worker is past the
   * tasks' CPU part (the "ack"). Resolves once every task is answered. Whatever is unanswered
   * when the batch ends badly is answered with a retryable failure: its thread crashed, or was
   * stopped because it stopped answering (checked when the batch outlives its deadline).
   */
  const dispatch = (tasks: readonly PoolTask[], settle: (index: number, result: PoolResult) => void): Promise<void> => {
    const batch = new Promise<void>((finished) => dispatchBatch(tasks, settle, finished));
    inFlight.add(batch);
    void batch.then(() => inFlight.delete(batch));
    return batch;
  };

  const dispatchBatch = (tasks: readonly PoolTask[], settle: (index: number, result: PoolResult) => void, finished: () => void): void => {
    const settled = new Array<boolean>(tasks.length).fill(false);
    let left = tasks.length;
    let timer: NodeJS.Timeout | undefined;
    let port: MessagePort | undefined;
    const answer = (index: number, result: PoolResult) => {
      if (settled[index]) return;
      settled[index] = true;
      left--;
      tasksInFlight--;
      settle(index, result);
      if (left === 0) {
        clearTimeout(timer);
        port?.close();
        finished();
      }
    };
    const answerRest = (reason: string, code: string) => tasks.forEach((t, i) => answer(i, failureFor(t, reason, code)));
    tasksInFlight += tasks.length;
    if (tasks.length === 0) return finished();
    if (closed) return answerRest(POOL_CLOSED_REASON, SHUTDOWN_CODE);
    batches++;
    tasksRun += tasks.length;
    const limitMs = limitOf(tasks);
    const dispatchedAt = Date.now();
    const meta: BatchMeta = { lane: tasks.every((t) => t.kind === 'send') ? 'send' : 'other' };
    let ackedAt: number | undefined;
    let overdue = false;
    let extensions = 0;

    /** The batch's thread is gone (crashed, or stopped by `stopThread`) with tasks unanswered. */
    const lost = (error?: Error) => {
      if (left === 0) return;
      const id = meta.threadId;
      if (id !== undefined && stopped.has(id)) {
        answerRest(overdue ? `timeout after ${limitMs}ms (the worker was stopped: it stopped answering)` : 'the worker was stopped: a plugin blocked its thread', 'TIMEOUT');
      } else if (closed) {
        answerRest(POOL_CLOSED_REASON, SHUTDOWN_CODE);
      } else {
        answerRest(`worker crashed: ${error?.message ?? (id !== undefined ? exits.get(id) : undefined) ?? 'its thread exited'}`, 'WORKER_CRASHED');
      }
    };

    const channel = new MessageChannel();
    port = channel.port1;
    port.on('message', (ready: readonly [number, PoolResult | null][]) => {
      for (const [index, result] of ready) if (index >= 0) answer(index, result!);
    });
    // Both ends close when the worker's thread exits: the tasks it took with it are answered now.
    // (After a normal end every task is answered before the close: results precede the end marker.)
    port.on('close', () => {
      // A thread's exit reaches its ports before its 'exit' event: a moment for the cause.
      if (left > 0) setTimeout(() => lost(), 20);
    });

    // The watchdog. Every call is answered by the worker at its own deadline (call-plugin.ts),
    // so a batch is overdue only if its thread stopped running its event loop, or if it waited
    // in piscina's queue all that time. The first: the thread cannot answer a probe and is
    // stopped. The second: answered here; the worker refuses it should it still arrive (startBy).
    const watch = (ms: number) => {
      timer = setTimeout(() => void check(), ms);
    };
    const check = async () => {
      if (left === 0) return;
      if (ackedAt !== undefined) {
        // Every call had started by the ack: each is due by then plus its time limit.
        const due = ackedAt + limitMs + graceMs;
        if (Date.now() < due) return watch(due - Date.now());
      }
      const id = meta.threadId;
      if (id === undefined) return answerRest(`timeout after ${limitMs}ms: no worker thread was free (not started)`, 'TIMEOUT');
      overdue = true;
      const alive = await isAlive(id);
      if (left === 0) return;
      if (!alive) {
        stopThread(id, ackedAt === undefined ? 'a batch never got past its CPU part' : 'a batch outlived its deadline');
        // Its ports' close answers the batch; should that not come, this does.
        timer = setTimeout(() => lost(new Error('its thread is gone')), 2_000);
        return;
      }
      // Alive, yet unanswered. Before the ack: the thread is still starting (creating plugins) or
      // rendering; wait a little more. After it: the worker lost the tasks; stop waiting for them.
      if (ackedAt === undefined && extensions++ < 3) return watch(graceMs);
      answerRest(`timeout after ${limitMs}ms (no answer from the worker)`, 'TIMEOUT');
    };
    watch(limitMs + graceMs);

    const payload: WorkerBatch & { [queueOptionsSymbol]: BatchMeta } = {
      tasks,
      port: channel.port2,
      startBy: dispatchedAt + limitMs,
      [queueOptionsSymbol]: meta,
    };
    piscina.run(payload, { transferList: [channel.port2] }).then(
      () => {
        ackedAt = Date.now();
      },
      (error: Error) => lost(error),
    );
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
    // Sends in batches of their own: their lane in piscina's queue is the last (LaneQueue). One
    // pass splits them off; each lane keeps the order of submission, the others' batches go first.
    const others: typeof taken = [];
    const sends: typeof taken = [];
    for (const p of taken) (p.task.kind === 'send' ? sends : others).push(p);
    for (const lane of [others, sends]) {
      for (let i = 0; i < lane.length; i += batchSize) {
        const chunk = lane.slice(i, i + batchSize);
        void dispatch(
          chunk.map((p) => p.task),
          (j, result) => chunk[j]!.settle(result),
        );
      }
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
  const channelLanes = new Map<string, { active: number; waiting: { task: PoolTask; settle: (r: PoolResult) => void }[] }>();
  const submitLimited = (entry: { task: PoolTask; settle: (r: PoolResult) => void }, channel: string) => {
    let lane = channelLanes.get(channel);
    if (!lane) channelLanes.set(channel, (lane = { active: 0, waiting: [] }));
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

  // holdSends(): sends that have not reached a worker are answered here, the others by the worker
  // (FLAG_HOLD_SENDS, checked just before each plugin call).
  let holding = false;
  const held = (task: PoolTask): PoolResult => failureFor(task, SENDS_HELD_REASON, SENDS_HELD_CODE);
  const holdSends = () => {
    if (holding) return;
    holding = true;
    Atomics.store(flags, FLAG_HOLD_SENDS, 1);
    const stay: typeof pending = [];
    for (const p of pending) {
      if (p.task.kind === 'send') p.settle(held(p.task));
      else stay.push(p);
    }
    pending = stay;
    for (const lane of channelLanes.values()) for (const e of lane.waiting.splice(0)) e.settle(held(e.task));
  };

  const run = <T extends PoolTask>(task: T): Promise<ResultFor<T>> => {
    if (holding && task.kind === 'send') return Promise.resolve(held(task) as ResultFor<T>);
    return new Promise<ResultFor<T>>((settle) => {
      const entry = { task: task as PoolTask, settle: settle as (r: PoolResult) => void };
      if (sendLimit > 0 && task.kind === 'send') submitLimited(entry, task.channel);
      else submit(entry);
    });
  };

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
    templateFor: (version, template, graphOf) => templateForVersion(options.graph.version, version, template, graphOf),
    stats() {
      return { threads, batches, tasks: tasksRun, inFlight: tasksInFlight, crashes, timeouts, queued: piscina.queueSize, utilization: piscina.utilization };
    },
    holdSends,
    close() {
      closing ??= (async () => {
        closed = true;
        // From now on a batch that reaches a worker is answered SHUTDOWN_CODE without running (worker.ts):
        // no provider call starts once close() has begun.
        Atomics.store(flags, FLAG_CLOSING, 1);
        // Tasks not yet handed to a worker are answered POOL_CLOSED_REASON (dispatch).
        if (pending.length > 0) flush();
        // Batches already in a worker still use its plugins: let them finish first (each call is
        // bounded by its own deadline, and a thread that stops answering is stopped), so that
        // closing the plugins does not abort sends that were about to succeed.
        await Promise.allSettled([...inFlight]);
        await closeWorkerPlugins();
        clearTimeout(probeTimer);
        health?.close();
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
