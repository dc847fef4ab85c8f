/** What a delivery's effects become in its unit of work (pure). */
import type { NewJob, SentCount, UnitOfWork } from '../driver/driver.js';
import type { DeliveryEffect } from '../delivery/types.js';
import { jobIds } from './job-ids.js';

export function deliveryEffectsToUnit(
  deliveryId: string,
  effects: readonly DeliveryEffect[],
  now: number,
): Required<Pick<UnitOfWork, 'enqueue' | 'cancel' | 'sent' | 'unsent'>> {
  // An attempt's job is its in-flight mark: the ledger is only asked when the job runs again (handle-attempt-job.ts).
  const enqueue: NewJob[] = [];
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
  return { enqueue, cancel, sent, unsent };
}
