/**
 * `attempt` jobs: render and send one attempt of a delivery, effectively once.
 *
 * 1. `ledgerBegin(key)`: `done` means an earlier run of this very attempt reached the provider
 *    and recorded the outcome, but died before its commit: reuse the outcome, call nobody.
 *    `new` or `in-flight` (an earlier run died during the provider call: it may or may not
 *    have sent) → call the pool (render + plugin send) with the delivery's idempotency key and
 *    its deterministic Message-ID, so a provider or a mailbox can drop the duplicate.
 * 2. One commit: the ledger's `done` with the outcome, the archive (rendered content, attempt
 *    record), the result, and the ack. Until it lands, the workers' send journal (when
 *    configured) holds the outcome across a crash (pool/send-journal.ts). The
 *    result is applied to the delivery right there when the delivery is as it was read (the
 *    common case); otherwise (a receipt or a timer changed it meanwhile) it is queued as a
 *    `delivery` job carrying the result, which the delivery handler applies to the fresh state.
 *
 * The ledger key is per attempt number (`<idempotencyKey>#<attempt>`): a retry after a
 * retryable failure is a new provider call (with the same idempotency key), a re-run of the
 * same attempt after a crash is not.
 */
import { redactContent } from '../archive/redact.js';
import type { DeliveryResult } from '@herald/plugin-sdk';
import type { ArchivedContent, QueuedJob, UnitOfWork } from '../driver/driver.js';
import { failed, isDeliveryResult } from '@herald/plugin-sdk';
import type { CompiledGraph } from '../engine/compile-graph.js';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import type { Delivery, DeliveryInput } from '../delivery/types.js';
import type { JourneyMetaView } from '../pool/pool-tasks.js';
import { deliveryEffectsToUnit } from './delivery-effects.js';
import { ackOnly, commitOrConflict, loadSubject, type HandlerContext, type JobOutcome } from './handler-context.js';
import { jobIds } from './job-ids.js';
import { storedDelivery } from './start-delivery.js';

