/**
 * Prometheus metrics (prom-client), in a registry of the runtime's own so two runtimes in one
 * process (tests) do not share counters. `metrics()` returns the text exposition.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GraphIR } from '@herald/dsl';
import type { Delivery, DeliveryInput } from '../delivery/types.js';
import type { InstanceStatus } from '../engine/types.js';

export interface RuntimeMetrics {
  readonly registry: Registry;
  readonly eventsIngested: Counter<'type'>;
  readonly eventsRejected: Counter<'type'>;
  readonly instancesStarted: Counter<'journey'>;
  readonly instancesEnded: Counter<'journey' | 'status'>;
  /** Send attempts by the provider's answer (not the message's outcome: see `deliveries`). */
  readonly messagesSent: Counter<'channel' | 'status'>;
  /** Messages (deliveries) that reached their final status. */
  readonly deliveries: Counter<'channel' | 'status'>;
  /** Provider status callbacks applied to a message awaiting one, and receipts that never came. */
  readonly receipts: Counter<'channel' | 'status'>;
  /** Attempts sent again, same idempotency key, because an earlier run recorded no outcome (a crash). */
  readonly attemptsResent: Counter<'channel'>;
  readonly jobDuration: Histogram<'kind'>;
  readonly jobConflicts: Counter<'kind'>;
  readonly jobErrors: Counter<'kind'>;
  /** An instance moved from `before` (null: new) to `after`. */
  instanceTransition(journey: string, before: InstanceStatus | null, after: InstanceStatus): void;
  /**
   * A committed unit wrote this delivery: counted in `deliveries` when its status is final.
   * A final delivery is never written again (its policy ignores later inputs), so each counts once.
   */
  deliveryWritten(delivery: Delivery): void;
  /** A `delivery` job applied `input` to `before` (committed): counted in `receipts` when it was a receipt or its timeout. */
  deliveryInputApplied(before: Delivery, input: DeliveryInput): void;
  /**
   * Sets the series the graph can produce to 0 where they are not there yet (its event types,
   * journeys, channels), so `/metrics` shows them from the start: a `rate()` or an alert on a
   * series that appears only with its first event reads nothing until then.
   */
  declare(graph: GraphIR): void;
}

/** The channel a delivery was delivered on or last tried; `none` when it tried none. */
function channelOf(delivery: Delivery): string {
  return delivery.channels[delivery.channelIndex] ?? 'none';
}

/** A failed delivery whose last channel bounced (synchronously or by receipt) counts as `bounced`: the decision that gave it up says so. */
function finalStatus(delivery: Delivery): 'delivered' | 'bounced' | 'failed' | 'skipped' | null {
  switch (delivery.status) {
    case 'delivered':
    case 'skipped':
      return delivery.status;
    case 'failed': {
      const last = delivery.history.at(-1);
      return last?.outcome === 'bounced' ? 'bounced' : 'failed';
    }
    default:
      return null;
  }
}

/**
 * The `type` label of a refused event: its type when the project declares it, else one
 * `(unknown)`, so that whatever a client posts as `type` cannot add series without bound.
 */
export function rejectedTypeLabel(graph: GraphIR, type: unknown): string {
  return typeof type === 'string' && Object.hasOwn(graph.events, type) ? type : '(unknown)';
}

/** Events being routed at ingest, and waiting for a place to be (bounded-runs.ts). */
export interface IngestLoad {
  readonly running: number;
  readonly waiting: number;
}

