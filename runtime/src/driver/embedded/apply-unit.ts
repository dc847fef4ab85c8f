/**
 * `commit(unit)` for the embedded store, in two phases. First every condition that can refuse
 * the unit is read — instance ids taken or seqs moved on, deliveries changed, claims and
 * guarded counts — and a refusal returns the conflict with nothing written. Then the unit
 * writes, which can no longer conflict (one writer, inside the caller's transaction), except
 * its first write, which checks its own condition by whether it changed a row (an event id's
 * insert, an instance's or a delivery's guarded update): refused there, still nothing is
 * written. So a unit needs no savepoint of its own, which SQLite would pay for with a copy of
 * every page the unit touches.
 *
 * Should a write still throw (two rows of one unit colliding with each other, a value JSON
 * cannot hold, the disk), the unit has written part of itself: the caller must roll the whole
 * transaction back (group-commit.ts does, then runs each unit in a transaction of its own).
 */
import type { Database } from 'better-sqlite3';
import type { Delivery } from '../../delivery/types.js';
import type { Instance } from '../../engine/types.js';
import { waitingForOf } from '../../engine/waiting-for.js';
import type { CommitOutcome, SentCount, UnitOfWork } from '../driver.js';
import type { Statements } from './prepare-statements.js';
import { countInWindow, holdsDedupeKey } from '../sent-counts.js';
import type { WaitingTypes } from './waiting-types.js';

class UnitConflict extends Error {}

/** The conflict text a duplicate event id produces; ingest reports such a unit as a duplicate. */
export const DUPLICATE_EVENT_CONFLICT = 'duplicate event';

/** The channel a delivery is on now (delivered on, or last tried); null before channels are decided. */
export function currentChannelOf(delivery: Delivery): string | null {
  return delivery.channels[delivery.channelIndex] ?? null;
}

/**
 * What an exclusive instance claims: its journey, subject and `trigger.key`. Without a key it is
 * the pair alone, as before keys existed, so the claims of rows written then still hold.
 */
function claimKey(instance: Instance): string {
  return instance.key === undefined ? JSON.stringify([instance.journey, instance.subjectId]) : JSON.stringify([instance.journey, instance.subjectId, instance.key]);
}

/**
 * Which write of the unit comes first, and so can check its own condition (an event id not
 * seen, an instance at its seq or absent, a delivery at its updatedAt) by whether it changed a
 * row: refused there, nothing of the unit is written yet. That saves a read per unit.
 */
type FirstWrite = 'event' | 'instance' | 'delivery' | 'other';

function firstWriteOf(unit: UnitOfWork): FirstWrite {
  if (unit.events !== undefined && unit.events.length > 0) return 'event';
  if (unit.instances !== undefined && unit.instances.length > 0) return 'instance';
  if (unit.deliveries !== undefined && unit.deliveries.length > 0 && unit.deliveries[0]!.expectedUpdatedAt !== null) return 'delivery';
  return 'other';
}

const instanceExists = (id: string) => `instance ${id} already exists`;
const instanceMoved = (id: string, seq: number) => `instance ${id} changed since seq ${seq} (or is gone)`;
const deliveryMoved = (id: string, updatedAt: number) => `delivery ${id} changed since ${updatedAt} (or is gone)`;

/** The unit's refusal, read before anything is written; undefined when it will apply. The first write checks itself. */
function findConflict(s: Statements, unit: UnitOfWork, first: FirstWrite): CommitOutcome | undefined {
  for (const [i, { instance, expectedSeq, exclusive }] of (unit.instances ?? []).entries()) {
    if (!(i === 0 && first === 'instance')) {
      const seq = s.getInstanceSeq.get(instance.id)?.seq;
      if (expectedSeq === null && seq !== undefined) return { ok: false, conflict: instanceExists(instance.id) };
      if (expectedSeq !== null && seq !== expectedSeq) return { ok: false, conflict: instanceMoved(instance.id, expectedSeq) };
    }
    if (expectedSeq === null && exclusive !== undefined) {
      const key = claimKey(instance);
      const taken = exclusive === 'once' ? s.hasOnceKey.get(key) : s.hasLiveKey.get(key);
      if (taken !== undefined) {
        const ofKey = instance.key === undefined ? '' : ` and key ${instance.key}`;
        return { ok: false, conflict: `${instance.journey} already has ${exclusive === 'once' ? 'an' : 'an active'} instance for subject ${instance.subjectId}${ofKey}` };
      }
    }
  }
  for (const [i, { delivery, expectedUpdatedAt }] of (unit.deliveries ?? []).entries()) {
    if (expectedUpdatedAt === null || (i === 0 && first === 'delivery')) continue;
    if (s.getDeliveryUpdatedAt.get(delivery.id)?.updated_at !== expectedUpdatedAt) {
      return { ok: false, conflict: deliveryMoved(delivery.id, expectedUpdatedAt) };
    }
  }
  return sentConflict(s, unit.sent ?? [], unit.unsent ?? []);
}

/**
 * A guarded count the store (with the unit's earlier counts) no longer allows. The counts the
 * unit gives back (`unsent`, deleted before its counts are written) are left out.
 */
