/**
 * A unit of work as the rows the embedded store writes (pure): every value the statements bind,
 * JSON already encoded. The caller's thread encodes, the writer thread only checks and binds
 * (apply-unit.ts). So what crosses to the writer is a few strings per row rather than object
 * graphs, which costs a fraction to clone and leaves the writer next to no garbage (measured
 * on a one-send journey's first unit: ~25 µs to clone the objects there and back, ~8 µs for
 * the rows, besides the JSON encoding that had to happen on one side anyway).
 */
import type { Delivery } from '../../delivery/types.js';
import type { Instance } from '../../engine/types.js';
import { waitingForOf } from '../../engine/waiting-for.js';
import type { InstanceExclusivity, SentCount, UnitOfWork } from '../driver.js';

export interface InstanceRow {
  readonly id: string;
  readonly journey: string;
  readonly subjectId: string;
  readonly status: Instance['status'];
  readonly waitingFor: string | null;
  readonly seq: number;
  readonly startedAt: number;
  readonly json: string;
  /** null: create. */
  readonly expectedSeq: number | null;
  readonly exclusive: InstanceExclusivity | null;
  /** What an exclusive instance claims: its journey and subject. */
  readonly claim: string;
}

export interface DeliveryRow {
  readonly id: string;
  readonly instanceId: string;
  readonly subjectId: string;
  readonly journey: string;
  readonly status: Delivery['status'];
  readonly channel: string | null;
  readonly providerMessageId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly json: string;
  /** null: create. */
  readonly expectedUpdatedAt: number | null;
}

export interface JobRow {
  readonly id: string;
  readonly kind: string;
  readonly payload: string;
  readonly runAt: number;
  readonly leasedUntil: number | null;
}

export interface ArchiveRow {
  readonly deliveryId: string;
  readonly content: { readonly channel: string; readonly json: string } | null;
  readonly attempt: string | null;
}

/** UnitOfWork's lists as rows; a list the unit does not have is absent. */
export interface UnitRows {
  readonly events?: readonly string[];
  readonly instances?: readonly InstanceRow[];
  readonly deliveries?: readonly DeliveryRow[];
  readonly enqueue?: readonly JobRow[];
  readonly cancel?: readonly string[];
  readonly ack?: readonly string[];
  readonly sent?: readonly SentCount[];
  readonly unsent?: readonly string[];
  readonly ledgerBegin?: readonly { readonly key: string; readonly at: number }[];
  readonly ledger?: readonly { readonly key: string; readonly result: string; readonly at: number }[];
  readonly archive?: readonly ArchiveRow[];
}

/** The channel a delivery is on now (delivered on, or last tried); null before channels are decided. */
export function currentChannelOf(delivery: Delivery): string | null {
  return delivery.channels[delivery.channelIndex] ?? null;
}

export function encodeUnit(unit: UnitOfWork): UnitRows {
  const rows: { -readonly [K in keyof UnitRows]: UnitRows[K] } = {};
  if (unit.events !== undefined) rows.events = unit.events;
  if (unit.instances !== undefined) {
    rows.instances = unit.instances.map(({ instance, expectedSeq, exclusive }) => ({
      id: instance.id,
      journey: instance.journey,
      subjectId: instance.subjectId,
      status: instance.status,
      waitingFor: waitingForOf(instance),
      seq: instance.seq,
      startedAt: instance.startedAt,
      json: JSON.stringify(instance),
      expectedSeq,
      exclusive: exclusive ?? null,
      claim: JSON.stringify([instance.journey, instance.subjectId]),
    }));
  }
  if (unit.deliveries !== undefined) {
    rows.deliveries = unit.deliveries.map(({ delivery, expectedUpdatedAt }) => ({
      id: delivery.id,
      instanceId: delivery.instanceId,
      subjectId: delivery.subjectId,
      journey: delivery.journey,
      status: delivery.status,
      channel: currentChannelOf(delivery),
      providerMessageId: delivery.providerMessageId,
      createdAt: delivery.createdAt,
      updatedAt: delivery.updatedAt,
      json: JSON.stringify(delivery),
      expectedUpdatedAt,
    }));
  }
  if (unit.enqueue !== undefined) {
    rows.enqueue = unit.enqueue.map(({ id, job, runAt, leasedUntil }) => ({ id, kind: job.kind, payload: JSON.stringify(job), runAt, leasedUntil: leasedUntil ?? null }));
  }
  if (unit.cancel !== undefined) rows.cancel = unit.cancel;
  if (unit.ack !== undefined) rows.ack = unit.ack;
  if (unit.sent !== undefined) rows.sent = unit.sent;
  if (unit.unsent !== undefined) rows.unsent = unit.unsent;
  if (unit.ledgerBegin !== undefined) rows.ledgerBegin = unit.ledgerBegin;
  if (unit.ledger !== undefined) rows.ledger = unit.ledger.map(({ key, result, at }) => ({ key, result: JSON.stringify(result ?? null), at }));
  if (unit.archive !== undefined) {
    rows.archive = unit.archive.map((write) => ({
      deliveryId: write.deliveryId,
      content: write.content === undefined ? null : { channel: write.content.channel, json: JSON.stringify(write.content) },
      attempt: write.attempt === undefined ? null : JSON.stringify(write.attempt),
    }));
  }
  return rows;
}