/** `known`: the delivery as the unit that handed this job over wrote it (hand-over-attempts.ts); else it is read. */
export async function handleAttemptJob(ctx: HandlerContext, queued: QueuedJob, known?: Delivery): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'attempt') throw new Error(`handleAttemptJob got a ${job.kind} job`);
  const delivery = known ?? (await ctx.driver.getDelivery(job.deliveryId));
  // A stale attempt (the delivery moved on: a receipt, a timeout, a later attempt) sends nothing.
  if (!delivery || delivery.status !== 'attempting' || delivery.attempt !== job.attempt || delivery.channels[delivery.channelIndex] !== job.channel) {
    return ackOnly(ctx, queued);
  }
  const graph = await ctx.graphs.get(delivery.version);
  const ledgerKey = jobIds.ledger(job.idempotencyKey, job.attempt);
  const entry = await ctx.driver.ledgerBegin(ledgerKey, ctx.now());

  // `journey.startedAt` needs the instance; most templates never mention it, so it is read only for those that do.
  const needsInstance = delivery.vars['journey'] === undefined && mentionsJourney(graph, delivery.template);
  const [subject, instance] = await Promise.all([
    loadSubject(ctx, graph, delivery.subjectId),
    needsInstance ? ctx.driver.getInstance(delivery.instanceId) : undefined,
  ]);
  const journey: JourneyMetaView = (delivery.vars['journey'] as JourneyMetaView | undefined) ?? {
    id: delivery.journey,
    instanceId: delivery.instanceId,
    version: delivery.version,
    startedAt: new Date(instance?.startedAt ?? delivery.createdAt).toISOString(),
  };
  const templateIR = ctx.pool.templateFor(delivery.version, delivery.template, (v) => ctx.graphs.peek(v)?.ir);
  const request = {
    channel: job.channel,
    template: delivery.template,
    version: delivery.version,
    ...(templateIR ? { templateIR } : {}),
    subject,
    vars: delivery.vars,
    journey,
    now: ctx.now(),
  };

  let result: DeliveryResult;
  let content: ArchivedContent | null;
  /** The ledger's `done` for a provider call made now: it lands in whichever commit below succeeds. */
  let finished: UnitOfWork['ledger'] = [];
  if (entry.state === 'done') {
    result = isDeliveryResult(entry.result) ? entry.result : failed.retryable('the ledger holds no valid result for this attempt', { code: 'LEDGER' });
    ctx.log.info(`attempt ${ledgerKey}: already sent (ledger), reusing its result`);
    // Only for the archive: what was sent is rendered again, nothing is sent.
    const rendered = await ctx.pool.run({ kind: 'render', ...request });
    content = rendered.outcome.ok ? rendered.outcome.content : null;
  } else {
    if (entry.state === 'in-flight') ctx.log.warn(`attempt ${ledgerKey}: a previous try died during the provider call; sending again with the same idempotency key`);
    const sent = await ctx.pool.run({
      kind: 'send',
      ...request,
      deliveryId: delivery.id,
      step: delivery.node,
      category: delivery.category,
      idempotencyKey: job.idempotencyKey,
      attempt: job.attempt,
      ledgerKey,
    });
    result = sent.result;
    content = sent.content;
    finished = [{ key: ledgerKey, result, at: ctx.now() }];
  }

  const now = ctx.now();
  const archive = [
    {
      deliveryId: delivery.id,
      ...(content ? { content: redactContent(content, graph.ir.project.archive.redact) } : {}),
      attempt: { channel: job.channel, attempt: job.attempt, idempotencyKey: job.idempotencyKey, at: now, result },
    },
  ];
  const input: DeliveryInput = { kind: 'result', channel: job.channel, attempt: job.attempt, result };
  const counted = (outcome: JobOutcome): JobOutcome => {
    if (outcome.kind === 'done') ctx.metrics.messagesSent.inc({ channel: job.channel, status: result.status === 'failed' && result.bounced ? 'bounced' : result.status });
    return outcome;
  };

  // Fast path: the delivery has not changed since it was read (the common case), so the result
  // is applied to it in this same unit, which saves a job, a commit and two reads per message.
  const policy = graph.ir.policies[delivery.policy];
  if (policy) {
    const next = advanceDelivery(policy, deliveryEnv(graph.ir, delivery.template, subject, now), delivery, input);
    if (next.delivery !== delivery) {
      const parts = deliveryEffectsToUnit(delivery.id, next.effects, now);
      const outcome = await commitKeepingOutcome(ctx, finished, {
        deliveries: [{ delivery: storedDelivery(graph, next.delivery), expectedUpdatedAt: delivery.updatedAt }],
        archive,
        ...parts,
        ledger: finished,
        ack: [queued.id],
      });
      if (outcome.kind === 'done') return counted(outcome);
      // It changed meanwhile (a receipt, a timer): the result goes to it as a job, below.
    }
  }
  return counted(
    await commitKeepingOutcome(ctx, finished, {
      archive,
      enqueue: [{ id: jobIds.attemptResult(job.idempotencyKey, job.attempt), job: { kind: 'delivery', deliveryId: delivery.id, input }, runAt: now }],
      ledger: finished,
      ack: [queued.id],
    }),
  );
}

/**
 * The unit carries the ledger's `done`. Should the commit itself fail (a store error, not a
 * conflict), the outcome is still written to the ledger on its own before the error goes up,
 * so the job's next run reuses it instead of calling the provider again.
 */
async function commitKeepingOutcome(ctx: HandlerContext, finished: UnitOfWork['ledger'], unit: UnitOfWork): Promise<JobOutcome> {
  try {
    return await commitOrConflict(ctx, unit);
  } catch (error) {
    for (const entry of finished ?? []) {
      await ctx.driver.ledgerFinish(entry.key, entry.result, entry.at).catch((e: unknown) => {
        ctx.log.error(`attempt ${entry.key}: the outcome could not be written to the ledger either (${String(e)})`);
      });
    }
    throw error;
  }
}

const journeyMentions = new WeakMap<CompiledGraph, Map<string, boolean>>();

/** Whether any field or partial of the template reads `journey.*` (looked at once per graph and template). */
function mentionsJourney(graph: CompiledGraph, templateId: string): boolean {
  let byTemplate = journeyMentions.get(graph);
  if (!byTemplate) journeyMentions.set(graph, (byTemplate = new Map()));
  let mentions = byTemplate.get(templateId);
  if (mentions === undefined) {
    const template = graph.ir.templates[templateId];
    const texts = template ? [...Object.values(template.partials), ...Object.values(template.variants).flatMap((byLocale) => Object.values(byLocale).flatMap((f) => Object.values(f)))] : [];
    mentions = texts.some((t) => /\bjourney\b/.test(t));
    byTemplate.set(templateId, mentions);
  }
  return mentions;
}
