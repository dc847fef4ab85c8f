/**
 * A delivery: one `send` effect carried through its channel policy — channel order,
 * consent, quiet hours, frequency cap, dedupe, retries with backoff, failover. Pure state
 * machine in delivery/advance-delivery.ts; every decision lands in `history`.
 */
import type { DeliveryResult } from '@herald/plugin-sdk';

export type DeliveryStatus =
  | 'pending' // created, not yet decided
  | 'attempting' // an attempt job is out
  | 'awaiting-receipt' // provider accepted; waiting for a status callback or the delivery timeout
  | 'deferred' // quiet hours or retry backoff: a timer will resume it
  | 'delivered'
  | 'failed' // every channel tried and failed
  | 'skipped'; // nothing to do: no consented channel, deduped, capped

export interface DeliveryDecision {
  readonly at: number;
  /** e.g. "sms skipped: no consent", "email bounced → failover to sms". */
  readonly note: string;
  readonly channel?: string;
  /** On the decision that gave a channel up: why, as data (metrics count bounces by it, not by the note's wording). */
  readonly outcome?: 'failed' | 'bounced' | 'timeout';
}

export interface Delivery {
  /** = the send effect's sendId. */
  readonly id: string;
  readonly instanceId: string;
  readonly journey: string;
  readonly version: string;
  readonly node: string;
  readonly subjectId: string;
  readonly template: string;
  readonly policy: string;
  readonly category: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly status: DeliveryStatus;
  /** Channel order after preference and consent; decided at start. */
  readonly channels: readonly string[];
  readonly channelIndex: number;
  /** Attempt number on the current channel, 1-based; 0 before the first. */
  readonly attempt: number;
  readonly timerId: string | null;
  /** Provider's id of the accepted message on the current channel, for receipts. */
  readonly providerMessageId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly history: readonly DeliveryDecision[];
  /** From the start facts: the dedupe key its count holds (absent before start). */
  readonly dedupeKey?: string | null;
  /**
   * Counted for the frequency cap and dedupe since its start (a failure gives the count back).
   * Absent on deliveries started by a Herald that counted at delivery: those count then.
   */
  readonly counted?: boolean;
  /** From the start facts: the zone quiet hours are checked in before every attempt, retries and failovers included. */
  readonly timezone?: string;
}

/** Facts from the store the policy needs at the start, looked up by the driver. */
export interface DeliveryFacts {
  /** Messages of this category sent to this subject within the cap period. */
  readonly sentInCapWindow: number;
  /** The dedupe key (evaluated) was already sent within the window. */
  readonly duplicate: boolean;
  /** Evaluated policy values (expressions run by the caller with the instance's vars). */
  readonly order: readonly string[] | null;
  readonly dedupeKey: string | null;
  readonly timezone: string;
  /** The cap window's start, `sentInCapWindow` counted from it (null: no cap). */
  readonly capSince: number | null;
  /** The dedupe window's start (null: no dedupe). */
  readonly dedupeSince: number | null;
}

/**
 * The frequency cap when a deferred message resumes: when the subject's other messages of the
 * category in the window were counted (this delivery's own count left out).
 */
export interface CapFacts {
  /** The window's start (now - per, inclusive), as for `DeliveryFacts.capSince`. */
  readonly since: number;
  /** When each other message counted since `since` was counted, ascending. */
  readonly counted: readonly number[];
}

/**
 * What the count a delivery takes at its start was decided on. The store refuses the count
 * (a commit conflict) when, by the time it lands, other messages took the cap or the key:
 * then the start is decided again on the fresh counts.
 */
export interface SentGuard {
  /** The cap's `max`, counted from `capSince` (null: no cap). */
  readonly capMax: number | null;
  readonly capSince: number | null;
  /** The dedupe key must not be held since then (null: no dedupe). */
  readonly dedupeSince: number | null;
}

export type DeliveryInput =
  | { readonly kind: 'start'; readonly facts: DeliveryFacts }
  | { readonly kind: 'result'; readonly channel: string; readonly attempt: number; readonly result: DeliveryResult }
  /**
   * `cap`: for a message resuming after quiet hours (or a frequency-cap deferral) under a policy
   * with a cap, the store's counts as the handler read them (`capRecheckSince`); absent, the
   * cap is not checked again.
   */
  | { readonly kind: 'timer'; readonly timerId: string; readonly cap?: CapFacts }
  /** A provider status callback for an accepted message. */
  | { readonly kind: 'receipt'; readonly providerMessageId: string; readonly outcome: 'delivered' | 'bounced' | 'failed'; readonly reason?: string }
  /** Its instance was stopped by an operator: a message no provider call is under way for is not sent. */
  | { readonly kind: 'cancel'; readonly reason: string };

export type DeliveryEffect =
  /** Render the template for this channel and call the plugin. */
  | {
      readonly kind: 'attempt';
      readonly deliveryId: string;
      readonly channel: string;
      readonly attempt: number;
      /** Stable per (instance, step visit, channel): the same across retries and crashes. */
      readonly idempotencyKey: string;
    }
  | { readonly kind: 'schedule'; readonly timerId: string; readonly at: number }
  | { readonly kind: 'cancel'; readonly timerId: string }
  /**
   * Count the message for the frequency cap and hold its dedupe key, from its start on (so two
   * messages started at once cannot both pass a cap of one); `guard` says what it was decided on.
   */
  | {
      readonly kind: 'count-sent';
      readonly deliveryId: string;
      readonly subjectId: string;
      readonly category: string;
      readonly dedupeKey: string | null;
      readonly at: number;
      readonly guard: SentGuard | null;
    }
  /** The message failed: its count and dedupe key are given back. */
  | { readonly kind: 'uncount-sent'; readonly deliveryId: string };

export interface DeliveryAdvance {
  readonly delivery: Delivery;
  readonly effects: readonly DeliveryEffect[];
}
