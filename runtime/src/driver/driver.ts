/**
 * The driver: Herald's store and queue behind one interface. Two implementations —
 * embedded (SQLite file, in-process scheduler) and distributed (Redis + Bull) — must both
 * pass test/conformance/driver-conformance.ts.
 *
 * The one write path is `commit(unit)`: instance and delivery state, new jobs (timers are
 * jobs with a future `runAt`), cancelled jobs, the ack of the job being processed, counters
 * and archive writes land together or not at all. So a crash between "state changed" and
 * "job done" cannot happen, and a job leased by a worker that died becomes visible again.
 */
import type { GraphIR } from '@herald/dsl';
import type { Delivery, DeliveryInput, SentGuard } from '../delivery/types.js';
import type { DataRequest, EngineInput, IncomingEvent, Instance, InstanceStatus, SubjectPatch, SubjectProfile } from '../engine/types.js';

export type Job =
  /** Route an incoming event: start journeys it triggers, resume instances waiting for it. */
  | { readonly kind: 'event'; readonly event: IncomingEvent }
  /** Feed an input to one instance (timer fired, data fetched, event matched). */
  | { readonly kind: 'instance'; readonly instanceId: string; readonly input: EngineInput }
  /** Run data-source queries for an instance, then feed it a `fetched` input. */
  | {
      readonly kind: 'fetch';
      readonly instanceId: string;
      readonly requestId: string;
      readonly loads: readonly DataRequest[];
      /** The instance's graph version, whose `returns:` types the answers are checked against (absent in jobs of earlier Herald versions). */
      readonly version?: string;
    }
  /** Feed an input to one delivery (start, attempt result, timer, receipt). */
  | { readonly kind: 'delivery'; readonly deliveryId: string; readonly input: DeliveryInput }
  /** Render and send one attempt of a delivery on one channel (in the worker pool). */
  | {
      readonly kind: 'attempt';
      readonly deliveryId: string;
      readonly channel: string;
      readonly attempt: number;
      readonly idempotencyKey: string;
    };

export interface QueuedJob {
  /** Unique; enqueueing an id that exists (queued or reserved) is a no-op, which makes replays safe. */
  readonly id: string;
  readonly job: Job;
  /** Epoch ms when the job becomes due. */
  readonly runAt: number;
  /** How many times it was reserved before (lease expiries included). */
  readonly tries: number;
}

export interface NewJob {
  readonly id: string;
  readonly job: Job;
  readonly runAt: number;
  /**
   * Enqueue it already leased, until this epoch ms: the committing process runs the job itself
   * at once (it has what the job needs in memory), and no reserve hands it out before the lease
   * expires, which after a crash makes it due like any leased job. Counts as the first try.
   */
  readonly leasedUntil?: number;
}

/** A message as archived: what was rendered, where it went, what happened. */
export interface ArchivedContent {
  readonly channel: string;
  readonly kind: string;
  readonly locale: string;
  readonly to: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly renderedAt: number;
}

export interface AttemptRecord {
  readonly channel: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly at: number;
  /** The plugin's DeliveryResult (JSON). */
  readonly result: unknown;
}

export interface ArchiveWrite {
  readonly deliveryId: string;
  readonly content?: ArchivedContent;
  readonly attempt?: AttemptRecord;
}

export interface UnitOfWork {
  /**
   * expectedSeq null: create (fails with a conflict when the id exists); else the seq the caller read.
   * `exclusive` (creates only) makes the unit conflict when another instance of the same journey,
   * subject and key (`Instance.key`, absent for journeys without `trigger.key`) holds the same
   * claim: `once` for as long as it exists (reentry `never`), `while-active` until it ends
   * (reentry `after-exit`). So two events routed at the same moment cannot both start the
   * journey for one subject and key; different keys never conflict.
   */
  readonly instances?: readonly { readonly instance: Instance; readonly expectedSeq: number | null; readonly exclusive?: InstanceExclusivity }[];
  /** expectedUpdatedAt null: create (a no-op when the id exists: deliveries are created once per send id). */
  readonly deliveries?: readonly { readonly delivery: Delivery; readonly expectedUpdatedAt: number | null }[];
  readonly enqueue?: readonly NewJob[];
  readonly cancel?: readonly string[];
  /** Reserved job ids finished by this unit. */
  readonly ack?: readonly string[];
  /**
   * Sent-message counts (frequency cap) and dedupe keys, one per delivery. With a `guard` the
   * unit conflicts when, counted in the store and before it in the unit, the subject already
   * has `capMax` messages of the category since `capSince`, or the dedupe key is held since
   * `dedupeSince`: the start is decided again on the fresh counts. A guard leaves out the counts
   * of the unit's `unsent` deliveries.
   */
  readonly sent?: readonly SentCount[];
  /**
   * Deliveries whose count and dedupe key are given back (they failed). Applied before `sent`:
   * a delivery in both moves its count (to the time its attempt goes out).
   */
  readonly unsent?: readonly string[];
  readonly archive?: readonly ArchiveWrite[];
  /** Ledger entries this unit finishes (as `ledgerFinish`), so a re-run's outcome lands with its archive and ack. */
  readonly ledger?: readonly { readonly key: string; readonly result: unknown; readonly at: number }[];
  /** Event ids accepted by ingest: a second ingest of the same id is dropped. */
  readonly events?: readonly string[];
}

export type InstanceExclusivity = 'once' | 'while-active';

