/**
 * The orchestrator: the I/O edge around the pure parts. It owns the scheduler loop, hands each
 * job to the handler of its kind (engine, delivery policy, worker pool, driver), validates and
 * queues incoming events, and implements what the HTTP API and the CLI may ask
 * (`HeraldRuntime`, runtime-api.ts).
 *
 *   const runtime = createRuntime({ driver, graph, projectRoot, log });
 *   await runtime.start();                 // saves the graph, makes it current, starts workers
 *   await runtime.ingest({ type: 'invoice.overdue', data: {...} });
 *   ...
 *   await runtime.stop();                  // stop reserving and sending, finish in-flight jobs, close
 */
import { timeOrderedId } from './time-ordered-id.js';
import { formatDuration, type GraphIR } from '@herald/dsl';
import type { PluginLogger } from '@herald/plugin-sdk';
import type { Delivery } from '../delivery/types.js';
import type { Driver, Job } from '../driver/driver.js';
import type { IncomingEvent, Instance } from '../engine/types.js';
import { silentLogger } from '../plugins-host/plugin-logger.js';
import { readSendJournals, removeSendJournals } from '../pool/send-journal.js';
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from '../pool/worker-pool.js';
import { createInProcessPool } from '../pool/in-process-pool.js';
import { stopInstance } from './stop-instance.js';
import type { EventInput, HeraldRuntime, IngestResult } from '../runtime-api.js';
import { loadGraphCache, type GraphCache } from './graph-cache.js';
import { handleAttemptJob } from './handle-attempt-job.js';
import { handleDeliveryJob } from './handle-delivery-job.js';
import { handleEventJob } from './handle-event-job.js';
import { handleFetchJob } from './handle-fetch-job.js';
import { handleInstanceJob } from './handle-instance-job.js';
import { ingestEvent } from './ingest-event.js';
import type { HandlerContext, JobHandler } from './handler-context.js';
import type { HandOverTarget } from './hand-over-attempts.js';
import { jobIds } from './job-ids.js';
import { createLogDigest } from './log-digest.js';
import type { RoutingDecision } from './route-event.js';
import { createRuntimeMetrics, rejectedTypeLabel, type RuntimeMetrics } from './runtime-metrics.js';
import { shortVersion } from '../engine/describe.js';
import { eventOrderKeys } from '../engine/event-order-keys.js';
import { createBoundedRuns } from './bounded-runs.js';
import { createOrderedRuns } from './ordered-runs.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { createEventValidator } from './validate-event.js';
import { createUnsettledWarning } from './unsettled-warning.js';
import { isVirtualClock, nowFunction, type RuntimeClock } from './virtual-clock.js';

/** Worker-pool settings; the project root and graph come from the runtime's options. */
export type PoolSettings = Omit<WorkerPoolOptions, 'projectRoot' | 'graph'> & {
  /**
   * Run the pool's tasks on the runtime's own thread (pool/in-process-pool.ts): no worker thread
   * to start, and no isolation from a plugin that blocks or crashes. Journey tests use it; a
   * server should not.
   */
  readonly inProcess?: boolean;
};

export interface RuntimeOptions {
  readonly driver: Driver;
  /** The compiled project: new instances start on it. */
  readonly graph: GraphIR;
  /** Where herald.yaml is: plugins (`use: ./...`) and relative config paths resolve from here. */
  readonly projectRoot: string;
  /** Real time by default; a VirtualClock (createVirtualClock) for `herald test`. */
  readonly clock?: RuntimeClock;
  readonly pool?: PoolSettings;
  /** Jobs in flight at most; default 512. */
  readonly concurrency?: number;
  /** Jobs reserved per store round trip; default 256. */
  readonly reserveBatch?: number;
  /** Events routed at once by ingest; the others wait their turn (orchestrator/bounded-runs.ts). Default 64. */
  readonly ingestConcurrency?: number;
  /**
   * How long a reserved job is invisible to other reservers; after a crash, the jobs this
   * process held run again once their lease expires. Default 60 s; it must outlast the
   * slowest job (a send's timeout plus queueing in the pool).
   */
  readonly leaseMs?: number;
  /** Tries of a fetch whose source fails retryably, 1 s, 2 s, 4 s, ... (at most 5 min) apart; default 10 (8.5 minutes of outage). */
  readonly fetchMaxTries?: number;
  /** `https://herald.acme.example`: messages get `metadata.unsubscribeUrl` (needs unsubscribeSecret). */
  readonly publicBaseUrl?: string;
  /** HMAC secret for unsubscribe tokens (subjects/unsubscribe-token.ts). */
  readonly unsubscribeSecret?: string;
  readonly log?: PluginLogger;
  /**
   * Run the scheduler loop after start() (default: yes, except with a virtual clock, where
   * tick() / runUntilIdle() drive it).
   */
  readonly autoRun?: boolean;
  /** Process metrics (CPU, memory, event loop) in metrics(); default false. */
  readonly processMetrics?: boolean;
  /**
   * A folder for the workers' send journal (pool/send-journal.ts): provider outcomes written
   * the moment a send returns, replayed into the ledger at the next start, so a process killed
   * between a provider's answer and the ledger does not send that message again. One folder
   * per Herald process; next to the embedded driver's file is a good place. Default: none.
   */
  readonly sendJournalDir?: string;
  /**
   * Told every delivery a unit wrote, once the unit is committed: its `history` holds every
   * decision so far (`herald dev` prints the new ones). Called on the scheduler's path, so it
   * must be quick; what it throws is logged.
   */
  readonly onDelivery?: (delivery: Delivery) => void;
  /**
   * Told every instance a unit wrote, once the unit is committed (a start, a step taken, an
   * end: `herald dev` prints how instances end). Quick, like onDelivery; what it throws is logged.
   */
  readonly onInstance?: (instance: Instance) => void;
  /**
   * Told what routing decided about each event: a journey started, or not and why (no subject
   * id, `trigger.when` false, the reentry rule), or nothing heard it — an accepted event can
   * start nothing, and `herald dev` says why. Told as routing decides, before its unit
   * commits: a routing that loses a race and runs again is told again. Quick, like onDelivery;
   * what it throws is logged.
   */
  readonly onRouted?: (decision: RoutingDecision) => void;
}

