/**
 * `attempt` jobs: render and send one attempt of a delivery, effectively once.
 *
 * 1. The attempt's job is its in-flight mark: the unit that made the attempt due (a delivery's
 *    start, a retry, a failover; delivery-effects.ts) wrote it, so it is durable before the
 *    provider call, and it is acked by the commit that records the outcome. The first run of an
 *    attempt (its job never reserved before: `tries` 0) has nothing to ask: nothing ran it
 *    before. A re-run (`tries` > 0: after a crash, a release, an expired lease) asks the ledger
 *    (`ledgerBegin`): `done` means an earlier run reached the provider and recorded the outcome,
 *    but its commit did not land: reuse the outcome, call nobody. Otherwise an earlier run may
 *    have reached the provider → call the pool (render + plugin send) with the delivery's
 *    idempotency key and its deterministic Message-ID, so a provider or a mailbox can drop the
 *    duplicate.
 * 2. One commit: the archive (rendered content, attempt record), the result, and the ack (with a
 *    re-run, also the ledger's `done`, which closes the entry its `ledgerBegin` opened). Should it
 *    not land, the outcome goes to the ledger on its own, so the re-run reuses it; until then the
 *    workers' send journal (when configured) holds it across a crash (pool/send-journal.ts). The
 *    result is applied to the delivery right there when the delivery is as it was read (the
 *    common case); otherwise (a receipt or a timer changed it meanwhile) it is queued as a
 *    `delivery` job carrying the result, which the delivery handler applies to the fresh state.
 *
 * Why the first run writes nothing to the ledger: an in-flight mark written with the job and a
 * `done` written with the ack would only repeat what the job row's presence and absence say, and
 * cost two rows per message (docs/operations.md, "Capacity").
 *
 * The ledger key is per attempt number (`<idempotencyKey>#<attempt>`): a retry after a
 * retryable failure is a new provider call (with the same idempotency key), a re-run of the
 * same attempt after a crash is not.
 */
import { redactContent } from '../archive/redact.js';
import type { DeliveryResult } from '@herald/plugin-sdk';
import type { ArchivedContent, LedgerEntry, QueuedJob, UnitOfWork } from '../driver/driver.js';
import { failed, isDeliveryResult } from '@herald/plugin-sdk';
import type { CompiledGraph } from '../engine/compile-graph.js';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import type { Delivery, DeliveryInput } from '../delivery/types.js';
import type { SubjectProfile } from '../engine/types.js';
import type { JourneyMetaView } from '../pool/pool-tasks.js';
import { deliveryEffectsToUnit } from './delivery-effects.js';
import { ackOnly, commitOrConflict, loadSubject, type HandlerContext, type JobOutcome } from './handler-context.js';
import { jobIds } from './job-ids.js';
import { isHeldSend } from '../pool/pool-tasks.js';
import { storedDelivery } from './start-delivery.js';

/**
 * `known`: the delivery as the unit that handed this job over wrote it (hand-over-attempts.ts),
 * and the subject profile that unit was decided on; what is not given is read.
 */