export interface SentCount {
  readonly subjectId: string;
  readonly category: string;
  readonly at: number;
  readonly dedupeKey: string | null;
  /** The delivery counted (null: a count not tied to one, as earlier Herald versions wrote). */
  readonly deliveryId: string | null;
  readonly guard?: SentGuard | null;
}

/**
 * The `code` of the error `searchArchive` throws for a cursor the driver did not make. Cursors
 * are opaque, so only a driver can tell a bad one; the API and the CLI answer it as a bad
 * `cursor` parameter (api/parse-archive-query.ts `isInvalidCursorError`).
 */
export const INVALID_CURSOR_CODE = 'ERR_HERALD_INVALID_CURSOR';

export type CommitOutcome = { readonly ok: true } | { readonly ok: false; readonly conflict: string };

export type LedgerEntry =
  | { readonly state: 'new' }
  /** A previous call started and did not record its end: it may or may not have reached the provider. */
  | { readonly state: 'in-flight'; readonly since: number }
  | { readonly state: 'done'; readonly result: unknown };

export interface InstanceQuery {
  readonly journey?: string;
  readonly subjectId?: string;
  readonly status?: InstanceStatus;
  /** Active instances waiting for this event type (or batching it). */
  readonly waitingFor?: string;
  readonly limit?: number;
}

export interface ArchiveQuery {
  readonly subjectId?: string;
  readonly journey?: string;
  readonly status?: Delivery['status'];
  readonly channel?: string;
  /** Epoch ms, inclusive/exclusive bounds on the delivery's creation time. */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
  /**
   * Opaque cursor from the previous page of the same search (same filters; the limit may
   * differ); any other — not the driver's, or made by a search with other filters — throws an
   * error with `code` INVALID_CURSOR_CODE.
   */
  readonly cursor?: string;
}

export interface ArchivedMessage {
  readonly delivery: Delivery;
  readonly contents: readonly ArchivedContent[];
  readonly attempts: readonly AttemptRecord[];
}

export interface Driver {
  readonly name: string;
  open(): Promise<void>;
  close(): Promise<void>;

  saveGraph(ir: GraphIR): Promise<void>;
  loadGraph(version: string): Promise<GraphIR | undefined>;
  /** The version new instances start on. */
  currentGraphVersion(): Promise<string | undefined>;
  setCurrentGraphVersion(version: string): Promise<void>;

  getSubject(id: string): Promise<SubjectProfile | undefined>;
  /** Merge: given fields replace stored ones; `contacts` merges per channel, null removing one. */
  putSubject(profile: SubjectPatch): Promise<SubjectProfile>;

  getInstance(id: string): Promise<Instance | undefined>;
  findInstances(q: InstanceQuery): Promise<Instance[]>;
  /**
   * The graph versions that active instances run on, each once, in no order. Asked once at
   * runtime start (orchestrator/graph-cache.ts), so it may scan: which events an instance keeps
   * for a later `wait` depends on its own version, not only the current one.
   */
  activeVersions(): Promise<string[]>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  findDeliveryByProviderId(providerMessageId: string): Promise<Delivery | undefined>;
  /**
   * The deliveries a journey instance started, oldest first: found through its subject (a subject
   * has few), so it needs no index of its own on the hot path.
   */
  deliveriesOf(instance: { readonly id: string; readonly subjectId: string }): Promise<Delivery[]>;

  commit(unit: UnitOfWork): Promise<CommitOutcome>;

  /** Lease up to `max` due jobs (runAt <= now) for `leaseMs`; an expired lease makes a job due again. */
  reserve(max: number, now: number, leaseMs: number): Promise<QueuedJob[]>;
  /** Give a reserved job back to run at `runAt` (a failed try), without a state change. */
  release(jobId: string, runAt: number): Promise<void>;
  /** Earliest runAt of a queued job, for the scheduler's sleep; null when empty. */
  nextDueAt(): Promise<number | null>;
  /** Queued (not reserved) jobs, and reserved ones. */
  queueDepth(): Promise<{ readonly queued: number; readonly reserved: number }>;

  /** Idempotency ledger: call before the provider; records `in-flight` when new. */
  ledgerBegin(key: string, now: number): Promise<LedgerEntry>;
  ledgerFinish(key: string, result: unknown, now: number): Promise<void>;

  countSent(subjectId: string, category: string, since: number): Promise<number>;
  /** When the subject's messages of the category counted since `since` (inclusive) were counted, ascending; `except` a delivery's own count. */
  sentTimes(subjectId: string, category: string, since: number, except: string): Promise<number[]>;
  seenDedupeKey(key: string, since: number): Promise<boolean>;
  eventSeen(eventId: string): Promise<boolean>;

  searchArchive(q: ArchiveQuery): Promise<{ readonly items: ArchivedMessage[]; readonly cursor: string | null }>;
  getArchived(deliveryId: string): Promise<ArchivedMessage | undefined>;
  /**
   * Retention: delete archived messages (and finished deliveries) created before `before`;
   * returns how many. An accepted message that waits for a receipt with no timer left (its
   * policy has no `deliveryTimeout`, or the timeout passed without failover) counts as finished:
   * only a receipt would end it, and past the retention none is expected. Ended instances last changed before `before` go too, except those that
   * hold a `reentry: never` claim (the record that the journey ran for the subject).
   */
  purgeArchive(before: number): Promise<number>;
}
