/**
 * `delivery` jobs: one input (start, attempt result, timer, receipt) for one delivery, through
 * its policy (advanceDelivery, pure). On `start` the facts the policy needs are gathered now:
 * the policy's expressions (order, quiet-hours zone, dedupe key; compiled once per graph
 * version) evaluated with the send's vars and the subject, and the store's frequency-cap count
 * and dedupe memory.
 */
import { redactFinalDelivery } from '../archive/redact.js';
import type { QueuedJob } from '../driver/driver.js';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import { deliveryFacts, evaluatePolicyValues } from '../delivery/evaluate-policy.js';
import type { DeliveryInput } from '../delivery/types.js';
import { deliveryEffectsToUnit as deliveryEffects } from './delivery-effects.js';
import { ackOnly, commitOrConflict, loadSubject, type HandlerContext, type JobOutcome } from './handler-context.js';

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

  let input: DeliveryInput = job.input;
  if (input.kind === 'start') {
    const values = evaluatePolicyValues(graph, delivery, subject, now);
    for (const p of values.problems) ctx.log.warn(`delivery ${delivery.id} (policy ${delivery.policy}): ${p}`);
    const sentInCapWindow = values.capSince === null ? 0 : await ctx.driver.countSent(delivery.subjectId, delivery.category, values.capSince);
    const duplicate = values.dedupeSince === null || values.dedupeKey === null ? false : await ctx.driver.seenDedupeKey(values.dedupeKey, values.dedupeSince);
    input = { kind: 'start', facts: deliveryFacts(values, { sentInCapWindow, duplicate }) };
  }

  const next = advanceDelivery(policy, deliveryEnv(graph.ir, delivery.template, subject, now), delivery, input);
  if (next.delivery === delivery) return ackOnly(ctx, queued);
  const parts = deliveryEffects(delivery.id, next.effects, now);
  return commitOrConflict(ctx, {
    deliveries: [{ delivery: redactFinalDelivery(next.delivery, graph.ir.project.archive.redact), expectedUpdatedAt: delivery.updatedAt }],
    enqueue: parts.enqueue,
    cancel: parts.cancel,
    sent: parts.sent,
    ack: [queued.id],
  });
}