export async function handleAttemptJob(ctx: HandlerContext, queued: QueuedJob, known?: Delivery, knownSubject?: SubjectProfile): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'attempt') throw new Error(`handleAttemptJob got a ${job.kind} job`);
  const delivery = known ?? (await ctx.driver.getDelivery(job.deliveryId));
  const ledgerKey = jobIds.ledger(job.idempotencyKey, job.attempt);
  // A stale attempt (the delivery moved on: a receipt, a timeout, a later attempt) sends nothing.
  // A re-run leaves the ledger as it is (it may hold an earlier run's outcome).
  if (!delivery || delivery.status !== 'attempting' || delivery.attempt !== job.attempt || delivery.channels[delivery.channelIndex] !== job.channel) {
    return ackOnly(ctx, queued);
  }
  const graph = await ctx.graphs.get(delivery.version);
  const rerun = queued.tries > 0;
  const entry: LedgerEntry = rerun ? await ctx.driver.ledgerBegin(ledgerKey, ctx.now()) : { state: 'new' };

  // `journey.startedAt` needs the instance; most templates never mention it, so it is read only for those that do.
  const needsInstance = delivery.vars['journey'] === undefined && mentionsJourney(graph, delivery.template);
  const [subject, instance] = await Promise.all([
    knownSubject ?? loadSubject(ctx, graph, delivery.subjectId),
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
  /** The ledger's `done` for a provider call made now: written should the commit below not land. */
  let outcome: LedgerOutcome | null = null;
  if (entry.state === 'done') {
    result = isDeliveryResult(entry.result) ? entry.result : failed.retryable('the ledger holds no valid result for this attempt', { code: 'LEDGER' });
    ctx.log.info(`attempt ${ledgerKey}: already sent (ledger), reusing its result`);
    // Only for the archive: what was sent is rendered again, nothing is sent.
    const rendered = await ctx.pool.run({ kind: 'render', ...request });
    content = rendered.outcome.ok ? rendered.outcome.content : null;
  } else {
    if (rerun) {
      ctx.metrics.attemptsResent.inc({ channel: job.channel });
      ctx.resends.note(`attempt ${ledgerKey}`);
    }
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
    // The runtime is stopping and the send never called its plugin (WorkerPool.holdSends): no provider
    // was called. The job goes back to the queue as new, so the next start sends it as a first
    // run (not as a possible duplicate).
    if (isHeldSend(sent)) return commitOrConflict(ctx, { cancel: [queued.id], enqueue: [{ id: queued.id, job, runAt: ctx.now() }] });
    result = sent.result;
    content = sent.content;
    outcome = { key: ledgerKey, result, at: ctx.now() };
  }
  const finished: UnitOfWork['ledger'] = rerun && outcome !== null ? [outcome] : [];

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
      const applied = await commitKeepingOutcome(
        ctx,
        outcome,
        {
          deliveries: [{ delivery: storedDelivery(graph, next.delivery), expectedUpdatedAt: delivery.updatedAt }],
          archive,
          ...parts,
          ledger: finished,
          ack: [queued.id],
        },
        new Map([[delivery.subjectId, subject]]),
      );
      if (applied.kind === 'done') return counted(applied);
      // It changed meanwhile (a receipt, a timer): the result goes to it as a job, below.
    }
  }
  const queuedResult = await commitKeepingOutcome(ctx, outcome, {
    archive,
    enqueue: [{ id: jobIds.attemptResult(job.idempotencyKey, job.attempt), job: { kind: 'delivery', deliveryId: delivery.id, input }, runAt: now }],
    ledger: finished,
    ack: [queued.id],
  });
  // Nothing in that unit can conflict; were it refused anyway, the job must not run again as a
  // first run (which does not ask the ledger): keep the outcome and fail the run.
  if (queuedResult.kind !== 'done') {
    await keepOutcome(ctx, outcome);
    throw new Error(`attempt ${ledgerKey}: its commit was refused (${queuedResult.kind === 'conflict' ? queuedResult.reason : queuedResult.kind})`);
  }
  return counted(queuedResult);
}

interface LedgerOutcome {
  readonly key: string;
  readonly result: unknown;
  readonly at: number;
}

/**
 * Should the commit itself fail (a store error, not a conflict), the outcome of a provider call
 * made by this run is written to the ledger on its own before the error goes up, so the job's
 * next run (a re-run, which asks the ledger) reuses it instead of calling the provider again.
 */
async function commitKeepingOutcome(
  ctx: HandlerContext,
  outcome: LedgerOutcome | null,
  unit: UnitOfWork,
  subjects?: ReadonlyMap<string, SubjectProfile>,
): Promise<JobOutcome> {
  try {
    return await commitOrConflict(ctx, unit, subjects);
  } catch (error) {
    await keepOutcome(ctx, outcome);
    throw error;
  }
}

async function keepOutcome(ctx: HandlerContext, outcome: LedgerOutcome | null): Promise<void> {
  if (outcome === null) return;
  await ctx.driver.ledgerFinish(outcome.key, outcome.result, outcome.at).catch((e: unknown) => {
    ctx.log.error(`attempt ${outcome.key}: the outcome could not be written to the ledger either (${String(e)})`);
  });
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
