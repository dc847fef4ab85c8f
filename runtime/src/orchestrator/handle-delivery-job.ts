/**
 * `delivery` jobs: one input (attempt result, timer, receipt, or a queued start) for one
 * delivery, through its policy (advanceDelivery, pure). A start gathers its facts then
 * (start-delivery.ts); so does a timer that resumes a message deferred by quiet hours under a
 * policy with a frequency cap: the other messages counted in the window (`capRecheckSince`).
 */
import type { QueuedJob } from '../driver/driver.js';
import { advanceDelivery, capRecheckSince, deliveryEnv } from '../delivery/advance-delivery.js';
import type { DeliveryInput } from '../delivery/types.js';
import { deliveryEffectsToUnit as deliveryEffects } from './delivery-effects.js';
import { ackOnly, commitOrConflict, loadSubject, type HandlerContext, type JobOutcome } from './handler-context.js';
import { startFacts, storedDelivery } from './start-delivery.js';

export async function handleDeliveryJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'delivery') throw new Error(`handleDeliveryJob got a ${job.kind} job`);
  const delivery = await ctx.driver.getDelivery(job.deliveryId);
  if (!delivery) return ackOnly(ctx, queued);
  if (job.input.kind === 'start' && delivery.status !== 'pending') return ackOnly(ctx, queued);
  const graph = await ctx.graphs.get(delivery.version);
  const policy = graph.ir.policies[delivery.policy];
  if (!policy) throw new Error(`graph ${graph.version} has no policy ${delivery.policy} (delivery ${delivery.id})`);
  const now = ctx.now();
  const subject = await loadSubject(ctx, graph, delivery.subjectId);

  let input: DeliveryInput = job.input.kind === 'start' ? { kind: 'start', facts: await startFacts(ctx, graph, delivery, subject, now) } : job.input;
  const capSince = capRecheckSince(policy, delivery, input, now);
  if (capSince !== null && input.kind === 'timer') {
    const counted = await ctx.driver.sentTimes(delivery.subjectId, delivery.category, capSince, delivery.id);
    input = { ...input, cap: { since: capSince, counted } };
  }

  const next = advanceDelivery(policy, deliveryEnv(graph.ir, delivery.template, subject, now), delivery, input);
  if (next.delivery === delivery) return ackOnly(ctx, queued);
  const parts = deliveryEffects(delivery.id, next.effects, now);
  const unit = {
    deliveries: [{ delivery: storedDelivery(graph, next.delivery), expectedUpdatedAt: delivery.updatedAt }],
    ...parts,
    ack: [queued.id],
  };
  const outcome = await commitOrConflict(ctx, unit, new Map([[delivery.subjectId, subject]]));
  // Receipts and receipt timeouts count once applied (herald_receipts_total).
  if (outcome.kind === 'done') ctx.metrics.deliveryInputApplied(delivery, input);
  return outcome;
}
