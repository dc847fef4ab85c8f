/**
 * What the edges (HTTP API, CLI, `herald test`) may ask of a running Herald. The
 * orchestrator (runtime/src/orchestrator/) implements it; the edges never touch the driver.
 */
import type { GraphIR } from '@herald/dsl';
import type { ProviderCallback } from '@herald/plugin-sdk';
import type { ArchiveQuery, ArchivedMessage } from './driver/driver.js';
import type { Instance, InstanceStatus, SubjectPatch, SubjectProfile } from './engine/types.js';

/** An event as posted: `type` + `data`, optional `id` (idempotent re-posts) and `time`. */
export interface EventInput {
  readonly type: string;
  readonly data: unknown;
  readonly id?: string;
}

export type FieldError = { readonly path: string; readonly message: string };

export type IngestResult =
  | { readonly ok: true; readonly eventId: string; readonly duplicate: boolean }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * What a provider's callback came to: its receipts applied (`matched` of them to a message
 * awaiting one), refused by the plugin (unreadable, or not signed as the provider signs), a
 * channel whose plugin reads no callbacks, or the plugin failing to read it.
 */
export type CallbackOutcome =
  | { readonly kind: 'applied'; readonly received: number; readonly matched: number }
  | { readonly kind: 'refused'; readonly status: 400 | 401 | 403; readonly reason: string }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'failed'; readonly reason: string };

export type StopInstanceResult =
  /** `cancelled`: the ids of the messages skipped with it. */
  | { readonly kind: 'stopped'; readonly instance: Instance; readonly cancelled: readonly string[] }
  | { readonly kind: 'not-found' }
  /** It had ended before (completed, exited, failed): nothing to stop. */
  | { readonly kind: 'ended'; readonly instance: Instance };

export interface HeraldRuntime {
  readonly graph: GraphIR;
  /** Validate against the declared event type, then queue for routing. */
  ingest(event: EventInput): Promise<IngestResult>;
  getInstance(id: string): Promise<Instance | undefined>;
  /** Oldest first; `limit` bounds how many. */
  findInstances(q: { journey?: string; subjectId?: string; status?: InstanceStatus; limit?: number }): Promise<Instance[]>;
  /**
   * An operator stops an active instance: it exits with the reason, and its messages that wait to
   * start or are deferred are skipped (orchestrator/stop-instance.ts).
   */
  stopInstance(id: string, reason: string): Promise<StopInstanceResult>;
  putSubject(profile: SubjectPatch): Promise<SubjectProfile>;
  getSubject(id: string): Promise<SubjectProfile | undefined>;
  /** Record an opt-out from an unsubscribe link: a channel, a category, or `category:channel`. */
  optOut(subjectId: string, entry: string): Promise<void>;
  searchArchive(q: ArchiveQuery): Promise<{ items: ArchivedMessage[]; cursor: string | null }>;
  getArchived(deliveryId: string): Promise<ArchivedMessage | undefined>;
  /**
   * A provider status callback in Herald's own shape (accepted → delivered/bounced/failed).
   * False when no message awaiting a receipt has this provider id (unknown, or already settled).
   */
  receipt(providerMessageId: string, outcome: 'delivered' | 'bounced' | 'failed', reason?: string): Promise<boolean>;
  /**
   * A provider's status callback in its own format, read by the channel's plugin in a worker
   * thread (`readCallback`); each receipt it reports is applied as `receipt` applies one.
   */
  providerCallback(channel: string, callback: ProviderCallback): Promise<CallbackOutcome>;
  /**
   * Count events refused before they reached `ingest` — the invalid items of a `POST /events`
   * batch refused whole — in `herald_events_rejected_total`, beside the ones ingest refuses.
   */
  countRejected(types: readonly unknown[]): void;
  /** Prometheus text exposition. */
  metrics(): Promise<string>;
  health(): Promise<{ ok: boolean; details: Record<string, unknown> }>;
  /** Stop taking work, finish what is in flight, close. */
  stop(): Promise<void>;
}
