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
import type { CommitOutcome, SentCount } from '../driver.js';
import type { UnitRows } from './encode-unit.js';
import type { Statements } from './prepare-statements.js';
import { countInWindow, holdsDedupeKey } from '../sent-counts.js';

class UnitConflict extends Error {}

/** The conflict text a duplicate event id produces; ingest reports such a unit as a duplicate. */
export const DUPLICATE_EVENT_CONFLICT = 'duplicate event';

/**
 * Which write of the unit comes first, and so can check its own condition (an event id not
 * seen, an instance at its seq or absent, a delivery at its updatedAt) by whether it changed a
 * row: refused there, nothing of the unit is written yet. That saves a read per unit.
 */
type FirstWrite = 'event' | 'instance' | 'delivery' | 'other';

function firstWriteOf(unit: UnitRows): FirstWrite {
  if (unit.events !== undefined && unit.events.length > 0) return 'event';
  if (unit.instances !== undefined && unit.instances.length > 0) return 'instance';
  if (unit.deliveries !== undefined && unit.deliveries.length > 0 && unit.deliveries[0]!.expectedUpdatedAt !== null) return 'delivery';
  return 'other';
}

const instanceExists = (id: string) => `instance ${id} already exists`;
const instanceMoved = (id: string, seq: number) => `instance ${id} changed since seq ${seq} (or is gone)`;
const deliveryMoved = (id: string, updatedAt: number) => `delivery ${id} changed since ${updatedAt} (or is gone)`;

/** The unit's refusal, read before anything is written; undefined when it will apply. The first write checks itself. */
function findConflict(s: Statements, unit: UnitRows, first: FirstWrite): CommitOutcome | undefined {
  for (const [i, row] of (unit.instances ?? []).entries()) {
    const { id, expectedSeq, exclusive } = row;
    if (!(i === 0 && first === 'instance')) {
      const seq = s.getInstanceSeq.get(id)?.seq;
      if (expectedSeq === null && seq !== undefined) return { ok: false, conflict: instanceExists(id) };
      if (expectedSeq !== null && seq !== expectedSeq) return { ok: false, conflict: instanceMoved(id, expectedSeq) };
    }
    if (expectedSeq === null && exclusive !== null) {
      const taken = exclusive === 'once' ? s.hasOnceKey.get(row.claim) : s.hasLiveKey.get(row.claim);
      if (taken !== undefined) {
        return { ok: false, conflict: `${row.journey} already has ${exclusive === 'once' ? 'an' : 'an active'} instance for subject ${row.subjectId}` };
      }
    }
  }
  for (const [i, { id, expectedUpdatedAt }] of (unit.deliveries ?? []).entries()) {
    if (expectedUpdatedAt === null || (i === 0 && first === 'delivery')) continue;
    if (s.getDeliveryUpdatedAt.get(id)?.updated_at !== expectedUpdatedAt) {
      return { ok: false, conflict: deliveryMoved(id, expectedUpdatedAt) };
    }
  }
  return sentConflict(s, unit.sent ?? []);
}

/** A guarded count the store (with the unit's earlier counts) no longer allows. */
function sentConflict(s: Statements, sent: readonly SentCount[]): CommitOutcome | undefined {
  for (let i = 0; i < sent.length; i++) {
    const c = sent[i]!;
    const guard = c.guard;
    if (!guard) continue;
    const earlier = sent.slice(0, i);
    const { capMax, capSince, dedupeSince } = guard;
    if (capMax !== null && capSince !== null) {
      const taken = (s.countSent.get(c.subjectId, c.category, capSince)?.n ?? 0) + countInWindow(earlier, c.subjectId, c.category, capSince);
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

/**
 * `(rows, now) => outcome` for a unit encoded by encode-unit.ts, to be called inside a transaction the caller rolls back when it
 * throws. `now`: when the unit's event ids were seen (for retention).
 */
export function makeApplyUnit(s: Statements): (unit: UnitRows, now: number) => CommitOutcome {
  return (unit: UnitRows, now: number): CommitOutcome => {
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
      for (const id of unit.events) {
        if (s.insertEvent.run(id, now).changes === 0) return refuse(`${DUPLICATE_EVENT_CONFLICT} ${id}`);
        written = true;
      }
    }

    for (const [i, row] of (unit.instances ?? []).entries()) {
      const checksItself = i === 0 && first === 'instance';
      const { id, expectedSeq, exclusive } = row;
      if (expectedSeq === null) {
        const { changes } = s.insertInstance.run(
          id,
          row.journey,
          row.subjectId,
          row.status,
          row.waitingFor,
          row.seq,
          row.startedAt,
          row.json,
          exclusive === 'once' ? row.claim : null,
          exclusive === 'while-active' && row.status === 'active' ? row.claim : null,
        );
        if (changes === 0) return refuse(checksItself ? instanceExists(id) : `instance ${id} twice in one unit`);
      } else {
        const { changes } = s.updateInstance.run(row.status, row.waitingFor, row.seq, row.json, row.status, id, expectedSeq);
        if (changes === 0) return refuse(checksItself ? instanceMoved(id, expectedSeq) : `instance ${id} twice in one unit`);
      }
      written = true;
    }

    for (const [i, row] of (unit.deliveries ?? []).entries()) {
      const { id, expectedUpdatedAt } = row;
      if (expectedUpdatedAt === null) {
        // Created once per send id: a replayed send effect finds it there, which is fine.
        s.insertDelivery.run(id, row.instanceId, row.subjectId, row.journey, row.status, row.channel, row.providerMessageId, row.createdAt, row.updatedAt, row.json);
      } else {
        const { changes } = s.updateDelivery.run(row.status, row.channel, row.providerMessageId, row.updatedAt, row.json, id, expectedUpdatedAt);
        if (changes === 0) return refuse(i === 0 && first === 'delivery' ? deliveryMoved(id, expectedUpdatedAt) : `delivery ${id} twice in one unit`);
      }
      written = true;
    }

    // Deletes before inserts: a unit that cancels (or acks) an id and enqueues the same id
    // reschedules it, instead of the insert being swallowed by the row about to go.
    for (const id of unit.ack ?? []) s.deleteJob.run(id);
    for (const id of unit.cancel ?? []) s.deleteJob.run(id);
    for (const { id, kind, payload, runAt, leasedUntil } of unit.enqueue ?? []) {
      s.insertJob.run(id, kind, payload, runAt, leasedUntil, leasedUntil === null ? 0 : 1);
    }

    for (const { subjectId, category, at, dedupeKey, deliveryId } of unit.sent ?? []) s.insertSent.run(subjectId, category, at, dedupeKey, deliveryId);
    for (const deliveryId of unit.unsent ?? []) s.deleteSent.run(deliveryId);

    for (const { key, at } of unit.ledgerBegin ?? []) s.beginLedger.run(key, at);
    for (const { key, result, at } of unit.ledger ?? []) s.finishLedger.run(key, result, at, at);

    for (const { deliveryId, content, attempt } of unit.archive ?? []) {
      if (content !== null) s.insertContent.run(deliveryId, content.channel, content.json);
      if (attempt !== null) s.insertAttempt.run(deliveryId, attempt);
    }
    return COMMITTED;
  };
}

/** A conflict a unit only meets against itself, as the value commit() returns; anything else is not ours to handle. */
export function conflictOf(err: unknown): CommitOutcome | undefined {
  return err instanceof UnitConflict ? { ok: false, conflict: err.message } : undefined;
}

export const COMMITTED: CommitOutcome = { ok: true };
