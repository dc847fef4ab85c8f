/**
 * What an instance's effects become in the unit of work that commits its new state (pure):
 * timers are jobs with a future runAt, a send creates its delivery (started in the same unit by
 * start-delivery.ts), a fetch queues a fetch job, an emit queues the event's routing job.
 * `await` needs nothing: drivers index an instance by the event it waits for, from its state.
 */
import type { UnitOfWork } from '../driver/driver.js';
import { newDelivery } from '../delivery/new-delivery.js';
import type { CompiledGraph } from '../engine/compile-graph.js';
import type { Effect, Instance } from '../engine/types.js';
import { jobIds } from './job-ids.js';

/** The lists of a unit of work that instance and delivery effects add to. */
const PART_KEYS = ['enqueue', 'cancel', 'deliveries', 'sent', 'unsent'] as const;
type PartKey = (typeof PART_KEYS)[number];
type PartOf<K extends PartKey> = NonNullable<UnitOfWork[K]>[number];

/** A unit's lists as they are gathered: the deliveries effects create, their counts and jobs. */
export type UnitParts = { readonly [K in PartKey]: PartOf<K>[] };

export function emptyParts(): UnitParts {
  return { enqueue: [], cancel: [], deliveries: [], sent: [], unsent: [] };
}

/** Adds every list of `from` (a delivery's effects, say) to `into`. */
export function appendParts(into: UnitParts, from: { readonly [K in PartKey]?: readonly PartOf<K>[] }): void {
  for (const key of PART_KEYS) {
    const items = from[key];
    if (items !== undefined && items.length > 0) (into[key] as unknown[]).push(...items);
  }
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
          job: { kind: 'fetch', instanceId: instance.id, requestId: effect.requestId, loads: effect.loads, version: instance.version },
          runAt: now,
        });
        break;
      case 'emit': {
        const id = jobIds.emitted(instance.id, instance.seq, emits++);
        parts.enqueue.push({
          id: jobIds.event(id),
          job: { kind: 'event', event: { id, type: effect.event.type, data: effect.event.data, receivedAt: now, emitDepth: effect.depth } },
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
  const unit: Record<string, unknown> = { ...rest };
  for (const key of PART_KEYS) {
    if (parts[key].length > 0) unit[key] = [...(rest[key] ?? []), ...parts[key]];
  }
  return unit as UnitOfWork;
}