export interface Runtime extends HeraldRuntime {
  /** Saves the graph and makes it current, starts the worker pool and (autoRun) the scheduler. */
  start(): Promise<void>;
  /** Apply `archive.retention` now; returns how many messages were removed. */
  purgeArchiveNow(): Promise<number>;
  /** Runs every job due now, and what they make due now, to the end. Returns how many ran. */
  tick(): Promise<number>;
  /** Virtual clock only: run, moving the clock to each next due job, until nothing is due by `untilMs`. */
  runUntilIdle(untilMs?: number): Promise<number>;
  /** The runtime's clock (virtual or real), epoch ms. */
  now(): number;
  readonly pool: WorkerPool | undefined;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { driver, graph } = options;
  const log = options.log ?? silentLogger;
  const now = nowFunction(options.clock);
  const validate = createEventValidator(graph);
  // One bound for the runtime's life, so /metrics reads the same one across a stop and start.
  const ingestSlots = createBoundedRuns(options.ingestConcurrency ?? 64);
  const metrics: RuntimeMetrics = createRuntimeMetrics(() => driver.queueDepth(), options.processMetrics ?? false, () => ingestSlots);
  // A message that failed in the end (every channel tried) is an operator's business, not only
  // the archive's: one warn line, and a count for a burst (a provider down, a bad list).
  const failures = createLogDigest({ log, what: 'the message failed (GET /archive/<id> has its history)', noun: ['message', 'messages'] });
  const autoRun = options.autoRun ?? !isVirtualClock(options.clock);
  const handlers: Record<Job['kind'], JobHandler> = {
    event: handleEventJob,
    instance: handleInstanceJob,
    fetch: handleFetchJob,
    delivery: handleDeliveryJob,
    attempt: handleAttemptJob,
  };

  let pool: WorkerPool | undefined;
  /** Where the handlers' pool tasks wait for a free worker; stop() holds its sends back. */
  let graphs: GraphCache | undefined;
  /** What start() set up, together: the scheduler and the context its handlers (and ingest) use. */
  let live: { readonly scheduler: Scheduler; readonly context: HandlerContext } | undefined;
  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let retentionTimer: NodeJS.Timeout | undefined;

  const running = (): NonNullable<typeof live> => {
    if (!live || state !== 'running') throw new Error(`the runtime is ${state}; call start() first`);
    return live;
  };

