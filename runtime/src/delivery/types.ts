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
  /** From the start facts, kept for the `count-sent` effect once delivered (absent before start). */
  readonly dedupeKey?: string | null;
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
}

export type DeliveryInput =
  | { readonly kind: 'start'; readonly facts: DeliveryFacts }
  | { readonly kind: 'result'; readonly channel: string; readonly attempt: number; readonly result: DeliveryResult }
  | { readonly kind: 'timer'; readonly timerId: string }
  /** A provider status callback for an accepted message. */
  | { readonly kind: 'receipt'; readonly providerMessageId: string; readonly outcome: 'delivered' | 'bounced' | 'failed'; readonly reason?: string };

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
  /** Count a sent message for the frequency cap and remember the dedupe key. */
  | { readonly kind: 'count-sent'; readonly subjectId: string; readonly category: string; readonly dedupeKey: string | null; readonly at: number };

export interface DeliveryAdvance {
  readonly delivery: Delivery;
  readonly effects: readonly DeliveryEffect[];
}
