/**
 * What an instance's effects become in the unit of work that commits its new state (pure):
 * timers are jobs with a future runAt, a send creates its delivery (started in the same unit by
 * start-delivery.ts), a fetch queues a fetch job, an emit queues the event's routing job.
 * `await` needs nothing: drivers index an instance by the event it waits for, from its state.
 */
import type { NewJob, SentCount, UnitOfWork } from '../driver/driver.js';
import { newDelivery } from '../delivery/new-delivery.js';
import type { Delivery } from '../delivery/types.js';
import type { CompiledGraph } from '../engine/compile-graph.js';
import type { Effect, Instance } from '../engine/types.js';
import { jobIds } from './job-ids.js';

export interface UnitParts {
  readonly enqueue: NewJob[];
  readonly cancel: string[];
  readonly deliveries: { readonly delivery: Delivery; readonly expectedUpdatedAt: number | null }[];
  /** Sent counters of deliveries that started in this unit. */
  readonly sent: SentCount[];
  /** Ledger keys of the attempts those deliveries made due, marked in flight. */
  readonly ledgerBegin: { readonly key: string; readonly at: number }[];
}

export function emptyParts(): UnitParts {
  return { enqueue: [], cancel: [], deliveries: [], sent: [], ledgerBegin: [] };
}

export function addInstanceEffects(parts: UnitParts, graph: CompiledGraph, instance: Instance, effects: readonly Effect[], now: number): void {
  let emits = 0;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'schedule':
        parts.enqueue.push({
          id: effect.timerId,
          job: { kind: 'instance', instanceId: instance.id, input: { kind: 'timer', timerId: effect.timerId } },
          runAt: effect.at,
        });
        break;
      case 'cancel':
        parts.cancel.push(effect.timerId);
        break;
      case 'send': {
        const policy = graph.ir.policies[effect.policy];
        if (!policy) throw new Error(`graph ${graph.version} has no policy ${effect.policy} (send ${effect.sendId})`);
        parts.deliveries.push({ delivery: newDelivery(effect, policy, now), expectedUpdatedAt: null });
        break;
      }
      case 'fetch':
        parts.enqueue.push({
          id: jobIds.fetch(effect.requestId),
          job: { kind: 'fetch', instanceId: instance.id, requestId: effect.requestId, loads: effect.loads },
          runAt: now,
        });
        break;
      case 'emit': {
        const id = jobIds.emitted(instance.id, instance.seq, emits++);
        parts.enqueue.push({
          id: jobIds.event(id),
          job: { kind: 'event', event: { id, type: effect.event.type, data: effect.event.data, receivedAt: now } },
          runAt: now,
        });
        break;
      }
      case 'await':
        break;
      default:
        throw new Error(`unknown effect ${JSON.stringify(effect satisfies never)}`);
    }
  }
}

export function unitFrom(parts: UnitParts, rest: UnitOfWork): UnitOfWork {
  return {
    ...rest,
    ...(parts.enqueue.length > 0 ? { enqueue: [...(rest.enqueue ?? []), ...parts.enqueue] } : {}),
    ...(parts.cancel.length > 0 ? { cancel: [...(rest.cancel ?? []), ...parts.cancel] } : {}),
    ...(parts.deliveries.length > 0 ? { deliveries: [...(rest.deliveries ?? []), ...parts.deliveries] } : {}),
    ...(parts.sent.length > 0 ? { sent: [...(rest.sent ?? []), ...parts.sent] } : {}),
    ...(parts.ledgerBegin.length > 0 ? { ledgerBegin: [...(rest.ledgerBegin ?? []), ...parts.ledgerBegin] } : {}),
  };
}