  const runtime: Runtime = {
    graph,
    get pool() {
      return pool;
    },
    now,

    async start() {
      if (state !== 'new') throw new Error(`start(): the runtime is ${state}`);
      state = 'starting';
      try {
        await driver.open();
      } catch (error) {
        state = 'stopped';
        throw error;
      }
      try {
        await driver.saveGraph(graph);
        await driver.setCurrentGraphVersion(graph.version);
        graphs = await loadGraphCache(driver, graph, log);
        metrics.declare(graph);
        if (options.sendJournalDir) await replaySendJournals(driver, options.sendJournalDir, now, log);
      } catch (error) {
        state = 'stopped';
        await driver.close();
        throw error;
      }
      try {
        const { inProcess, ...settings } = options.pool ?? {};
        pool = await (inProcess ? createInProcessPool : createWorkerPool)({
          ...(options.sendJournalDir ? { sendJournalDir: options.sendJournalDir } : {}),
          logLevel: 'warn',
          ...settings,
          ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
          ...(options.unsubscribeSecret ? { unsubscribeSecret: options.unsubscribeSecret } : {}),
          projectRoot: options.projectRoot,
          graph,
        });
      } catch (error) {
        state = 'stopped';
        await driver.close();
        throw error;
      }
      const leaseMs = options.leaseMs ?? 60_000;
      // Handed-over attempts run as soon as their unit commits, which a virtual clock's tick() must decide instead.
      const handOver: HandOverTarget | undefined = autoRun
        ? {
            leaseMs,
            claim: (n) => scheduler.claim(n),
            giveBack: (n) => scheduler.giveBack(n),
            adopt: (queued, delivery, subject) => scheduler.adopt(queued, () => handleAttemptJob(context, queued, delivery, subject)),
          }
        : undefined;
      const resends = createLogDigest({
        log,
        what: 'an earlier run may have reached the provider and recorded no outcome; sending again with the same idempotency key',
        noun: ['attempt', 'attempts'],
      });
      const unsettled = createUnsettledWarning(log, (delivery) => context.graphs.peek(delivery.version)?.ir.policies[delivery.policy]);
      const context: HandlerContext = {
        driver,
        ingestOrder: createOrderedRuns(),
        ingestSlots,
        pool,
        graphs,
        now,
        log,
        metrics,
        resends,
        fetchMaxTries: options.fetchMaxTries ?? 10,
        ...(handOver ? { handOver } : {}),
        // Every delivery a committed unit wrote: final ones count in herald_deliveries_total.
        onDelivery: (delivery) => {
          metrics.deliveryWritten(delivery);
          unsettled(delivery);
          if (delivery.status === 'failed') failures.note(`message ${delivery.id} (${delivery.journey}/${delivery.node} to ${delivery.subjectId}): ${delivery.history.at(-1)?.note ?? 'failed'}`);
          options.onDelivery?.(delivery);
        },
        ...(options.onRouted ? { onRouted: options.onRouted } : {}),
        ...(options.onInstance ? { onInstance: options.onInstance } : {}),
        validateEvent: validate,
      };
      const scheduler: Scheduler = createScheduler({
        orderKeys: (job) => (job.kind === 'event' ? eventOrderKeys(context.graphs.current.ir, job.event) : []),
        driver,
        handlers,
        context,
        now,
        log,
        metrics,
        concurrency: options.concurrency ?? 512,
        reserveBatch: options.reserveBatch ?? 256,
        leaseMs,
        maxIdleMs: 1_000,
      });
      live = { scheduler, context };
      state = 'running';
      if (autoRun) scheduler.start();
      // Retention: purge at start and every hour in real time (`herald test` calls purgeArchiveNow()).
      if (autoRun && graph.project.archive.retentionMs !== null) {
        void runtime.purgeArchiveNow();
        retentionTimer = setInterval(() => void runtime.purgeArchiveNow(), 3_600_000);
        retentionTimer.unref();
      }
      log.info(`herald: running ${graph.project.name} (graph ${shortVersion(graph.version)}) on the ${driver.name} driver, ${pool.threads} worker thread${pool.threads === 1 ? '' : 's'}`);
    },

    tick: () => running().scheduler.tick(),

    async runUntilIdle(untilMs) {
      if (!isVirtualClock(options.clock)) throw new Error('runUntilIdle() needs a virtual clock (createVirtualClock)');
      return running().scheduler.runUntilIdle(options.clock, untilMs);
    },

    async ingest(input: EventInput): Promise<IngestResult> {
      const { context, scheduler } = running();
      const type = (input as { type?: unknown }).type;
      const errors = validate(type, input.data);
      if (errors.length > 0) {
        metrics.eventsRejected.inc({ type: rejectedTypeLabel(graph, type) });
        return { ok: false, errors };
      }
      if (input.id !== undefined && (typeof input.id !== 'string' || input.id === '' || input.id.length > 200)) {
        return { ok: false, errors: [{ path: '/id', message: 'must be a non-empty string of at most 200 characters' }] };
      }
      const event: IncomingEvent = {
        id: input.id ?? timeOrderedId(),
        type: type as string,
        data: input.data as Record<string, unknown>,
        receivedAt: now(),
      };
      const outcome = await ingestEvent(context, event);
      if (outcome === 'duplicate') return { ok: true, eventId: event.id, duplicate: true };
      metrics.eventsIngested.inc({ type: event.type });
      scheduler.wake();
      return { ok: true, eventId: event.id, duplicate: false };
    },

    getInstance: (id) => driver.getInstance(id),
    findInstances: (q) => driver.findInstances(q),
    async stopInstance(id, reason) {
      const { context, scheduler } = running();
      const result = await stopInstance(context, id, reason);
      scheduler.wake();
      return result;
    },
    getSubject: (id) => driver.getSubject(id),
    putSubject: (profile) => driver.putSubject(profile),

    async optOut(subjectId, entry) {
      const stored = await driver.getSubject(subjectId);
      const optOuts = stored?.optOuts ?? [];
      if (optOuts.includes(entry)) return;
      await driver.putSubject({ id: subjectId, optOuts: [...optOuts, entry] });
    },

    searchArchive: (q) => driver.searchArchive(q),
    getArchived: (id) => driver.getArchived(id),

    async receipt(providerMessageId, outcome, reason) {
      const { scheduler } = running();
      const delivery = await driver.findDeliveryByProviderId(providerMessageId);
      // Only a message still waiting for its receipt takes one: a delivered, bounced or failed
      // message keeps its provider id, but a receipt for it would change nothing (the policy
      // ignores it), and answering it as matched would tell the provider it counted.
      if (!delivery || delivery.status !== 'awaiting-receipt' || delivery.providerMessageId !== providerMessageId) return false;
      const result = await driver.commit({
        enqueue: [
          {
            id: jobIds.receipt(delivery.id, providerMessageId, outcome),
            job: { kind: 'delivery', deliveryId: delivery.id, input: { kind: 'receipt', providerMessageId, outcome, ...(reason ? { reason } : {}) } },
            runAt: now(),
          },
        ],
      });
      scheduler.wake();
      return result.ok;
    },

    async providerCallback(channel, callback) {
      running();
      if (!pool) return { kind: 'failed', reason: 'no worker pool is running' };
      const { answer } = await pool.run({ kind: 'callback', channel, callback, now: now() });
      if (answer.kind !== 'read') return answer.kind === 'failed' ? { kind: 'failed', reason: answer.reason } : answer;
      let matched = 0;
      // One after another: two receipts for one message (a bounce after a delivered, in one
      // batch) are applied in the order the provider gave them.
      for (const r of answer.receipts) if (await runtime.receipt(r.providerMessageId, r.status, r.reason)) matched++;
      return { kind: 'applied', received: answer.receipts.length, matched };
    },

    countRejected(types) {
      for (const type of types) metrics.eventsRejected.inc({ type: rejectedTypeLabel(graph, type) });
    },
    metrics: () => metrics.registry.metrics(),

    async health() {
      const details: Record<string, unknown> = { state, driver: driver.name, graphVersion: graph.version };
      if (state !== 'running') return { ok: false, details };
      try {
        details['queue'] = await driver.queueDepth();
        details['inFlight'] = live?.scheduler.inFlight ?? 0;
        details['pool'] = pool?.stats();
        return { ok: true, details };
      } catch (error) {
        details['error'] = (error as Error).message;
        return { ok: false, details };
      }
    },

    async purgeArchiveNow() {
      const retention = graph.project.archive.retentionMs;
      if (retention === null) return 0;
      try {
        const purged = await driver.purgeArchive(now() - retention);
        if (purged > 0) log.info(`herald: archive retention removed ${purged} message(s) older than ${formatDuration(retention)} (retention)`);
        return purged;
      } catch (err) {
        log.error(`herald: archive retention failed: ${String(err)}`);
        return 0;
      }
    },

    async stop() {
      if (state === 'stopped' || state === 'stopping') return;
      if (retentionTimer) clearInterval(retentionTimer);
      const wasRunning = state === 'running';
      state = 'stopping';
      // Finish what is in flight, and only that: no provider call starts from here on. Sends
      // that have not reached a worker are held back (their jobs go back to the queue, for the
      // next start), the scheduler reserves nothing more, and what it reserved or kept waiting
      // behind an order key but had not begun is released; provider calls already made finish
      // or time out (pool.sendTimeoutMs).
      pool?.holdSends?.();
      if (wasRunning) await live?.scheduler.stop();
      live?.context.resends.flush();
      failures.flush();
      await pool?.close();
      await driver.close();
      state = 'stopped';
    },
  };
  return runtime;
}

/**
 * Outcomes the workers journaled before the last process ended (perhaps killed before it could
 * write them to the ledger) go into the ledger now, before any attempt runs again.
 */
async function replaySendJournals(driver: Driver, dir: string, now: () => number, log: PluginLogger): Promise<void> {
  const { entries, files } = readSendJournals(dir);
  if (files.length === 0) return;
  for (const [key, result] of entries) await driver.ledgerFinish(key, result, now());
  removeSendJournals(files);
  log.info(`herald: replayed ${entries.size} journaled send outcomes from ${files.length} files into the ledger`);
}