export function createRuntimeMetrics(
  queueDepth: () => Promise<{ queued: number; reserved: number }>,
  withDefaults = false,
  ingestLoad: () => IngestLoad = () => ({ running: 0, waiting: 0 }),
): RuntimeMetrics {
  const registry = new Registry();
  // Under their standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, ...),
  // so ready-made Node.js dashboards read them as they are.
  if (withDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const eventsIngested = new Counter({ name: 'herald_events_ingested_total', help: 'Events accepted by ingest.', labelNames: ['type'] as const, registers });
  const eventsRejected = new Counter({
    name: 'herald_events_rejected_total',
    help: 'Events refused (unknown type, invalid data), by ingest or in a POST /events batch refused whole.',
    labelNames: ['type'] as const,
    registers,
  });
  const instancesStarted = new Counter({ name: 'herald_instances_started_total', help: 'Journey instances started.', labelNames: ['journey'] as const, registers });
  const instancesEnded = new Counter({
    name: 'herald_instances_ended_total',
    help: 'Journey instances that ended, by final status (completed, exited, failed).',
    labelNames: ['journey', 'status'] as const,
    registers,
  });
  const messagesSent = new Counter({
    name: 'herald_messages_total',
    help: 'Send attempts by channel and the provider answer (delivered, accepted, failed, bounced); final outcomes are herald_deliveries_total.',
    labelNames: ['channel', 'status'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'herald_deliveries_total',
    help: 'Messages that reached their final status (delivered, bounced, failed, skipped), by the channel delivered on or last tried (none: skipped before any).',
    labelNames: ['channel', 'status'] as const,
    registers,
  });
  const receipts = new Counter({
    name: 'herald_receipts_total',
    help: 'Provider status callbacks applied to a message awaiting one (delivered, bounced, failed), and receipts that did not come within the delivery timeout (timeout).',
    labelNames: ['channel', 'status'] as const,
    registers,
  });
  const attemptsResent = new Counter({
    name: 'herald_attempts_resent_total',
    help: 'Attempts sent again with the same idempotency key because an earlier run (a crash) recorded no outcome: the possible duplicates.',
    labelNames: ['channel'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'herald_job_duration_seconds',
    help: 'Time from reserving a job to finishing it, by job kind.',
    labelNames: ['kind'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const jobConflicts = new Counter({ name: 'herald_job_conflicts_total', help: 'Commits refused by optimistic concurrency (retried).', labelNames: ['kind'] as const, registers });
  const jobErrors = new Counter({ name: 'herald_job_errors_total', help: 'Jobs that threw (released with backoff).', labelNames: ['kind'] as const, registers });
  new Gauge({
    name: 'herald_queue_depth',
    help: 'Jobs in the queue: queued (due or not) and reserved.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const depth = await queueDepth();
      this.set({ state: 'queued' }, depth.queued);
      this.set({ state: 'reserved' }, depth.reserved);
    },
  });
  new Gauge({
    name: 'herald_ingest_events',
    help: 'Events posted and not yet answered: being routed (at most ingestConcurrency), and waiting for a place; a growing waiting count is ingest falling behind its callers.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const load = ingestLoad();
      this.set({ state: 'routing' }, load.running);
      this.set({ state: 'waiting' }, load.waiting);
    },
  });
  return {
    registry,
    eventsIngested,
    eventsRejected,
    instancesStarted,
    instancesEnded,
    messagesSent,
    deliveries,
    receipts,
    attemptsResent,
    jobDuration,
    jobConflicts,
    jobErrors,
    instanceTransition(journey, before, after) {
      if (before === null) instancesStarted.inc({ journey });
      if (after !== 'active' && (before === null || before === 'active')) instancesEnded.inc({ journey, status: after });
    },
    deliveryWritten(delivery) {
      const status = finalStatus(delivery);
      if (status !== null) deliveries.inc({ channel: status === 'skipped' ? 'none' : channelOf(delivery), status });
    },
    declare(graph) {
      for (const type of Object.keys(graph.events)) {
        eventsIngested.inc({ type }, 0);
        eventsRejected.inc({ type }, 0);
      }
      eventsRejected.inc({ type: '(unknown)' }, 0);
      for (const { id: journey } of graph.journeys) {
        instancesStarted.inc({ journey }, 0);
        for (const status of ['completed', 'exited', 'failed'] as const) instancesEnded.inc({ journey, status }, 0);
      }
      for (const channel of Object.keys(graph.channels)) {
        for (const status of ['delivered', 'accepted', 'failed', 'bounced']) messagesSent.inc({ channel, status }, 0);
        for (const status of ['delivered', 'bounced', 'failed']) deliveries.inc({ channel, status }, 0);
      }
      deliveries.inc({ channel: 'none', status: 'skipped' }, 0);
    },
    deliveryInputApplied(before, input) {
      if (input.kind === 'receipt') receipts.inc({ channel: channelOf(before), status: input.outcome });
      // The delivery timeout is the only timer of a message awaiting its receipt.
      else if (input.kind === 'timer' && before.status === 'awaiting-receipt' && input.timerId === before.timerId) receipts.inc({ channel: channelOf(before), status: 'timeout' });
    },
  };
}