function sentConflict(s: Statements, sent: readonly SentCount[], unsent: readonly string[]): CommitOutcome | undefined {
  for (let i = 0; i < sent.length; i++) {
    const c = sent[i]!;
    const guard = c.guard;
    if (!guard) continue;
    const earlier = sent.slice(0, i);
    const { capMax, capSince, dedupeSince } = guard;
    if (capMax !== null && capSince !== null) {
      let taken = (s.countSent.get(c.subjectId, c.category, capSince)?.n ?? 0) + countInWindow(earlier, c.subjectId, c.category, capSince);
      for (const id of new Set(unsent)) taken -= s.countSentOf.get(id, c.subjectId, c.category, capSince)?.n ?? 0;
      if (taken >= capMax) return { ok: false, conflict: `frequency cap of ${c.category} for ${c.subjectId} taken meanwhile` };
    }
    if (dedupeSince !== null && c.dedupeKey !== null) {
      if (holdsDedupeKey(earlier, c.dedupeKey, dedupeSince) || s.seenDedupeKey.get(c.dedupeKey, dedupeSince) !== undefined) {
        return { ok: false, conflict: `dedupe key ${c.dedupeKey} taken meanwhile` };
      }
    }
  }
  return undefined;
}

/** `(unit) => outcome`, to be called inside a transaction the caller rolls back when it throws. */
export function makeApplyUnit(s: Statements, clock: () => number, waiting: WaitingTypes): (unit: UnitOfWork) => CommitOutcome {
  return (unit: UnitOfWork): CommitOutcome => {
    const first = firstWriteOf(unit);
    const conflict = findConflict(s, unit, first);
    if (conflict !== undefined) return conflict;
    let written = false;
    /** A write found the unit refused: a value while nothing of it is written, else a throw the caller rolls back. */
    const refuse = (reason: string): CommitOutcome => {
      if (!written) return { ok: false, conflict: reason };
      throw new UnitConflict(reason);
    };

    // Event ids are checked by their inserts, which come first.
    if (unit.events !== undefined && unit.events.length > 0) {
      const at = clock();
      for (const id of unit.events) {
        if (s.insertEvent.run(id, at).changes === 0) return refuse(`${DUPLICATE_EVENT_CONFLICT} ${id}`);
        written = true;
      }
    }

    for (const [i, { instance, expectedSeq, exclusive }] of (unit.instances ?? []).entries()) {
      const checksItself = i === 0 && first === 'instance';
      const json = JSON.stringify(instance);
      const waitingFor = waitingForOf(instance);
      if (waitingFor !== null) waiting.note(waitingFor);
      if (expectedSeq === null) {
        const { changes } = s.insertInstance.run(
          instance.id,
          instance.journey,
          instance.subjectId,
          instance.status,
          waitingFor,
          instance.seq,
          instance.startedAt,
          json,
          exclusive === 'once' ? claimKey(instance) : null,
          exclusive === 'while-active' && instance.status === 'active' ? claimKey(instance) : null,
        );
        if (changes === 0) return refuse(checksItself ? instanceExists(instance.id) : `instance ${instance.id} twice in one unit`);
      } else {
        const { changes } = s.updateInstance.run(instance.status, waitingFor, instance.seq, json, instance.status, instance.id, expectedSeq);
        if (changes === 0) return refuse(checksItself ? instanceMoved(instance.id, expectedSeq) : `instance ${instance.id} twice in one unit`);
      }
      written = true;
    }

    for (const [i, { delivery, expectedUpdatedAt }] of (unit.deliveries ?? []).entries()) {
      const json = JSON.stringify(delivery);
      const channel = currentChannelOf(delivery);
      if (expectedUpdatedAt === null) {
        // Created once per send id: a replayed send effect finds it there, which is fine.
        s.insertDelivery.run(
          delivery.id,
          delivery.instanceId,
          delivery.subjectId,
          delivery.journey,
          delivery.status,
          channel,
          delivery.providerMessageId,
          delivery.createdAt,
          delivery.updatedAt,
          json,
        );
      } else {
        const { changes } = s.updateDelivery.run(
          delivery.status,
          channel,
          delivery.providerMessageId,
          delivery.updatedAt,
          json,
          delivery.id,
          expectedUpdatedAt,
        );
        if (changes === 0) return refuse(i === 0 && first === 'delivery' ? deliveryMoved(delivery.id, expectedUpdatedAt) : `delivery ${delivery.id} twice in one unit`);
      }
      written = true;
    }

    // Deletes before inserts: a unit that cancels (or acks) an id and enqueues the same id
    // reschedules it, instead of the insert being swallowed by the row about to go.
    for (const id of unit.ack ?? []) s.deleteJob.run(id);
    for (const id of unit.cancel ?? []) s.deleteJob.run(id);
    for (const { id, job, runAt, leasedUntil } of unit.enqueue ?? []) {
      s.insertJob.run(id, job.kind, JSON.stringify(job), runAt, leasedUntil ?? null, leasedUntil === undefined ? 0 : 1);
    }

    // Give-backs before counts: a delivery in both moves its count.
    for (const deliveryId of unit.unsent ?? []) s.deleteSent.run(deliveryId);
    for (const { subjectId, category, at, dedupeKey, deliveryId } of unit.sent ?? []) s.insertSent.run(subjectId, category, at, dedupeKey, deliveryId);

    for (const { key, result, at } of unit.ledger ?? []) s.finishLedger.run(key, JSON.stringify(result ?? null), at, at);

    for (const write of unit.archive ?? []) {
      if (write.content !== undefined) s.insertContent.run(write.deliveryId, write.content.channel, JSON.stringify(write.content));
      if (write.attempt !== undefined) s.insertAttempt.run(write.deliveryId, JSON.stringify(write.attempt));
    }
    return COMMITTED;
  };
}

/** A conflict a unit only meets against itself, as the value commit() returns; anything else is not ours to handle. */
export function conflictOf(err: unknown): CommitOutcome | undefined {
  return err instanceof UnitConflict ? { ok: false, conflict: err.message } : undefined;
}

export const COMMITTED: CommitOutcome = { ok: true };
