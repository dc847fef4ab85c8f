/**
 * `commit(unit)` for the embedded store: the whole unit inside one SQLite transaction.
 *
 * A conflict (stale instance seq, stale delivery, instance id taken, event id seen) throws
 * UnitConflict from inside the transaction, which makes better-sqlite3 roll every earlier
 * write of the unit back; `conflictOf` turns it into the `{ ok: false }` value.
 */
import type { Database, Transaction } from 'better-sqlite3';
import type { Delivery } from '../../delivery/types.js';
import type { Instance } from '../../engine/types.js';
import type { CommitOutcome, UnitOfWork } from '../driver.js';
import type { Statements } from './prepare-statements.js';

class UnitConflict extends Error {}

/** The conflict text a duplicate event id produces; ingest reports such a unit as a duplicate. */
export const DUPLICATE_EVENT_CONFLICT = 'duplicate event';

/** The event type an instance is indexed under for routing: set only while active and waiting for or batching it. */
export function waitingForOf(instance: Instance): string | null {
  if (instance.status !== 'active' || instance.waiting === null) return null;
  switch (instance.waiting.kind) {
    case 'event':
    case 'batch':
      return instance.waiting.event;
    case 'timer':
    case 'fetch':
      return null;
    default:
      return assertNever(instance.waiting);
  }
}

/** The channel a delivery is on now (delivered on, or last tried); null before channels are decided. */
export function currentChannelOf(delivery: Delivery): string | null {
  return delivery.channels[delivery.channelIndex] ?? null;
}

/**
 * The unit as a better-sqlite3 transaction function: alone it is a transaction, called
 * inside another (group-commit.ts) it is a savepoint, rolled back alone on a conflict.
 */
export function makeApplyUnit(db: Database, s: Statements, clock: () => number): Transaction<(unit: UnitOfWork) => void> {
  return db.transaction((unit: UnitOfWork): void => {
    // Event ids first: a re-posted event is the commonest conflict and the cheapest to find.
    if (unit.events !== undefined && unit.events.length > 0) {
      const at = clock();
      for (const id of unit.events) {
        if (s.insertEvent.run(id, at).changes === 0) throw new UnitConflict(`${DUPLICATE_EVENT_CONFLICT} ${id}`);
      }
    }

    for (const { instance, expectedSeq } of unit.instances ?? []) {
      const json = JSON.stringify(instance);
      const waitingFor = waitingForOf(instance);
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
        );
        if (changes === 0) throw new UnitConflict(`instance ${instance.id} already exists`);
      } else {
        const { changes } = s.updateInstance.run(instance.status, waitingFor, instance.seq, json, instance.id, expectedSeq);
        if (changes === 0) throw new UnitConflict(`instance ${instance.id} changed since seq ${expectedSeq} (or is gone)`);
      }
    }

    for (const { delivery, expectedUpdatedAt } of unit.deliveries ?? []) {
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
        if (changes === 0) throw new UnitConflict(`delivery ${delivery.id} changed since ${expectedUpdatedAt} (or is gone)`);
      }
    }

    // Deletes before inserts: a unit that cancels (or acks) an id and enqueues the same id
    // reschedules it, instead of the insert being swallowed by the row about to go.
    for (const id of unit.ack ?? []) s.deleteJob.run(id);
    for (const id of unit.cancel ?? []) s.deleteJob.run(id);
    for (const { id, job, runAt } of unit.enqueue ?? []) s.insertJob.run(id, job.kind, JSON.stringify(job), runAt);

    for (const { subjectId, category, at, dedupeKey } of unit.sent ?? []) s.insertSent.run(subjectId, category, at, dedupeKey);

    for (const { key, result, at } of unit.ledger ?? []) s.finishLedger.run(key, JSON.stringify(result ?? null), at, at);

    for (const write of unit.archive ?? []) {
      if (write.content !== undefined) s.insertContent.run(write.deliveryId, write.content.channel, JSON.stringify(write.content));
      if (write.attempt !== undefined) s.insertAttempt.run(write.deliveryId, JSON.stringify(write.attempt));
    }
  });
}

/** A conflict thrown by the unit, as the value commit() returns; anything else is not ours to handle. */
export function conflictOf(err: unknown): CommitOutcome | undefined {
  return err instanceof UnitConflict ? { ok: false, conflict: err.message } : undefined;
}

export const COMMITTED: CommitOutcome = { ok: true };

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
