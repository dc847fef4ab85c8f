/**
 * A delivery's `start`: the facts its policy needs are gathered at that moment — the policy's
 * expressions (order, quiet-hours zone, dedupe key; compiled once per graph version) evaluated
 * with the send's vars and the subject, and the store's frequency-cap count and dedupe memory —
 * then the policy makes its first decision (advanceDelivery, pure).
 *
 * A delivery a send effect creates starts in the very unit that creates it (`addInstanceEffectsStarted`):
 * the instance's commit holds the delivery already past `pending` and its first attempt job.
 * A queued `start` job (written by earlier Herald versions) still goes through handle-delivery-job.
 */
import { redactFinalDelivery } from '../archive/redact.js';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import { deliveryFacts, evaluatePolicyValues } from '../delivery/evaluate-policy.js';
import type { Delivery, DeliveryFacts } from '../delivery/types.js';
import type { CompiledGraph } from '../engine/compile-graph.js';
import type { Effect, Instance, SubjectProfile } from '../engine/types.js';
import { deliveryEffectsToUnit } from './delivery-effects.js';
import type { SentCount } from '../driver/driver.js';
import { countInWindow, holdsDedupeKey } from '../driver/sent-counts.js';
import type { HandlerContext } from './handler-context.js';
import { addInstanceEffects, appendParts, type UnitParts } from './instance-effects.js';

/**
 * `pending`: counts the same unit takes before this delivery's (an earlier send of the same
 * steps), which the store cannot know yet.
 */
export async function startFacts(
  ctx: HandlerContext,
  graph: CompiledGraph,
  delivery: Delivery,
  subject: SubjectProfile,
  now: number,
  pending: readonly SentCount[] = [],
): Promise<DeliveryFacts> {
  const values = evaluatePolicyValues(graph, delivery, subject, now);
  for (const p of values.problems) ctx.log.warn(`delivery ${delivery.id} (policy ${delivery.policy}): ${p}`);
  const { capSince, dedupeSince, dedupeKey } = values;
  const sentInCapWindow =
    capSince === null
      ? 0
      : (await ctx.driver.countSent(delivery.subjectId, delivery.category, capSince)) + countInWindow(pending, delivery.subjectId, delivery.category, capSince);
  const duplicate =
    dedupeSince === null || dedupeKey === null ? false : holdsDedupeKey(pending, dedupeKey, dedupeSince) || (await ctx.driver.seenDedupeKey(dedupeKey, dedupeSince));
  return deliveryFacts(values, { sentInCapWindow, duplicate });
}

/** The delivery as it is stored: `vars.*` redacted once it is final (archive.redact). */
export function storedDelivery(graph: CompiledGraph, delivery: Delivery): Delivery {
  return redactFinalDelivery(delivery, graph.ir.project.archive.redact);
}

/**
 * `addInstanceEffects`, with the deliveries the effects create (all of one subject) started in
 * the same unit: each is stored in its started state, and its effects (the first attempt, a
 * quiet-hours timer) join the unit.
 */
export async function addInstanceEffectsStarted(
  ctx: HandlerContext,
  parts: UnitParts,
  graph: CompiledGraph,
  instance: Instance,
  effects: readonly Effect[],
  subject: SubjectProfile,
  now: number,
): Promise<void> {
  const created = parts.deliveries.length;
  addInstanceEffects(parts, graph, instance, effects, now);
  for (let i = created; i < parts.deliveries.length; i++) {
    const delivery = parts.deliveries[i]!.delivery;
    const policy = graph.ir.policies[delivery.policy];
    if (!policy) throw new Error(`graph ${graph.version} has no policy ${delivery.policy} (delivery ${delivery.id})`);
    const facts = await startFacts(ctx, graph, delivery, subject, now, parts.sent);
    const next = advanceDelivery(policy, deliveryEnv(graph.ir, delivery.template, subject, now), delivery, { kind: 'start', facts });
    parts.deliveries[i] = { delivery: storedDelivery(graph, next.delivery), expectedUpdatedAt: null };
    appendParts(parts, deliveryEffectsToUnit(delivery.id, next.effects, now));
  }
}
