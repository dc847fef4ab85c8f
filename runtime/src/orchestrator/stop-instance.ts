/**
 * An operator stops an instance (`POST /instances/:id/stop`, `herald instances stop`): a customer
 * paid by phone, a journey started by mistake. The instance exits where it is (its wait's timer
 * cancelled), and so do the messages it started that no provider call is under way for — waiting
 * to start, or deferred by quiet hours, a cap or a retry's backoff — which are skipped with the
 * reason (so none of them goes out at 08:00 after the stop). A message whose attempt is due or
 * under way (`attempting`: it may be with the provider already), or that a provider accepted,
 * runs its course: a provider call cannot be called back. One unit, guarded by the
 * instance's seq and each message's updatedAt; a race with the instance's own progress is tried
 * again on the fresh state.
 */
import type { Delivery } from '../delivery/types.js';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import type { Instance } from '../engine/types.js';
import type { StopInstanceResult } from '../runtime-api.js';
import { advanceInstance } from './advance-instance.js';
import { deliveryEffectsToUnit } from './delivery-effects.js';
import { commitOrConflict, type HandlerContext } from './handler-context.js';
import { appendParts, emptyParts, unitFrom } from './instance-effects.js';
import { storedDelivery } from './start-delivery.js';

/** How many times a stop that lost a race with the instance's own progress is tried again. */
const TRIES = 5;

export async function stopInstance(ctx: HandlerContext, id: string, reason: string): Promise<StopInstanceResult> {
  for (let attempt = 1; ; attempt++) {
    const instance = await ctx.driver.getInstance(id);
    if (!instance) return { kind: 'not-found' };
    if (instance.status !== 'active') return { kind: 'ended', instance };
    const now = ctx.now();
    const parts = emptyParts();
    const advanced = await advanceInstance(ctx, instance, { kind: 'stop', reason }, now, parts);
    // The engine stops every active instance; no change here is a bug, not an answer.
    if (!advanced) throw new Error(`instance ${id}: the engine did not stop it`);
    const graph = await ctx.graphs.get(instance.version);
    const deliveries: { delivery: Delivery; expectedUpdatedAt: number }[] = [];
    const waiting = (await ctx.driver.deliveriesOf(instance)).filter((d) => d.status === 'pending' || d.status === 'deferred');
    for (const d of waiting) {
      const policy = graph.ir.policies[d.policy];
      if (!policy) continue;
      const next = advanceDelivery(policy, deliveryEnv(graph.ir, d.template, advanced.subject, now), d, { kind: 'cancel', reason: 'its instance was stopped by an operator' });
      if (next.delivery === d) continue;
      deliveries.push({ delivery: storedDelivery(graph, next.delivery), expectedUpdatedAt: d.updatedAt });
      appendParts(parts, deliveryEffectsToUnit(d.id, next.effects, now));
    }
    const outcome = await commitOrConflict(
      ctx,
      unitFrom(parts, { instances: [{ instance: advanced.instance, expectedSeq: instance.seq }], deliveries }),
      new Map([[instance.subjectId, advanced.subject]]),
    );
    if (outcome.kind === 'done') {
      ctx.metrics.instanceTransition(instance.journey, instance.status, advanced.instance.status);
      return { kind: 'stopped', instance: advanced.instance, cancelled: deliveries.map((x) => x.delivery.id) };
    }
    if (attempt === TRIES) throw new Error(`instance ${id} kept changing while it was being stopped (${outcome.kind === 'conflict' ? outcome.reason : outcome.kind}); try again`);
  }
}

