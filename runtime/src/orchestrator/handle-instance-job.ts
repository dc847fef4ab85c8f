/**
 * `instance` jobs: one input (timer, event, fetched data) for one instance, on the graph of
 * the instance's own version. The new state, its effects and the ack commit as one unit with
 * the seq the instance was read at; losing that race is a conflict, and the scheduler runs the
 * job again on the fresh state.
 */
import type { QueuedJob } from '../driver/driver.js';
import { redactEndedInstance } from '../archive/redact.js';
import { advance, advanceReadsSubject } from '../engine/advance.js';
import { ackOnly, commitOrConflict, loadSubject, storedSubject, type HandlerContext, type JobOutcome } from './handler-context.js';
import { emptyParts, unitFrom } from './instance-effects.js';
import { addInstanceEffectsStarted } from './start-delivery.js';

export async function handleInstanceJob(ctx: HandlerContext, queued: QueuedJob): Promise<JobOutcome> {
  const job = queued.job;
  if (job.kind !== 'instance') throw new Error(`handleInstanceJob got a ${job.kind} job`);
  const instance = await ctx.driver.getInstance(job.instanceId);
  if (!instance || instance.status !== 'active') return ackOnly(ctx, queued);
  const graph = await ctx.graphs.get(instance.version);
  const now = ctx.now();
  // An event only kept for a later wait reads no profile: no `subject.source` query for it.
  const subject = advanceReadsSubject(instance, job.input) ? await loadSubject(ctx, graph, instance.subjectId) : await storedSubject(ctx, graph, instance.subjectId);
  const result = advance(graph, instance, job.input, { now, subject });
  if (result.instance === instance) return ackOnly(ctx, queued);
  const parts = emptyParts();
  await addInstanceEffectsStarted(ctx, parts, graph, result.instance, result.effects, subject, now);
  const outcome = await commitOrConflict(
    ctx,
    unitFrom(parts, { instances: [{ instance: redactEndedInstance(result.instance, graph.ir.project.archive.redact), expectedSeq: instance.seq }], ack: [queued.id] }),
    new Map([[instance.subjectId, subject]]),
  );
  if (outcome.kind === 'done') ctx.metrics.instanceTransition(instance.journey, instance.status, result.instance.status);
  return outcome;
}
