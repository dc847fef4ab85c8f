/** What a delivery's effects become in its unit of work (pure). */
import type { NewJob, SentCount, UnitOfWork } from '../driver/driver.js';
import type { DeliveryEffect } from '../delivery/types.js';
import { jobIds } from './job-ids.js';

export function deliveryEffectsToUnit(
  deliveryId: string,
  effects: readonly DeliveryEffect[],
  now: number,
): Required<Pick<UnitOfWork, 'enqueue' | 'cancel' | 'sent' | 'unsent' | 'ledgerBegin'>> {
  const enqueue: NewJob[] = [];
  // An attempt's ledger key is marked in flight by the unit that makes it due (handle-attempt-job.ts).
  const ledgerBegin: { key: string; at: number }[] = [];
  const cancel: string[] = [];
  const sent: SentCount[] = [];
  const unsent: string[] = [];
  for (const effect of effects) {
    switch (effect.kind) {
      case 'attempt':
        enqueue.push({
          id: jobIds.attempt(effect.idempotencyKey, effect.attempt),
          job: { kind: 'attempt', deliveryId: effect.deliveryId, channel: effect.channel, attempt: effect.attempt, idempotencyKey: effect.idempotencyKey },
          runAt: now,
        });
        ledgerBegin.push({ key: jobIds.ledger(effect.idempotencyKey, effect.attempt), at: now });
        break;
      case 'schedule':
        enqueue.push({ id: effect.timerId, job: { kind: 'delivery', deliveryId, input: { kind: 'timer', timerId: effect.timerId } }, runAt: effect.at });
        break;
      case 'cancel':
        cancel.push(effect.timerId);
        break;
      case 'count-sent':
        sent.push({ subjectId: effect.subjectId, category: effect.category, at: effect.at, dedupeKey: effect.dedupeKey, deliveryId: effect.deliveryId, guard: effect.guard });
        break;
      case 'uncount-sent':
        unsent.push(effect.deliveryId);
        break;
      default:
        throw new Error(`unknown delivery effect ${JSON.stringify(effect satisfies never)}`);
    }
  }
  return { enqueue, cancel, sent, unsent, ledgerBegin };
}
